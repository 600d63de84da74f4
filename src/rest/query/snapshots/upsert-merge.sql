-- POST /kv?on_conflict=k
-- body: [{"k":"a","v":"z"}]
WITH pgrst_body AS (SELECT *
  FROM json_to_recordset($1::json) AS _("k" text, "v" text)),
pgrst_source AS (INSERT INTO "public"."kv"("k", "v")
  SELECT "pgrst_body"."k", "pgrst_body"."v"
  FROM pgrst_body
  ON CONFLICT ("k") DO UPDATE SET "k" = EXCLUDED."k", "v" = EXCLUDED."v"
  RETURNING "public"."kv".*, (xmax = 0) AS pgrst_inserted)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, coalesce(json_agg("_postgrest_t"), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, (SELECT pg_catalog.count(*)
  FROM pgrst_source
  WHERE pgrst_inserted)::int AS inserted
  FROM (SELECT "kv".*
  FROM (SELECT "k", "v"
  FROM pgrst_source) AS "kv") AS "_postgrest_t"
-- values: ["[{\"k\":\"a\",\"v\":\"z\"}]"]
