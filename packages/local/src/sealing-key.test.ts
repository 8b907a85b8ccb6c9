import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateSealingKey } from './sealing-key.js';

describe('loadOrCreateSealingKey', () => {
  it('creates a 0600 key file once and reads the same key back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drumbeat-key-'));
    const first = loadOrCreateSealingKey(dir);
    expect(first).toHaveLength(32);
    expect(statSync(join(dir, 'sealing-key')).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSealingKey(dir).equals(first)).toBe(true);
    expect(readFileSync(join(dir, 'sealing-key'), 'utf8').trim()).toBe(first.toString('base64'));
  });

  it('refuses a damaged key file instead of sealing under a new key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drumbeat-key-'));
    writeFileSync(join(dir, 'sealing-key'), 'c2hvcnQ=\n');
    expect(() => loadOrCreateSealingKey(dir)).toThrow(/32-byte key/);
  });

  it('gives a fresh key each time in memory mode', () => {
    expect(loadOrCreateSealingKey(undefined).equals(loadOrCreateSealingKey(undefined))).toBe(false);
  });
});
