import { createHash } from 'node:crypto';

const S32 = '234567abcdefghijklmnopqrstuvwxyz';
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** The AT Protocol TID syntax: 13 base32-sortable characters, top bit zero. */
export const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

function s32(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    out = S32[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

/** The creation time (ms) a drumbeat id carries in its 10 time characters, or null. */
function idTimeMs(id: string): number | null {
  const m = /^[a-z]+_([0-9a-z]{10})[0-9a-z]{16}$/.exec(id);
  if (!m) return null;
  let ms = 0;
  for (const c of m[1]!) {
    const v = CROCKFORD.indexOf(c);
    if (v < 0) return null;
    ms = ms * 32 + v;
  }
  return ms;
}

/**
 * A valid TID (AT Protocol record key) derived only from `postId`: the same post
 * always gets the same rkey, so a retried createRecord meets its own record.
 * Microseconds are the id's creation time (drumbeat ids carry it; other ids use
 * a hash-derived time in 2020-2023) plus 0-999 µs from a hash; the 10-bit clock
 * id is from the hash too, so two posts created in the same millisecond collide
 * with a probability of about one in a million.
 */
export function tidForPost(postId: string): string {
  const hash = createHash('sha256').update(`drumbeat.tid:${postId}`).digest();
  const h = hash.readBigUInt64BE(0);
  const ms = idTimeMs(postId) ?? 1_577_836_800_000 + Number(h % 100_000_000_000n);
  const micros = BigInt(ms) * 1000n + ((h >> 10n) % 1000n);
  const clockId = h & 1023n;
  return s32(micros, 11) + s32(clockId, 2);
}
