-- GET /films?id=eq.1
WITH pgrst_source AS (SELECT "films".*
  FROM "public"."films" AS "films"
  WHERE "films"."id" = $1
  LIMIT $2)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, coalesce((json_agg("_postgrest_t")->0)::text, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) AS "_postgrest_t"
-- values: ["1",1000]
