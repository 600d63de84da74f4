-- POST /rpc/films_since?select=title,directors(name)&order=id&limit=2
-- body: {"y":1950}
WITH pgrst_args AS (SELECT *
  FROM json_to_record($1::json) AS _("y" integer)),
pgrst_source AS (SELECT pgrst_call.*
  FROM pgrst_args, LATERAL "public"."films_since"("y" := "pgrst_args"."y") AS pgrst_call)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, coalesce(json_agg("_postgrest_t"), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT "films"."title" AS "title", row_to_json("films_directors_1".*)::jsonb AS "directors"
  FROM pgrst_source AS "films"
  LEFT JOIN LATERAL (SELECT "directors_1"."name" AS "name"
  FROM "public"."directors" AS "directors_1"
  WHERE "directors_1"."id" = "films"."director_id") AS "films_directors_1" ON TRUE
  ORDER BY "films"."id"
  LIMIT $2) AS "_postgrest_t"
-- values: ["{\"y\":1950}",2]
