import * as z from 'zod/mini';
import './locale.js';
import { withMeta } from './with-meta.js';

/** Text limits per network, counted as each network counts (see network-length.ts). */
export const NETWORK_LIMITS = {
  mastodon: 500,
  bluesky: 300,
  x: 280,
  linkedin: 3000,
  threads: 500,
  instagram: 2200,
  facebook: 63206,
  other: 10000,
} as const;

export type Network = keyof typeof NETWORK_LIMITS;
export const Network = withMeta(z.enum(Object.keys(NETWORK_LIMITS) as [Network, ...Network[]]), {
  description: 'The social network of the account; sets the text length limit',
});

/** How people write each network's name, for subjects and pages ("@acme on Mastodon"). */
const NETWORK_NAMES: Record<Network, string> = {
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  x: 'X',
  linkedin: 'LinkedIn',
  threads: 'Threads',
  instagram: 'Instagram',
  facebook: 'Facebook',
  other: 'another network',
};

/** The network's name as people write it: "Mastodon", "LinkedIn". */
export function networkName(network: string): string {
  return NETWORK_NAMES[network as Network] ?? network;
}

/** Length of `text` as networks count it (code points, not UTF-16 units). */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
