// Fixed SQL pieces every auth store shares (a leaf module, so the stores can import it
// without importing each other).
import { raw, type Sql } from '../../lib/sql.ts';

/** The nil instance id GoTrue writes on users and refresh tokens. */
export const INSTANCE = '00000000-0000-0000-0000-000000000000';

/** A timestamp column as GoTrue writes it in JSON: RFC 3339, microseconds, UTC. `col` is fixed text. */
export const TS = (col: string): Sql => raw(`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);
