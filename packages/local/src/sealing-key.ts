import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The key that seals secrets in the embedded table: kept outside the table, in
 * `<dataDir>/sealing-key` (mode 0600, 32 random bytes as base64), created on
 * first start. In memory mode a fresh key each start (nothing outlives it).
 * Losing the file makes sealed secrets unreadable: back it up with the data dir.
 */
export function loadOrCreateSealingKey(dataDir: string | undefined): Buffer {
  if (!dataDir) return randomBytes(32);
  const file = join(dataDir, 'sealing-key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key (base64): restore it from a backup`);
    chmodSync(file, 0o600);
    return key;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
