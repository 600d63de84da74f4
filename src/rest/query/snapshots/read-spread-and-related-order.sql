-- GET /films?select=title,...directors(director:name)&order=directors(name).asc
WITH pgrst_source AS (SELECT "films"."title" AS "title", "films_directors_1"."director" AS "director"
  FROM "public"."films" AS "films"
  LEFT JOIN LATERAL (SELECT "directors_1"."name" AS "director"
  FROM "public"."directors" AS "directors_1"
  WHERE "directors_1"."id" = "films"."director_id") AS "films_directors_1" ON TRUE
  ORDER BY "films_directors_1"."name" ASC
  LIMIT $1)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, coalesce(json_agg("_postgrest_t"), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) AS "_postgrest_t"
-- values: [1000]
