import type { Disclosure } from './schemas/account.js';

/** The initials of a name: "Anna Bell" → "AB", "élodie de la Tour" → "ÉDLT". */
export function initials(name: string): string {
  return name
    .split(/[\s-]+/)
    .filter(Boolean)
    .map((w) => [...w][0]!.toUpperCase())
    .join('')
    .slice(0, 4);
}

/**
 * The text as it will be published, with the account's signature rule
 * applied: `initials` appends " ^AB" (the voice's signature, else its
 * initials), `name` appends " — Anna Bell". Its length is what the network
 * limit is checked against when the post is created.
 */
export function signedText(
  text: string,
  disclosure: Pick<Disclosure, 'signature'> | undefined,
  voice: { name: string; signature?: string | undefined },
): string {
  switch (disclosure?.signature ?? 'none') {
    case 'initials':
      return `${text} ^${(voice.signature ?? initials(voice.name)).replace(/^\^/, '')}`;
    case 'name':
      return `${text} — ${voice.name}`;
    default:
      return text;
  }
}
