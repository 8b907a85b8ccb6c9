/**
 * Audits a drumbeat ledger export against checkpoints collected by anyone
 * else (a webhook receiver keeping `post.published` events, an archive of the
 * transparency page). Pure: Web Crypto and no Node import, so it runs in
 * Node 20+, browsers, Deno and workers alike.
 */
import { auditLedger } from '@drumbeat/core/audit';
import type { AuditLedgerEntry as LedgerEntry, AuditReport, Checkpoint } from './types.js';

export type { AuditFinding, AuditReport, Checkpoint } from './types.js';

/** A ledger export as read: its entries, and the workspace and key it states when it does. */
export interface LedgerExportInput {
  workspace?: string | undefined;
  publicKey?: string | null | undefined;
  entries: LedgerEntry[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a ledger export: `GET /v1/attribution/export`'s `{workspace, publicKey, entries}`,
 * a page `{items}`, or a bare array of entries.
 */
export function readLedgerExport(json: unknown): LedgerExportInput {
  if (Array.isArray(json)) return { entries: json as LedgerEntry[] };
  if (isObject(json) && Array.isArray(json.entries)) {
    const { workspace, publicKey } = json;
    return {
      ...(typeof workspace === 'string' ? { workspace } : {}),
      ...(typeof publicKey === 'string' || publicKey === null ? { publicKey } : {}),
      entries: json.entries as LedgerEntry[],
    };
  }
  if (isObject(json) && Array.isArray(json.items)) return { entries: json.items as LedgerEntry[] };
  throw new Error('not a ledger export: expected {workspace, publicKey, entries}, {items} or an array of entries');
}

/** The checkpoint a collected value holds: a checkpoint itself, a `post.published` event, or a transparency page's JSON. */
export function checkpointOf(value: unknown): Checkpoint | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.signature === 'string' && typeof value.seq === 'number') return value as Checkpoint;
  const ledger = isObject(value.data) && isObject(value.data.ledger) ? value.data.ledger : undefined;
  if (isObject(ledger?.checkpoint)) return ledger.checkpoint as Checkpoint;
  const latest = isObject(value.checkpoints) ? value.checkpoints.latest : undefined;
  if (isObject(latest)) return latest as Checkpoint;
  return undefined;
}

/**
 * Reads collected checkpoints: JSON Lines (one checkpoint, event or page per
 * line) or one JSON array. Lines that hold no checkpoint (other events) are
 * skipped; a line that is not JSON is an error naming it.
 */
export function readCheckpoints(text: string): Checkpoint[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('['))
    return (JSON.parse(trimmed) as unknown[]).map(checkpointOf).filter((c): c is Checkpoint => c !== undefined);
  const out: Checkpoint[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`checkpoints, line ${i + 1}: not JSON`);
    }
    const cp = checkpointOf(value);
    if (cp) out.push(cp);
  });
  return out;
}

/**
 * Checks the export against the checkpoints: the chain holds, and every
 * checkpoint's signed head is still in it. `publicKey` pins the key the
 * checkpoints must be signed with (else the key they carry, which must agree).
 */
export function verifyLedger(
  ledger: LedgerExportInput,
  checkpoints: Checkpoint[],
  opts: { publicKey?: string } = {},
): Promise<AuditReport> {
  return auditLedger(ledger.entries, checkpoints, {
    ...(ledger.workspace ? { workspace: ledger.workspace } : {}),
    ...(opts.publicKey ? { publicKey: opts.publicKey } : {}),
  });
}

/** The report in words, one finding a line, for a terminal. */
export function formatReport(r: AuditReport): string {
  const lines = [
    `${r.ok ? 'OK' : 'FAILED'}: ledger of ${r.workspace ?? 'an unknown workspace'}, ${r.entries} entries${r.head ? ` (head ${r.head.seq})` : ''}`,
    `checkpoints: ${r.checkpoints.total} for this workspace, ${r.checkpoints.verified} with a valid signature, ${r.checkpoints.matched} found in the ledger${r.checkpoints.ignored ? `; ${r.checkpoints.ignored} of other workspaces ignored` : ''}`,
  ];
  for (const f of r.findings) lines.push(`  ${f.kind} at entry ${f.seq}: ${f.message}`);
  if (r.ok && r.checkpoints.verified === 0)
    lines.push(
      '  note: no verified checkpoint, so only the hash chain was checked (it proves nothing against a rewrite of the whole chain)',
    );
  return lines.join('\n');
}
