// Choosing the function an RPC call means: by name in the selected schema, then among
// overloads by the argument names given (PostgREST's rules), falling back to a function
// with one unnamed json/jsonb (or text/xml/bytea) parameter for the whole body.
import type { SchemaCache } from '../../schema-cache/types.ts';
import { qualified } from '../../schema-cache/types.ts';
import { restErrors } from '../errors.ts';
import { closest } from '../fuzzy.ts';
import type { RoutineInfo } from './types.ts';

export type ArgStyle = 'named' | 'single-json' | 'single-raw';

export interface ChosenRoutine {
  readonly routine: RoutineInfo;
  readonly style: ArgStyle;
}

const inputs = (r: RoutineInfo) => r.args.filter((a) => a.mode === 'in' || a.mode === 'inout' || a.mode === 'variadic');
const RAW_TYPE: Readonly<Record<string, string>> = { 'text/plain': 'text', 'text/xml': 'xml', 'application/octet-stream': 'bytea' };

/** Callable: every input named, or exactly one unnamed input of a body type. */
function callable(r: RoutineInfo): boolean {
  const ins = inputs(r);
  if (ins.every((a) => a.name !== '')) return true;
  return ins.length === 1 && ['bytea', 'json', 'jsonb', 'text', 'xml'].includes(ins[0]?.type ?? '');
}

/** An unnamed parameter answers to the key '' (supabase-js sends `{ '': value }`). */
function matchesNames(r: RoutineInfo, keys: ReadonlySet<string>): boolean {
  const ins = inputs(r);
  const required = ins.filter((a) => !a.hasDefault).map((a) => a.name);
  const optional = ins.filter((a) => a.hasDefault).map((a) => a.name);
  if (!required.every((k) => keys.has(k))) return false;
  return [...keys].every((k) => required.includes(k) || optional.includes(k));
}

/** Functions PostgREST knows: the callable ones and those taking one table row (computed fields). */
function known(r: RoutineInfo): boolean {
  const ins = inputs(r);
  return r.returnType !== 'trigger' && (callable(r) || (ins.length === 1 && ins[0]?.relation !== null));
}

/**
 * PGRST202's hint: when functions of that name exist, the closest parameter list
 * (`fn(a, b)`); otherwise the closest function name.
 */
function suggestion(cache: SchemaCache, schema: string, name: string, keys: readonly string[]): string | undefined {
  const same = (cache.routines.get(qualified(schema, name)) ?? []).filter(known);
  if (same.length > 0) {
    const lists = same.map((r) => inputs(r).map((a) => a.name).sort().join(','));
    const best = closest([...keys].sort().join(','), lists);
    return best === undefined ? undefined : `${name}(${best.split(',').join(', ')})`;
  }
  const names = [...cache.routines.entries()].filter(([k, rs]) => k.startsWith(`${schema}.`) && rs.some(known)).map(([k]) => k.slice(schema.length + 1));
  return closest(name, names);
}

export function callableRoutines(cache: SchemaCache, schema: string, name: string): RoutineInfo[] {
  return (cache.routines.get(qualified(schema, name)) ?? []).filter((r) => callable(r) && r.returnType !== 'trigger');
}

/** The routine's one input when it has a single unnamed one (called positionally). */
export function unnamedInput(r: RoutineInfo): RoutineInfo['args'][number] | undefined {
  const ins = inputs(r);
  return ins.length === 1 && ins[0]?.name === '' ? ins[0] : undefined;
}

const signature = (r: RoutineInfo) => `${r.schema}.${r.name}(${inputs(r).map((a) => `${a.name} => ${a.type}`).join(', ')})`;

export function chooseRoutine(cache: SchemaCache, schema: string, name: string, keys: readonly string[], body: 'json' | 'none' | keyof typeof RAW_TYPE): ChosenRoutine {
  const all = callableRoutines(cache, schema, name);
  const keySet = new Set(keys);
  const named = all.filter((r) => matchesNames(r, keySet));
  let chosen: ChosenRoutine[] = named.map((routine) => ({ routine, style: 'named' as const }));
  if (chosen.length === 0 && body !== 'none') {
    const wanted = body === 'json' ? ['json', 'jsonb'] : [RAW_TYPE[body] as string];
    chosen = all
      .filter((r) => {
        const ins = inputs(r);
        return ins.length === 1 && ins[0]?.name === '' && wanted.includes(ins[0].type);
      })
      .map((routine) => ({ routine, style: body === 'json' ? ('single-json' as const) : ('single-raw' as const) }));
  }
  if (chosen.length === 1) return chosen[0] as ChosenRoutine;
  if (chosen.length > 1) {
    const ordered = [...chosen].sort((a, b) => inputs(a.routine).length - inputs(b.routine).length);
    throw restErrors.ambiguousFunction(ordered.map((c) => signature(c.routine)));
  }
  throw restErrors.noFunction(schema, name, [...keys].sort(), suggestion(cache, schema, name, keys));
}
