-- GET /films?or=(year.lt.1955,and(rating.gte.8,genre.not.eq.drama))&tags=cs.{classic}
WITH pgrst_source AS (SELECT "films".*
  FROM "public"."films" AS "films"
  WHERE "films"."tags" @> $1 AND ("films"."year" < $2 OR ("films"."rating" >= $3 AND NOT ("films"."genre" = $4)))
  LIMIT $5)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, coalesce(json_agg("_postgrest_t"), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) AS "_postgrest_t"
-- values: ["{classic}","1955","8","drama",1000]
