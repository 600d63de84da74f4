// Content negotiation: the first acceptable media type in Accept order picks the handler.
import { restErrors } from '../errors.ts';
import type { MediaType } from '../request/accept.ts';
import type { Handler, Negotiated } from './types.ts';

const CHARSET = '; charset=utf-8';

export interface NegotiateOptions {
  readonly planEnabled: boolean;
  readonly singularAllowed: boolean;
  /** PostGIS is installed (ST_AsGeoJSON exists): application/geo+json is available. */
  readonly geojson: boolean;
}

function handlerOf(m: MediaType, o: NegotiateOptions): Omit<Negotiated, 'plan'> | undefined {
  const t = `${m.type}/${m.subtype}`;
  const singularAllowed = o.singularAllowed;
  if (t === 'application/geo+json' && o.geojson) return { handler: 'geojson', stripNulls: false, contentType: `application/geo+json${CHARSET}` };
  const stripped = m.params['nulls'] === 'stripped';
  if (t === '*/*' || t === 'application/*' || t === 'application/json') return { handler: 'array', stripNulls: false, contentType: `application/json${CHARSET}` };
  if (t === 'application/vnd.pgrst.array+json' || t === 'application/vnd.pgrst.array') {
    return { handler: 'array', stripNulls: stripped, contentType: stripped ? `application/vnd.pgrst.array+json;nulls=stripped${CHARSET}` : `application/json${CHARSET}` };
  }
  if ((t === 'application/vnd.pgrst.object+json' || t === 'application/vnd.pgrst.object') && singularAllowed) {
    return { handler: 'object', stripNulls: stripped, contentType: `application/vnd.pgrst.object+json${stripped ? ';nulls=stripped' : ''}${CHARSET}` };
  }
  if (t === 'text/csv' || t === 'text/*') return { handler: 'csv', stripNulls: false, contentType: `text/csv${CHARSET}` };
  return undefined;
}

export function negotiate(accept: readonly MediaType[], options: NegotiateOptions): Negotiated {
  for (const m of accept) {
    const t = `${m.type}/${m.subtype}`;
    if (options.planEnabled && (t === 'application/vnd.pgrst.plan' || t === 'application/vnd.pgrst.plan+text' || t === 'application/vnd.pgrst.plan+json')) {
      const format = t.endsWith('+json') ? 'json' : 'text';
      const forType = m.params['for'] ?? 'application/json';
      const inner = handlerOf({ type: forType.split('/')[0] ?? '', subtype: forType.split('/')[1] ?? '', params: {}, raw: forType }, options);
      if (inner === undefined) continue;
      const opts = (m.params['options'] ?? '').split('|').filter((o) => ['analyze', 'verbose', 'settings', 'buffers', 'wal'].includes(o));
      const optText = opts.length > 0 ? `; options=${opts.join('|')}` : '';
      return {
        handler: 'plan',
        stripNulls: false,
        contentType: `application/vnd.pgrst.plan+${format}; for="${forType}"${optText}${CHARSET}`,
        plan: { format, for: inner.handler as Handler, options: opts },
      };
    }
    const h = handlerOf(m, options);
    if (h !== undefined) return h;
  }
  throw restErrors.notAcceptable(accept.map((m) => m.raw));
}
