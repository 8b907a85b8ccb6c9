import { sha256, type AccountRecord, type PostRecord, type VoiceRecord } from '@drumbeat/core';
import type { ServiceDeps } from './deps.js';
import type { LedgerDraft } from './ledger.js';

/** What an answer's ledger entry says of the item it answers (absent for a post). */
async function replyFields(deps: ServiceDeps, post: PostRecord): Promise<Pick<LedgerDraft, 'kind' | 'answers'>> {
  if (!post.conversationId) return {};
  const c = await deps.store.conversations.find(post.workspaceId, post.conversationId);
  return {
    kind: 'reply',
    answers: {
      conversationId: post.conversationId,
      network: c?.network ?? '',
      externalId: c?.externalId ?? post.replyTo?.parent.externalId ?? '',
      url: c?.url ?? null,
      author: c?.author.handle ?? '',
    },
  };
}

/**
 * The ledger draft of a publication: who voiced it and who approved it, as
 * recorded on the post (each approval with the key that entered it and
 * whether on the voice's behalf), where it went and a hash of what went out.
 */
export async function publicationDraft(
  deps: ServiceDeps,
  post: PostRecord,
  account: AccountRecord,
  voice: VoiceRecord,
  text: string,
  url: string | undefined,
  at: Date,
): Promise<LedgerDraft> {
  return {
    ...(await replyFields(deps, post)),
    postId: post.id,
    accountId: account.id,
    voice: {
      id: voice.id,
      name: voice.name,
      affiliation: voice.affiliation,
      organization: voice.organization ?? null,
    },
    approvedBy: post.approvals.map((a) => a.voiceId),
    approvals: post.approvals.map((a) => ({
      voiceId: a.voiceId,
      enteredBy: a.enteredBy ?? null,
      onBehalf: a.onBehalf ?? false,
    })),
    ...(post.source ? { source: post.source } : {}),
    ...(post.editSource ? { editSource: post.editSource } : {}),
    channel: account.channel.type,
    externalUrl: url ?? null,
    publishedAt: at.toISOString(),
    contentHash: await sha256(text),
  };
}
