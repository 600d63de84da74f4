-- GET /directors?select=name,films!inner(title)&films.year=lt.1960&films.order=year&films.limit=1
WITH pgrst_source AS (SELECT "directors"."name" AS "name", COALESCE("directors_films_1"."body", '[]') AS "films"
  FROM "public"."directors" AS "directors"
  INNER JOIN LATERAL (SELECT json_agg("sub")::jsonb AS "body"
  FROM (SELECT "films_1"."title" AS "title"
  FROM "public"."films" AS "films_1"
  WHERE "films_1"."director_id" = "directors"."id" AND "films_1"."year" < $1
  ORDER BY "films_1"."year"
  LIMIT $2) AS "sub" HAVING pg_catalog.count(*) > 0) AS "directors_films_1" ON TRUE
  LIMIT $3)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, coalesce(json_agg("_postgrest_t"), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) AS "_postgrest_t"
-- values: ["1960",1,1000]
