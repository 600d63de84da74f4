-- GET /films?select=title&year=gt.1950
WITH pgrst_source AS (SELECT "films"."title" AS "title"
  FROM "public"."films" AS "films"
  WHERE "films"."year" > $1
  LIMIT $2),
pgrst_source_count AS (SELECT 1
  FROM "public"."films" AS "films"
  WHERE "films"."year" > $3)
  SELECT (SELECT pg_catalog.count(*)
  FROM pgrst_source_count) AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, coalesce(json_agg("_postgrest_t"), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) AS "_postgrest_t"
-- values: ["1950",1000,"1950"]
