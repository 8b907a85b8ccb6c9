import type { LedgerDraft } from '@drumbeat/services';

/** A ledger draft for post number `n` (its id padded from `n`) of one account, by Anna, published Monday 11:00 UTC. */
export const ledgerDraft = (n: number): LedgerDraft => ({
  postId: `pst_${String(n).padStart(26, '0')}`,
  accountId: 'acc_01m8aaaaaaaaaaaaaaaaaaaaaa',
  voice: { id: 'vce_01m8aaaaaaaaaaaaaaaaaaaaaa', name: 'Anna', affiliation: 'agency', organization: null },
  approvedBy: [],
  channel: 'webhook',
  externalUrl: null,
  publishedAt: '2026-11-23T11:00:00.000Z',
  contentHash: 'c'.repeat(64),
});
