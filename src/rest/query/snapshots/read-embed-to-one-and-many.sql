-- GET /films?select=title,directors(name),cast:actors(name),technical_specs(camera)
WITH pgrst_source AS (SELECT "films"."title" AS "title", row_to_json("films_directors_1".*)::jsonb AS "directors", COALESCE("films_cast_1"."body", '[]') AS "cast", row_to_json("films_technical_specs_1".*)::jsonb AS "technical_specs"
  FROM "public"."films" AS "films"
  LEFT JOIN LATERAL (SELECT "directors_1"."name" AS "name"
  FROM "public"."directors" AS "directors_1"
  WHERE "directors_1"."id" = "films"."director_id") AS "films_directors_1" ON TRUE
  LEFT JOIN LATERAL (SELECT json_agg("sub")::jsonb AS "body"
  FROM (SELECT "actors_1"."name" AS "name"
  FROM "public"."actors" AS "actors_1", "public"."roles" AS "actors_1_junction"
  WHERE "actors_1_junction"."actor_id" = "actors_1"."id" AND "actors_1_junction"."film_id" = "films"."id"
  LIMIT $1) AS "sub") AS "films_cast_1" ON TRUE
  LEFT JOIN LATERAL (SELECT "technical_specs_1"."camera" AS "camera"
  FROM "public"."technical_specs" AS "technical_specs_1"
  WHERE "technical_specs_1"."film_id" = "films"."id") AS "films_technical_specs_1" ON TRUE
  LIMIT $2)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, coalesce(json_agg("_postgrest_t"), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) AS "_postgrest_t"
-- values: [1000,1000]
