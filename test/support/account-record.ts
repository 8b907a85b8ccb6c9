import type { AccountRecord } from '@drumbeat/core';

/** A stored account for unit tests (Acme on Mastodon, Europe/Paris, manual channel), with `over` applied. */
export function accountRecord(over: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id: 'acc_1',
    workspaceId: 'ws_1',
    name: 'Acme',
    network: 'mastodon',
    handle: '@acme',
    timezone: 'Europe/Paris',
    channel: { type: 'manual' },
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    version: 1,
    ...over,
  };
}
