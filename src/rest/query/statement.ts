// The one statement of a request, PostgREST's shape: the rows in a CTE `pgrst_source`,
// aggregated into a single result row (total, page size, body as text, response GUCs), so
// the HTTP layer never iterates rows and PostgreSQL writes every byte of JSON.
import { empty, ident, join, sql, type Sql } from '../../lib/sql.ts';
import type { Handler } from '../plan/types.ts';

export interface BodySpec {
  readonly handler: Exclude<Handler, 'plan'>;
  readonly stripNulls: boolean;
  /** HEAD, or a write without representation: no body at all. */
  readonly none: boolean;
}

export interface OuterOptions {
  /** Extra CTEs placed before pgrst_source (payload, body rows). */
  readonly before?: readonly Sql[];
  /** The CTE defining pgrst_source (read select, INSERT … RETURNING, function call). */
  readonly source: Sql;
  /** What the response rows are: a select over pgrst_source, or pgrst_source itself. */
  readonly rows: Sql;
  /** Count CTE body (rows to count), for count=exact/estimated. */
  readonly count?: Sql;
  /** Caps the counted rows (count=estimated). */
  readonly countCap?: number;
  readonly body: BodySpec;
  /** Extra result columns (Location values, inserted rows…). */
  readonly extras?: readonly Sql[];
  /** A scalar function result: the body is the value itself, not an array of objects. */
  readonly scalar?: 'single' | 'set';
}

function bodySql(b: BodySpec, scalar: OuterOptions['scalar']): Sql {
  const t = ident('_postgrest_t');
  if (b.none) return sql`''::text`;
  if (scalar === 'single') return sql`coalesce((json_agg(${t}.pgrst_scalar)->0)::text, 'null')`;
  if (scalar === 'set') return sql`coalesce(json_agg(${t}.pgrst_scalar), '[]')::text`;
  const agg = b.stripNulls ? sql`json_strip_nulls(json_agg(${t}))` : sql`json_agg(${t})`;
  switch (b.handler) {
    case 'array':
      return sql`coalesce(${agg}, '[]')::text`;
    case 'object':
      return b.stripNulls ? sql`coalesce(json_strip_nulls(json_agg(${t})->0)::text, 'null')` : sql`coalesce((json_agg(${t})->0)::text, 'null')`;
    case 'geojson':
      return sql`json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(ST_AsGeoJSON(${t})::json), '[]'))::text`;
    case 'csv':
      // Header: the first row's keys; rows: each record's text without its parentheses.
      return sql`coalesce((SELECT string_agg(k, ',') FROM json_object_keys(json_agg(${t})->0) AS k), '') || E'\\n' || coalesce(string_agg(substring(${t}::text, 2, length(${t}::text) - 2), E'\\n'), '')`;
  }
}

export function outerStatement(o: OuterOptions): Sql {
  const ctes = [...(o.before ?? []), sql`pgrst_source AS (${o.source})`];
  if (o.count !== undefined) {
    const capped = o.countCap === undefined ? o.count : sql`${o.count} LIMIT ${o.countCap}`;
    ctes.push(sql`pgrst_source_count AS (${capped})`);
  }
  const total = o.count === undefined ? sql`null::bigint` : sql`(SELECT pg_catalog.count(*) FROM pgrst_source_count)`;
  const extras = o.extras === undefined || o.extras.length === 0 ? empty : sql`, ${join(o.extras)}`;
  return sql`WITH ${join(ctes)} SELECT ${total} AS total_result_set, pg_catalog.count(${ident('_postgrest_t')})::int AS page_total, ${bodySql(o.body, o.scalar)} AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status${extras} FROM (${o.rows}) AS ${ident('_postgrest_t')}`;
}

