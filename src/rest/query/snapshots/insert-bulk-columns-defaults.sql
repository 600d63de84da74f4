-- POST /orders?columns=total,note
-- body: [{"total":1},{"total":2,"note":"x"}]
WITH pgrst_body AS (SELECT *
  FROM jsonb_to_recordset((SELECT jsonb_agg(jsonb_build_object($1::text, 0, $2::text, 'none'::text) || elem)
  FROM jsonb_array_elements($3::jsonb) AS elem)) AS _("total" numeric, "note" text)),
pgrst_source AS (INSERT INTO "public"."orders"("total", "note")
  SELECT "pgrst_body"."total", "pgrst_body"."note"
  FROM pgrst_body
  RETURNING "public"."orders".*)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, ''::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT "orders".*
  FROM (SELECT "id", "billing_address_id", "shipping_address_id", "total", "note"
  FROM pgrst_source) AS "orders") AS "_postgrest_t"
-- values: ["total","note","[{\"total\":1},{\"total\":2,\"note\":\"x\"}]"]
