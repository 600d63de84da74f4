-- GET /directors?select=name,films()&films=is.null
WITH pgrst_source AS (SELECT "directors"."name" AS "name"
  FROM "public"."directors" AS "directors"
  LEFT JOIN LATERAL (SELECT json_agg("sub")::jsonb AS "body"
  FROM (SELECT 
  FROM "public"."films" AS "films_1"
  WHERE "films_1"."director_id" = "directors"."id"
  LIMIT $1) AS "sub") AS "directors_films_1" ON TRUE
  WHERE "directors_films_1"."body" IS NOT DISTINCT
  FROM NULL
  LIMIT $2)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, coalesce(json_agg("_postgrest_t"), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) AS "_postgrest_t"
-- values: [1000,1000]
