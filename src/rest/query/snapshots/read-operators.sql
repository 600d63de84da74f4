-- GET /films?title=ilike.*samurai*&id=in.(1,2,"3")&genre=not.is.null&summary=fts(english).samurai&runtime=adj.[80,85)&title=like(any).{R*,S*}
WITH pgrst_source AS (SELECT "films".*
  FROM "public"."films" AS "films"
  WHERE "films"."title" ILIKE $1 AND "films"."id" = ANY($2) AND NOT ("films"."genre" IS NULL) AND "films"."summary" @@ to_tsquery($3::regconfig, $4) AND "films"."runtime" -|- $5 AND "films"."title" LIKE ANY($6)
  LIMIT $7)
  SELECT null::bigint AS total_result_set, pg_catalog.count("_postgrest_t")::int AS page_total, coalesce(json_agg("_postgrest_t"), '[]')::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status
  FROM (SELECT *
  FROM pgrst_source) AS "_postgrest_t"
-- values: ["%samurai%","{\"1\",\"2\",\"3\"}","english","samurai","[80,85)","{R%,S%}",1000]
