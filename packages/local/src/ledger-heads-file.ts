import { existsSync, readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LedgerHead } from '@drumbeat/core';

/** The file's name in the data dir. */
export const LEDGER_HEADS_FILE = 'ledger-heads.json';

/** Fsyncs a directory, so a rename in it survives a power loss. */
async function syncDir(dir: string): Promise<void> {
  const fd = await open(dir, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

/**
 * Each workspace's ledger head, kept beside the store (`<dataDir>/ledger-heads.json`)
 * and synced after each ledger append: a store found behind it at boot has
 * lost writes. Written whole to a temporary file, synced and renamed over the
 * old one, so a crash leaves the old heads or the new ones, never half a file.
 * Heads recorded while a write is under way go out together in the next one.
 */
export class LedgerHeadsFile {
  private readonly heads: Map<string, LedgerHead>;
  private writing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly dataDir: string) {
    this.heads = new Map(Object.entries(LedgerHeadsFile.read(dataDir)));
  }

  /** The heads recorded in `dataDir` (none when the file does not exist yet). */
  static read(dataDir: string): Record<string, LedgerHead> {
    const file = join(dataDir, LEDGER_HEADS_FILE);
    if (!existsSync(file)) return {};
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Record<string, LedgerHead>;
    } catch (err) {
      throw new Error(`${file} is unreadable (${(err as Error).message}): restore it from a backup with the data dir`);
    }
  }

  /** The heads as recorded, by workspace. */
  all(): Record<string, LedgerHead> {
    return Object.fromEntries(this.heads);
  }

  /** Records a workspace's head (never moving it back) and resolves once it is on disk. */
  record(ws: string, head: LedgerHead): Promise<void> {
    const known = this.heads.get(ws);
    if (!known || head.seq >= known.seq) this.heads.set(ws, head);
    if (!this.writing) {
      this.writing = this.write().finally(() => (this.writing = undefined));
      return this.writing;
    }
    this.queued ??= this.writing.then(
      () => ((this.queued = undefined), this.record(ws, this.heads.get(ws)!)),
      () => ((this.queued = undefined), this.record(ws, this.heads.get(ws)!)),
    );
    return this.queued;
  }

  private async write(): Promise<void> {
    const file = join(this.dataDir, LEDGER_HEADS_FILE);
    const tmp = `${file}.tmp`;
    const fd = await open(tmp, 'w', 0o600);
    try {
      await fd.writeFile(JSON.stringify(this.all()));
      await fd.sync();
    } finally {
      await fd.close();
    }
    await rename(tmp, file);
    await syncDir(dirname(file));
  }
}
