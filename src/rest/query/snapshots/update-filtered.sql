-- PATCH /films?id=eq.1&select=id,title
-- body: {"title":"Cleo"}
WITH pgrst_body AS (SELECT *
  FROM json_to_recordset($1::json) AS _("title" text)),
pgrst_source AS (UPDATE "public"."films" AS "films" SET "title" = "pgrst_body"."title"
  FROM pgrst_body
  WHERE "films"."id" = $2
  RETURNING "films".*)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, coalesce(json_agg("_postgrest_t"), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT "films"."id" AS "id", "films"."title" AS "title"
  FROM (SELECT "id", "title", "year", "director_id", "rating", "genre", "tags", "meta", "runtime", "summary", "released_at", "uid"
  FROM pgrst_source) AS "films") AS "_postgrest_t"
-- values: ["[{\"title\":\"Cleo\"}]","1"]
