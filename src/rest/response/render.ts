// Stage 5: the database outcome becomes status, headers and body, with PostgREST's
// Content-Range rules (200/206/416), Preference-Applied, Content-Profile, and the
// response.headers / response.status settings SQL may have set.
import type { ApiError } from '../../errors/api-error.ts';
import { restErrors } from '../errors.ts';
import type { DbOutcome } from '../execute.ts';
import type { RenderInfo } from '../plan/common.ts';

export interface RestResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/** `lower-upper/total`, `*` where unknown or empty. */
export function contentRange(lower: number, rows: number, total: number | undefined): string {
  const upper = lower + rows - 1;
  const range = lower <= upper && total !== 0 ? `${lower}-${upper}` : '*';
  return `${range}/${total ?? '*'}`;
}

/** Applies response.headers (a JSON array of one-key objects) and response.status. */
function applyGucs(res: RestResponse, outcome: DbOutcome): RestResponse {
  let status = res.status;
  const headers = { ...res.headers };
  if (outcome.responseHeaders !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(outcome.responseHeaders);
    } catch {
      throw restErrors.responseHeaders();
    }
    if (!Array.isArray(parsed)) throw restErrors.responseHeaders();
    for (const item of parsed) {
      const entries = typeof item === 'object' && item !== null ? Object.entries(item as Record<string, unknown>) : [];
      const [entry] = entries;
      if (entries.length !== 1 || entry === undefined || typeof entry[1] !== 'string') throw restErrors.responseHeaders();
      headers[entry[0].toLowerCase()] = entry[1];
    }
  }
  if (outcome.responseStatus !== null) {
    const n = Number(outcome.responseStatus);
    if (!Number.isInteger(n) || n < 100 || n > 599) throw restErrors.responseStatus();
    status = n;
  }
  return { ...res, status, headers };
}

function common(info: RenderInfo, schema: string, negotiatedSchema: boolean, withBody: boolean): Record<string, string> {
  const h: Record<string, string> = {};
  if (withBody) {
    h['content-type'] = info.negotiated.contentType;
    if (negotiatedSchema) h['content-profile'] = schema;
  }
  if (info.preferenceApplied.length > 0) h['preference-applied'] = info.preferenceApplied.join(', ');
  return h;
}

export function renderRead(info: RenderInfo, outcome: DbOutcome, schema: string, negotiatedSchema: boolean): RestResponse {
  if (info.void === true) return applyGucs({ status: 204, headers: common(info, schema, negotiatedSchema, false), body: undefined }, outcome);
  const headers = common(info, schema, negotiatedSchema, true);
  const total = outcome.total;
  headers['content-range'] = contentRange(info.offset, outcome.pageTotal, total);
  if (info.contentLocation !== undefined) headers['content-location'] = info.contentLocation;
  let status = 200;
  let body: string | undefined = info.headOnly ? undefined : outcome.body;
  if (total !== undefined && info.offset > total) {
    // Built on the success path, as PostgREST does: the headers above stay.
    const e: ApiError = restErrors.range(`An offset of ${info.offset} was requested, but there are only ${total} rows.`);
    status = 416;
    body = info.headOnly ? undefined : JSON.stringify(e.body);
    headers['content-type'] = 'application/json; charset=utf-8';
  } else if (total !== undefined && outcome.pageTotal < total) status = 206;
  return applyGucs({ status, headers, body }, outcome);
}

/** `Location: /table?pk=eq.value…` from the written row's key (null → is.null). */
function location(table: string, pkJson: unknown, pk: readonly string[]): string | undefined {
  if (typeof pkJson !== 'string') return undefined;
  const values = JSON.parse(pkJson) as Record<string, unknown>;
  const parts = pk.map((k) => {
    const v = values[k];
    return `${encodeURIComponent(k)}=${v === null ? 'is.null' : `eq.${encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v))}`}`;
  });
  return `/${encodeURIComponent(table)}?${parts.join('&')}`;
}

export function renderWrite(info: RenderInfo, outcome: DbOutcome, schema: string, negotiatedSchema: boolean): RestResponse {
  const w = info.write;
  if (w === undefined) throw new Error('renderWrite needs write facts');
  const withBody = w.returnPref === 'representation';
  const headers = common(info, schema, negotiatedSchema, withBody);
  const n = outcome.pageTotal;
  const total = info.count === undefined ? undefined : n;
  let status: number;
  switch (info.kind) {
    case 'insert': {
      headers['content-range'] = `*/${total ?? '*'}`;
      const inserted = outcome.row['inserted'];
      status = w.mergeDuplicates && typeof inserted === 'number' && inserted === 0 ? 200 : 201;
      if (w.returnPref === 'headers-only' && n === 1) {
        const loc = location(w.table, outcome.row['location'], w.primaryKey);
        if (loc !== undefined) headers['location'] = loc;
      }
      break;
    }
    case 'update':
      headers['content-range'] = n === 0 ? `*/${total ?? '*'}` : `0-${n - 1}/${total ?? '*'}`;
      status = withBody ? 200 : 204;
      break;
    case 'delete':
      headers['content-range'] = `*/${total ?? '*'}`;
      status = withBody ? 200 : 204;
      break;
    default: {
      const inserted = outcome.row['inserted'];
      status = withBody ? (typeof inserted === 'number' && inserted === 0 ? 200 : 201) : 204;
    }
  }
  return applyGucs({ status, headers, body: withBody ? outcome.body : undefined }, outcome);
}
