import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allowAllUrls, type Clock } from '@drumbeat/core';
import { createDb, ensureTable, Store } from '@drumbeat/store';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '@drumbeat/local';
import { OutboxMailer } from '../../packages/local/src/mail/index.js';

/** An embedded store whose every DynamoDB request is counted, by operation. */
export interface CountedStore {
  dynamo: EmbeddedDynamo;
  store: Store;
  /** Requests sent since the last reset, by command name. */
  counts: Map<string, number>;
  total(): number;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Starts dynalite (in memory, or on disk under `path`) with the table and a
 * request counter on the real SDK client; `open` lets other clients in.
 */
export async function startCountedStore(opts: { path?: string; open?: boolean } = {}): Promise<CountedStore> {
  const dynamo = await startEmbeddedDynamo(opts);
  await ensureTable(dynamo.client, 'drumbeat-bench');
  const counts = new Map<string, number>();
  dynamo.client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String((context as { commandName?: string }).commandName ?? 'unknown');
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'drumbeatOpCounter' },
  );
  const store = new Store(createDb(dynamo.client, 'drumbeat-bench'));
  return {
    dynamo,
    store,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    reset: () => counts.clear(),
    close: () => dynamo.close(),
  };
}

/** Percentile of a sorted array (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `fn` for 0..n-1 with at most `c` at once. */
export async function pool(n: number, c: number, fn: (i: number) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(c, n) }, async () => {
      while (i < n) await fn(i++);
    }),
  );
}

/**
 * The services' dependencies a bench leaves quiet: every URL allowed, webhooks that go nowhere and succeed,
 * mail to an outbox in a fresh folder named after `name` (dated by `clock`), links under bench.example.
 */
export function quietDeps(name: string, clock: Clock) {
  return {
    urlPolicy: allowAllUrls,
    webhookSender: { send: async () => ({ ok: true, retryable: false, durationMs: 0 }) },
    mailer: new OutboxMailer({
      dir: mkdtempSync(join(tmpdir(), `drumbeat-${name}-bench-`)),
      from: 'bench@example.com',
      log: () => {},
      clock,
    }),
    publicUrl: 'http://bench.example',
  };
}
