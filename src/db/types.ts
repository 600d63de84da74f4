// How column values come back to JavaScript, the same for both adapters. Numbers that
// fit a double become numbers; 64-bit integers, numerics and all date/time types stay
// PostgreSQL's text so nothing is rounded or shifted by a time zone; JSON is parsed.

export const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  numeric: 1700,
  jsonb: 3802,
} as const;

export type Parser = (text: string) => unknown;

const asText: Parser = (t) => t;
const asNumber: Parser = (t) => Number(t);
const asJson: Parser = (t) => JSON.parse(t) as unknown;
const asBool: Parser = (t) => t === 't' || t === 'true';

/** Parsers by type OID; a type not listed here is returned as text. */
export const parsers: ReadonlyMap<number, Parser> = new Map<number, Parser>([
  [OID.bool, asBool],
  [OID.int2, asNumber],
  [OID.int4, asNumber],
  [OID.oid, asNumber],
  [OID.float4, asNumber],
  [OID.float8, asNumber],
  [OID.json, asJson],
  [OID.jsonb, asJson],
  [OID.int8, asText],
  [OID.numeric, asText],
  [OID.bytea, asText],
  [OID.date, asText],
  [OID.time, asText],
  [OID.timetz, asText],
  [OID.timestamp, asText],
  [OID.timestamptz, asText],
  [OID.interval, asText],
]);
