import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/**
 * The single table. Every item's `pk` starts with its workspace (`WS#<id>`),
 * except global claims (workspace slugs) that only map a public name to a
 * workspace, and address refs (`EMAIL#<address>` → `WS#<ws>#ACCOUNT|VOICE#<id>`,
 * email-ref-repo.ts) that lead a bounce report to the accounts and voices
 * using the address. GSI1 serves ordered listings inside a partition (posts of an
 * account by time) and the due-time index of local timers.
 */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'gsi1pk', AttributeType: 'S' },
      { AttributeName: 'gsi1sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'gsi1',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/** Creates the table when it does not exist and waits until it is active. Idempotent. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (d.Table?.TableStatus === 'ACTIVE') return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException) && (err as Error).name !== 'ResourceNotFoundException') throw err;
    try {
      await client.send(new CreateTableCommand(tableDefinition(tableName)));
    } catch (e) {
      if (!(e instanceof ResourceInUseException) && (e as Error).name !== 'ResourceInUseException') throw e;
    }
  }
  for (let i = 0; i < 600; i++) {
    const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const gsisActive = (d.Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
    if (d.Table?.TableStatus === 'ACTIVE' && gsisActive) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`table ${tableName} did not become active`);
}
