import { describe, expect, it } from 'vitest';
import { createDb, Store } from '@drumbeat/store';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Channel } from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import { ALL_SERVICES, lazyServices } from './lazy-services.js';
import { createServices } from './services.js';

// Building the use-cases does no I/O: a client that is never called is enough.
const deps: ServiceDeps = {
  store: new Store(createDb(new DynamoDBClient({ region: 'local', endpoint: 'http://127.0.0.1:9' }), 'never-called')),
  clock: { now: () => new Date('2026-12-06T12:00:00Z') },
  urlPolicy: { check: async () => {} } as unknown as ServiceDeps['urlPolicy'],
  scheduler: {} as ServiceDeps['scheduler'],
  webhookSender: {} as ServiceDeps['webhookSender'],
  channelFor: () => ({}) as Channel,
  mailer: {} as ServiceDeps['mailer'],
  publicUrl: 'https://drumbeat.test',
};

describe('the use-cases, each built on first use', () => {
  it.each(ALL_SERVICES)('%s builds with only the modules SERVICE_MODULES lists loaded', async (name) => {
    const lazy = lazyServices(deps);
    const services = await lazy.prepare([name]);
    expect(services[name]).toBeDefined();
    expect(services[name]).toBe(services[name]); // built once
  });

  it('a use-case whose modules were not prepared is refused, naming its module', async () => {
    const lazy = lazyServices(deps);
    await lazy.prepare(['workspaces']);
    expect(lazy.services.workspaces).toBeDefined();
    expect(() => lazy.services.publisher).toThrow(/publisher module is not loaded/);
  });

  it('every use-case builds when all are loaded up front, and the same objects are shared', () => {
    const services = createServices(deps);
    for (const name of ALL_SERVICES) expect(services[name], name).toBeDefined();
    expect(services.csvImport).toBe(services.csvImport);
  });

  it('a hook reaches the watchdog and listening, loaded by the call itself', async () => {
    const lazy = lazyServices(deps);
    const { accounts } = await lazy.prepare(['accounts']);
    expect(accounts).toBeDefined();
    // The watchdog reads the account (a missing table here): the hook logs the failure, never throws, and
    // got as far as the watchdog, whose modules the call loaded.
    const lines: string[] = [];
    const quiet = lazyServices({ ...deps, logger: { info() {}, warn() {}, error: (_f, m) => void lines.push(m) } });
    await quiet.prepare(['accounts']);
    await quiet.services.hooks.accountChanged('wsp_1', 'acc_1');
    expect(lines).toEqual(['hook accountChanged failed']);
    expect(quiet.services.watchdog).toBeDefined(); // loaded by the hook, not by prepare
  });
});
