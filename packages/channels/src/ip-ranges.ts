import { isIPv4, isIPv6 } from 'node:net';

/** Special-purpose IPv4 blocks (IANA registry), with the words an error message uses. */
const V4_BLOCKS: [string, number, string][] = [
  ['0.0.0.0', 8, '"this network" (0.0.0.0/8)'],
  ['10.0.0.0', 8, 'private (RFC 1918)'],
  ['100.64.0.0', 10, 'shared address space (CGNAT, 100.64.0.0/10)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (incl. the cloud metadata address)'],
  ['172.16.0.0', 12, 'private (RFC 1918)'],
  ['192.0.0.0', 24, 'reserved for IETF protocol assignments'],
  ['192.0.2.0', 24, 'reserved for documentation'],
  ['192.88.99.0', 24, 'reserved (6to4 relay anycast)'],
  ['192.168.0.0', 16, 'private (RFC 1918)'],
  ['198.18.0.0', 15, 'reserved for benchmarking'],
  ['198.51.100.0', 24, 'reserved for documentation'],
  ['203.0.113.0', 24, 'reserved for documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved (240.0.0.0/4, incl. broadcast)'],
];

/** Special-purpose IPv6 blocks. Blocks that embed an IPv4 address are handled apart. */
const V6_BLOCKS: [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::', 96, 'reserved (IPv4-compatible IPv6)'],
  ['64:ff9b:1::', 48, 'private (local-use NAT64)'],
  ['100::', 64, 'reserved (discard-only)'],
  ['2001::', 23, 'reserved for IETF protocol assignments (incl. Teredo)'],
  ['2001:db8::', 32, 'reserved for documentation'],
  ['3fff::', 20, 'reserved for documentation'],
  ['fc00::', 7, 'unique local (fc00::/7)'],
  ['fe80::', 10, 'link-local (fe80::/10)'],
  ['fec0::', 10, 'site-local (deprecated)'],
  ['ff00::', 8, 'multicast'],
];

/** Parses a dotted-quad IPv4 address to a 32-bit bigint, or null. */
function v4ToBigInt(ip: string): bigint | null {
  if (!isIPv4(ip)) return null;
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/** Parses an IPv6 address (with an optional IPv4 tail and zone) to a 128-bit bigint, or null. */
function v6ToBigInt(input: string): bigint | null {
  const ip = input.replace(/%.*$/, '');
  if (!isIPv6(ip)) return null;
  let text = ip;
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail) {
    const v4 = v4ToBigInt(v4Tail[1]!)!;
    text = `${text.slice(0, -v4Tail[1]!.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headParts = head ? head.split(':') : [];
  const tailParts = tail === undefined ? [] : tail ? tail.split(':') : [];
  const missing = 8 - headParts.length - tailParts.length;
  const parts = [...headParts, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailParts];
  if (parts.length !== 8) return null;
  return parts.reduce((acc, p) => (acc << 16n) | BigInt(parseInt(p, 16)), 0n);
}

function inBlock(value: bigint, base: bigint, prefix: number, bits: number): boolean {
  const shift = BigInt(bits - prefix);
  return value >> shift === base >> shift;
}

function classifyV4(value: bigint): string | null {
  for (const [net, prefix, label] of V4_BLOCKS) if (inBlock(value, v4ToBigInt(net)!, prefix, 32)) return label;
  return null;
}

const V6 = (s: string) => v6ToBigInt(s)!;

/**
 * Why `ip` is not a public unicast address ("loopback", "private (RFC 1918)", …),
 * or null when it is one. IPv6 forms that carry an IPv4 address (mapped, NAT64,
 * 6to4) are judged by that address. Anything that is not an IP address is refused.
 */
export function addressClass(ip: string): string | null {
  const v4 = v4ToBigInt(ip);
  if (v4 !== null) return classifyV4(v4);
  const v6 = v6ToBigInt(ip);
  if (v6 === null) return 'not an IP address';
  const embedded =
    inBlock(v6, V6('::ffff:0:0'), 96, 128) || inBlock(v6, V6('64:ff9b::'), 96, 128)
      ? v6 & 0xffffffffn
      : inBlock(v6, V6('2002::'), 16, 128)
        ? (v6 >> 80n) & 0xffffffffn
        : null;
  if (embedded !== null) {
    const label = classifyV4(embedded);
    return label ? `${label}, as IPv4 inside IPv6` : null;
  }
  for (const [net, prefix, label] of V6_BLOCKS) if (inBlock(v6, V6(net), prefix, 128)) return label;
  if (!inBlock(v6, V6('2000::'), 3, 128)) return 'reserved (outside global unicast 2000::/3)';
  return null;
}
