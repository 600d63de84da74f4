-- GET /films?select=id,title
WITH pgrst_source AS (SELECT "films"."id" AS "id", "films"."title" AS "title"
  FROM "public"."films" AS "films"
  LIMIT $1)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, coalesce((SELECT string_agg(k, ',')
  FROM json_object_keys(json_agg("_postgrest_t")->0) AS k), '') || E'\n' || coalesce(string_agg(substring("_postgrest_t"::text, 2, length("_postgrest_t"::text) - 2), E'\n'), '') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) AS "_postgrest_t"
-- values: [1000]
