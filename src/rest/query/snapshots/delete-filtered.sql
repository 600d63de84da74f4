-- DELETE /films?year=is.null
WITH pgrst_source AS (DELETE
  FROM "public"."films" AS "films"
  WHERE "films"."year" IS NULL
  RETURNING "films".*)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, ''::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT "films".*
  FROM (SELECT "id", "title", "year", "director_id", "rating", "genre", "tags", "meta", "runtime", "summary", "released_at", "uid"
  FROM pgrst_source) AS "films") AS "_postgrest_t"
-- values: []
