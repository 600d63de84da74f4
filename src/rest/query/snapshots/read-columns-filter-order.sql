-- GET /films?select=id,title&year=gte.1950&order=year.desc.nullslast&limit=10&offset=5
WITH pgrst_source AS (SELECT "films"."id" AS "id", "films"."title" AS "title"
  FROM "public"."films" AS "films"
  WHERE "films"."year" >= $1
  ORDER BY "films"."year" DESC NULLS LAST
  LIMIT $2
  OFFSET $3)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, coalesce(json_agg("_postgrest_t"), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) AS "_postgrest_t"
-- values: ["1950",10,5]
