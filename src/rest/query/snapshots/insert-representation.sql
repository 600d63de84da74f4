-- POST /films?select=id,title,directors(name)
-- body: {"id":9,"title":"New","director_id":1}
WITH pgrst_body AS (SELECT *
  FROM json_to_recordset($1::json) AS _("id" integer, "title" text, "director_id" integer)),
pgrst_source AS (INSERT INTO "public"."films"("id", "title", "director_id")
  SELECT "pgrst_body"."id", "pgrst_body"."title", "pgrst_body"."director_id"
  FROM pgrst_body
  RETURNING "public"."films".*)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, coalesce(json_agg("_postgrest_t"), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT "films"."id" AS "id", "films"."title" AS "title", row_to_json("films_directors_1".*)::jsonb AS "directors"
  FROM (SELECT "id", "title", "year", "director_id", "rating", "genre", "tags", "meta", "runtime", "summary", "released_at", "uid"
  FROM pgrst_source) AS "films"
  LEFT JOIN LATERAL (SELECT "directors_1"."name" AS "name"
  FROM "public"."directors" AS "directors_1"
  WHERE "directors_1"."id" = "films"."director_id") AS "films_directors_1" ON TRUE) AS "_postgrest_t"
-- values: ["[{\"id\":9,\"title\":\"New\",\"director_id\":1}]"]
