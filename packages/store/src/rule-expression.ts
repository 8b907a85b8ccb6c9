import { changedFields, type Change, type Guard } from '@drumbeat/core';

/**
 * A lifecycle rule (`@drumbeat/core`'s `Rule`) as DynamoDB expressions: its
 * guards become the ConditionExpression (with `attribute_exists(pk)`), its
 * change the UpdateExpression (with `version = version + 1`). Every field and
 * value goes through a placeholder, so no field name is ever a reserved word.
 */
export interface RuleExpression {
  ConditionExpression: string;
  UpdateExpression: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private readonly byName = new Map<string, string>();
  private n = 0;

  name(field: string): string {
    let p = this.byName.get(field);
    if (!p) {
      p = `#f${this.byName.size}`;
      this.byName.set(field, p);
      this.names[p] = field;
    }
    return p;
  }

  value(v: unknown): string {
    const p = `:v${this.n++}`;
    this.values[p] = v;
    return p;
  }
}

function condition(g: Guard, p: Placeholders): string {
  if ('anyOf' in g) return `(${g.anyOf.map((h) => condition(h, p)).join(' OR ')})`;
  const f = p.name(g.field);
  if ('absent' in g) return `attribute_not_exists(${f})`;
  if ('present' in g) return `attribute_exists(${f})`;
  if ('eq' in g) return `${f} = ${p.value(g.eq)}`;
  if ('in' in g) return `${f} IN (${g.in.map((v) => p.value(v)).join(', ')})`;
  if ('atMost' in g) return `${f} <= ${p.value(g.atMost)}`;
  if ('below' in g) return `${f} < ${p.value(g.below)}`;
  return `${f} > ${p.value(g.above)}`;
}

/** The condition of a rule's guards (the item must exist), with its placeholders. */
export function guardExpression(when: readonly Guard[], p = new Placeholders()) {
  const ConditionExpression = ['attribute_exists(pk)', ...when.map((g) => condition(g, p))].join(' AND ');
  return { ConditionExpression, ...placeholders(p) };
}

/** DynamoDB refuses an empty map of names or values: an empty one is left out. */
function placeholders(p: Placeholders) {
  return {
    ...(Object.keys(p.names).length ? { ExpressionAttributeNames: p.names } : {}),
    ...(Object.keys(p.values).length ? { ExpressionAttributeValues: p.values } : {}),
  };
}

/** The conditional update of a rule: its guards, its change and the version bump. */
export function ruleExpression(when: readonly Guard[], change: Change): RuleExpression {
  changedFields(change);
  const p = new Placeholders();
  const sets = [`${p.name('version')} = ${p.name('version')} + ${p.value(1)}`];
  for (const [k, v] of Object.entries(change.set ?? {})) if (v !== undefined) sets.push(`${p.name(k)} = ${p.value(v)}`);
  for (const [k, v] of Object.entries(change.setIfAbsent ?? {}))
    if (v !== undefined) sets.push(`${p.name(k)} = if_not_exists(${p.name(k)}, ${p.value(v)})`);
  for (const [k, v] of Object.entries(change.add ?? {}))
    sets.push(`${p.name(k)} = if_not_exists(${p.name(k)}, ${p.value(0)}) + ${p.value(v)}`);
  for (const [k, v] of Object.entries(change.append ?? {}))
    sets.push(`${p.name(k)} = list_append(if_not_exists(${p.name(k)}, ${p.value([])}), ${p.value(v)})`);
  const remove = (change.remove ?? []).map((k) => p.name(k));
  const UpdateExpression = `SET ${sets.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`;
  const { ConditionExpression } = guardExpression(when, p);
  return { ConditionExpression, UpdateExpression, ...placeholders(p) };
}
