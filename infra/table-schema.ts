import { tableDefinition } from '../packages/store/src/table.js';

/**
 * The single table as `sst.aws.Dynamo` arguments, derived from the store's own
 * `tableDefinition()` so the deployed keys and indexes cannot drift from the
 * ones the code (and the embedded runtime) uses.
 */

type FieldType = 'string' | 'number' | 'binary';

/** `sst.aws.Dynamo`'s `fields`, `primaryIndex` and `globalIndexes`, from the store's CreateTable input. */
export interface DynamoShape {
  fields: Record<string, FieldType>;
  primaryIndex: { hashKey: string; rangeKey?: string };
  globalIndexes: Record<string, { hashKey: string; rangeKey?: string; projection: 'all' | 'keys-only' }>;
}

const TYPES: Record<string, FieldType> = { S: 'string', N: 'number', B: 'binary' };

function keyOf(
  schema: { AttributeName?: string; KeyType?: string }[] | undefined,
  type: 'HASH' | 'RANGE',
): string | undefined {
  return schema?.find((k) => k.KeyType === type)?.AttributeName;
}

/** Translates `tableDefinition()` into the Dynamo component's shape; throws on what the component cannot express. */
export function dynamoShape(): DynamoShape {
  const def = tableDefinition('drumbeat');
  if (def.BillingMode !== 'PAY_PER_REQUEST') throw new Error('the store expects an on-demand table');
  const fields: Record<string, FieldType> = {};
  for (const a of def.AttributeDefinitions ?? []) {
    const type = TYPES[a.AttributeType ?? ''];
    if (!a.AttributeName || !type) throw new Error(`unsupported attribute ${JSON.stringify(a)}`);
    fields[a.AttributeName] = type;
  }
  const hashKey = keyOf(def.KeySchema, 'HASH');
  if (!hashKey) throw new Error('the table has no hash key');
  const rangeKey = keyOf(def.KeySchema, 'RANGE');
  const globalIndexes: DynamoShape['globalIndexes'] = {};
  for (const g of def.GlobalSecondaryIndexes ?? []) {
    const gHash = keyOf(g.KeySchema, 'HASH');
    const projection = g.Projection?.ProjectionType;
    if (!g.IndexName || !gHash || (projection !== 'ALL' && projection !== 'KEYS_ONLY'))
      throw new Error(`unsupported index ${JSON.stringify(g)}`);
    const gRange = keyOf(g.KeySchema, 'RANGE');
    globalIndexes[g.IndexName] = {
      hashKey: gHash,
      ...(gRange ? { rangeKey: gRange } : {}),
      projection: projection === 'ALL' ? 'all' : 'keys-only',
    };
  }
  return { fields, primaryIndex: { hashKey, ...(rangeKey ? { rangeKey } : {}) }, globalIndexes };
}

/** The attribute DynamoDB's TTL sweeps on (epoch seconds). Queries also filter on it: TTL deletion is late. */
export const TTL_ATTRIBUTE = 'expiresAt';
