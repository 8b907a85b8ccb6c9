import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Change, Guard } from '@drumbeat/core';
import { conditionalWrite, fromItem, isConditionFailed, type Db } from './db.js';
import { guardExpression, ruleExpression } from './rule-expression.js';

type Key = { pk: string; sk: string };

/**
 * Applies a lifecycle rule to one item with a single conditional update: the
 * new record, or undefined when a guard does not hold (or the item is gone).
 */
export async function applyRule<T>(
  db: Db,
  key: Key,
  rule: { when: readonly Guard[]; change: Change },
): Promise<T | undefined> {
  try {
    const r = await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: key,
        ...ruleExpression(rule.when, rule.change),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return fromItem<T>(r.Attributes!);
  } catch (err) {
    if (isConditionFailed(err)) return undefined;
    throw err;
  }
}

/**
 * Writes a whole item decided in memory (its keys derived again, e.g. an
 * index's sort key from a new time) if the rule's guards hold of the stored
 * one: true when written, false when a guard does not hold.
 */
export async function putIfRule(db: Db, item: Record<string, unknown>, when: readonly Guard[]): Promise<boolean> {
  return conditionalWrite(db.doc.send(new PutCommand({ TableName: db.table, Item: item, ...guardExpression(when) })));
}

/** Writes a new item: true when written, false when an item is at its key already (the first writer wins). */
export async function putNew(db: Db, item: Record<string, unknown>): Promise<boolean> {
  return conditionalWrite(
    db.doc.send(new PutCommand({ TableName: db.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
  );
}

/** Deletes an item if the guards hold of it: true when deleted, false when one does not (or it is gone). */
export async function deleteIfRule(db: Db, key: Key, when: readonly Guard[]): Promise<boolean> {
  return conditionalWrite(db.doc.send(new DeleteCommand({ TableName: db.table, Key: key, ...guardExpression(when) })));
}
