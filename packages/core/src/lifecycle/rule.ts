/**
 * A lifecycle rule: what must hold of a record for an event to apply, what
 * changes, and what the caller must then do. Rules are data, so the same rule
 * is decided here on a record in memory (`decide`) and applied by the store as
 * one conditional write built from it: the guard a test checks in memory is
 * the condition the table enforces, with no second copy written by hand.
 */

/** A value a guard compares with: instants are ISO 8601 strings, compared as text (as DynamoDB does). */
export type Scalar = string | number | boolean;

/** One condition on a top-level field of the record. A missing field fails every comparison, as in DynamoDB. */
export type Guard =
  | { field: string; eq: Scalar }
  | { field: string; in: readonly Scalar[] }
  | { field: string; atMost: string | number }
  | { field: string; below: string | number }
  | { field: string; above: string | number }
  | { field: string; absent: true }
  | { field: string; present: true }
  | { anyOf: readonly Guard[] };

/**
 * What a rule changes. `set` skips undefined values (a field that does not
 * apply is left as it is); `setIfAbsent` keeps a value already there; `add`
 * adds to a number (counting from 0 when absent); `append` adds items at the
 * end of a list (starting from an empty one when absent), so a rule that
 * records one more decision needs no copy of the list it read. Every change
 * also adds one to `version`.
 */
export interface Change {
  set?: Readonly<Record<string, unknown>>;
  setIfAbsent?: Readonly<Record<string, unknown>>;
  add?: Readonly<Record<string, number>>;
  append?: Readonly<Record<string, readonly unknown[]>>;
  remove?: readonly string[];
}

export interface Rule<Effect = never> {
  /** All must hold. */
  when: readonly Guard[];
  change: Change;
  /** What the caller does once the change is stored, in order. */
  effects: readonly Effect[];
}

/** A rule decided on a record: the next record and the effects, or the guard that refused it. */
export type Decision<S, Effect> = { ok: true; next: S; effects: readonly Effect[] } | { ok: false; refused: Guard };

type Fields = Readonly<Record<string, unknown>>;

function compare(value: unknown, bound: string | number): number | undefined {
  if (typeof value !== typeof bound) return undefined;
  return (value as string | number) < bound ? -1 : (value as string | number) > bound ? 1 : 0;
}

/** Whether a guard holds of a record. */
export function guardHolds(state: Fields, g: Guard): boolean {
  if ('anyOf' in g) return g.anyOf.some((h) => guardHolds(state, h));
  const v = state[g.field];
  if ('absent' in g) return v === undefined;
  if ('present' in g) return v !== undefined;
  if ('eq' in g) return v === g.eq;
  if ('in' in g) return g.in.includes(v as Scalar);
  const c = compare(v, 'atMost' in g ? g.atMost : 'below' in g ? g.below : g.above);
  if (c === undefined) return false;
  return 'atMost' in g ? c <= 0 : 'below' in g ? c < 0 : c > 0;
}

/** The field a guard is on (the first one, for anyOf): what a service names when the guard refuses. */
export function guardField(g: Guard): string {
  return 'anyOf' in g ? (g.anyOf[0] ? guardField(g.anyOf[0]) : '') : g.field;
}

/** The first guard that does not hold, or undefined when all do. */
export function refusal(state: object, when: readonly Guard[]): Guard | undefined {
  return when.find((g) => !guardHolds(state as Fields, g));
}

/** The fields a change writes; throws when one is written twice (one write may touch a field once). */
export function changedFields(change: Change): string[] {
  const fields = [
    ...Object.keys(change.set ?? {}),
    ...Object.keys(change.setIfAbsent ?? {}),
    ...Object.keys(change.add ?? {}),
    ...Object.keys(change.append ?? {}),
    ...(change.remove ?? []),
  ];
  const twice = fields.find((f, i) => fields.indexOf(f) !== i || f === 'version');
  if (twice) throw new Error(`a change writes ${twice} twice (version is bumped by every change)`);
  return fields;
}

/** The record after a change (the version bumped), as the store's write leaves it. */
export function applyChange<S extends { version: number }>(state: S, change: Change): S {
  changedFields(change);
  const next: Record<string, unknown> = { ...state };
  for (const [k, v] of Object.entries(change.setIfAbsent ?? {}))
    if (next[k] === undefined && v !== undefined) next[k] = v;
  for (const [k, n] of Object.entries(change.add ?? {})) next[k] = ((next[k] as number | undefined) ?? 0) + n;
  for (const [k, items] of Object.entries(change.append ?? {}))
    next[k] = [...((next[k] as unknown[] | undefined) ?? []), ...items];
  for (const [k, v] of Object.entries(change.set ?? {})) if (v !== undefined) next[k] = v;
  for (const k of change.remove ?? []) delete next[k];
  next.version = state.version + 1;
  return next as S;
}

/** Decides a rule on a record: applied when every guard holds, refused (naming the guard) otherwise. */
export function decide<S extends { version: number }, Effect>(state: S, rule: Rule<Effect>): Decision<S, Effect> {
  const refused = refusal(state, rule.when);
  if (refused) return { ok: false, refused };
  return { ok: true, next: applyChange(state, rule.change), effects: rule.effects };
}
