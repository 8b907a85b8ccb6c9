import { wsPk } from './workspace-keys.js';

/**
 * The attribution ledger: one item per entry at `LEDGER#<seq>` (the sequence
 * number zero-padded to 12 digits, so the sort key orders entries) in the
 * workspace partition, also on GSI1 under its account (`WS#<ws>#ACC#<account>#LEDGER`).
 *
 * Access patterns:
 * - append: conditional Put `WS#<ws>` / `LEDGER#<seq>` (LedgerRepo.append: services ledger.ts)
 * - one entry: GetItem `LEDGER#<seq>` (LedgerRepo.entryAt: rollback-check)
 * - head, tail, by post, latest signed, a page: Query `WS#<ws>`, begins_with `LEDGER#` (LedgerRepo: ledger.ts, rollback-check)
 * - an account's entries: Query gsi1 `…#ACC#<account>#LEDGER` (LedgerRepo.recentByAccount, .list: transparency, ledger.ts)
 * - withdraw an unacknowledged append: Delete `LEDGER#<seq>` (LedgerRepo.withdraw)
 */
export const LEDGER_PREFIX = 'LEDGER#';
export const ledgerSk = (seq: number) => `${LEDGER_PREFIX}${String(seq).padStart(12, '0')}`;
export const ledgerKey = (ws: string, seq: number) => ({ pk: wsPk(ws), sk: ledgerSk(seq) });
export const ledgerByAccount = (ws: string, account: string) => `${wsPk(ws)}#ACC#${account}#LEDGER`;
