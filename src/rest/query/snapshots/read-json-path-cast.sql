-- GET /films?select=title,lang:meta->>lang,cannes:meta->awards->cannes,rating::text&meta->>lang=eq.ja
WITH pgrst_source AS (SELECT "films"."title" AS "title", "films"."meta"->>$1::text AS "lang", "films"."meta"->$2::text->$3::text AS "cannes", CAST("films"."rating" AS text) AS "rating"
  FROM "public"."films" AS "films"
  WHERE "films"."meta"->>$4::text = $5
  LIMIT $6)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, coalesce(json_agg("_postgrest_t"), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) AS "_postgrest_t"
-- values: ["lang","awards","cannes","lang","ja",1000]
