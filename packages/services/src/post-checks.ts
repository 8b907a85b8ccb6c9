import {
  channelSupportsMedia,
  Conflict,
  Invalid,
  networkLengthProblem,
  networkName,
  NotFound,
  signedText,
  type AccountRecord,
  type VoiceRecord,
} from '@drumbeat/core';

/** Refuses a text that, signature included, exceeds the account's network limit. */
export function checkLength(account: AccountRecord, voice: VoiceRecord, text: string): void {
  const problem = networkLengthProblem(account.network, signedText(text, account.disclosure, voice));
  if (problem) {
    const sig = account.disclosure?.signature && account.disclosure.signature !== 'none' ? ' with the signature' : '';
    throw new Invalid(
      `text is too long for ${networkName(account.network)}: ${problem}${sig}`,
      [{ path: 'text', message: `${problem}${sig}` }],
      422,
    );
  }
}

/** Refuses media on a channel that cannot publish it (rather than publishing without it). */
export function checkMedia(account: AccountRecord, media: readonly unknown[]): void {
  if (media.length > 0 && !channelSupportsMedia(account.channel.type)) {
    throw new Invalid(
      `media: the ${account.channel.type} channel does not publish media yet`,
      [{ path: 'media', message: `not supported on the ${account.channel.type} channel` }],
      422,
    );
  }
}

/** The account a post is planned on: it exists and is not archived. */
export function usableAccount(a: AccountRecord | undefined, id: string): AccountRecord {
  if (!a) throw new NotFound(`account ${id} not found`);
  if (a.archivedAt) throw new Conflict(`account ${id} is archived`);
  return a;
}

/** A voice named by `path` of a request: it exists in the workspace and is not archived. */
export function usableVoice(v: VoiceRecord | undefined, id: string, path: string): VoiceRecord {
  if (!v)
    throw new Invalid(
      `${path}: voice ${id} not found`,
      [{ path, message: `voice ${id} not found in this workspace` }],
      422,
    );
  if (v.archivedAt)
    throw new Invalid(`${path}: voice ${id} is archived`, [{ path, message: 'voice is archived' }], 422);
  return v;
}
