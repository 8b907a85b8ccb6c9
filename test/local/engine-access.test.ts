import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDBClient, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '@drumbeat/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@drumbeat/local';

const open: EmbeddedDynamo[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
});

/** A local client that knows the engine's port, as any process on the machine can, but not this process's secret. */
const stranger = (endpoint: string) =>
  new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

describe('the embedded engine answers only its own process', () => {
  for (const thread of ['worker', 'main'] as const) {
    it(`refuses a local client without the process's secret (${thread} thread)`, async () => {
      const dynamo = await startEmbeddedDynamo({ thread });
      open.push(dynamo);
      await ensureTable(dynamo.client, 'drumbeat');
      expect((await dynamo.client.send(new ListTablesCommand({}))).TableNames).toEqual(['drumbeat']);

      const other = stranger(dynamo.endpoint);
      await expect(other.send(new ScanCommand({ TableName: 'drumbeat' }))).rejects.toMatchObject({
        name: 'UnrecognizedClientException',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(other.send(new ListTablesCommand({}))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
      other.destroy();
    });
  }
});
