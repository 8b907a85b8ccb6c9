import {
  humanDuration,
  NETWORK_LIMITS,
  networkName,
  pendingSince,
  signedText,
  networkLength,
  networkLimit,
  type AccountRecord,
  type AlertRecord,
  type PostRecord,
  type VoiceRecord,
} from '@drumbeat/core';
import { authorLabel, localLabel, postRev, slaDeadline, type OpenLink, type Services } from '@drumbeat/services';

/** One line of a post's history, oldest first. */
export interface HistoryLine {
  at: string;
  what: string;
  note?: string | undefined;
}

/** What the review page shows for one link. */
export interface ReviewModel {
  kind: 'review';
  link: OpenLink;
  post: PostRecord;
  account: AccountRecord;
  accountLabel: string;
  author: string;
  reviewer: VoiceRecord;
  text: string;
  length: number;
  limit: number;
  when: string;
  history: HistoryLine[];
  sla?: { deadline: string; left: string; late: boolean } | undefined;
  /** `open`: the form acts; `changed`: edited since the link was sent; `done`: nothing left to decide, said in `message`; `revoked`: the person may no longer decide (403). */
  state: 'open' | 'changed' | 'done' | 'revoked';
  message?: string | undefined;
  intent?: 'approve' | 'changes' | undefined;
}

/** What the manual-publication page shows. */
export interface ManualModel {
  kind: 'manual';
  link: OpenLink;
  post: PostRecord;
  accountLabel: string;
  text: string;
  when: string;
  state: 'open' | 'done';
  message?: string | undefined;
  error?: string | undefined;
  url?: string | undefined;
}

/** What the acknowledge page shows. */
export interface AckModel {
  kind: 'ack';
  link: OpenLink;
  alert: AlertRecord;
  account: AccountRecord;
  accountLabel: string;
  calendarUrl: string;
  state: 'open' | 'done';
  message?: string | undefined;
}

const at = (iso: string, zone: string) => localLabel(iso, zone);

const label = (a: AccountRecord) => `${a.name} · ${a.handle} on ${networkName(a.network)}`;

/** The text counted as its network counts it (h14b's network-length.ts), against the network's limit. */
function countFor(network: AccountRecord['network'], text: string): { length: number; limit: number } {
  return { length: networkLength(network, text), limit: networkLimit(network) ?? NETWORK_LIMITS[network] };
}

/** The review page of a link: the post as it stands, its history, the SLA, and whether the link may still act. */
export async function loadReview(services: Services, link: OpenLink, now: Date, intent?: string): Promise<ReviewModel> {
  const { post, account, author, person } = await services.actionLinks.postOf(link);
  const ws = account.workspaceId;
  const names = new Map<string, string>();
  const nameOf = async (id: string) => {
    if (!names.has(id)) names.set(id, (await services.voices.nameOf(ws, id)) ?? 'someone');
    return names.get(id)!;
  };
  const history: HistoryLine[] = [{ at: post.createdAt, what: `Written by ${await nameOf(post.voiceId)}` }];
  if (post.editedAt)
    history.push({ at: post.editedAt, what: `Edited by ${await nameOf(post.editedBy ?? post.voiceId)}` });
  for (const r of post.rejections ?? [])
    history.push({ at: r.at, what: `Changes requested by ${await nameOf(r.voiceId)}`, note: r.note });
  for (const a of post.approvals)
    history.push({
      at: a.at,
      what: `Approved by ${await nameOf(a.voiceId)}${a.onBehalf ? ' (entered on their behalf)' : ''}`,
    });
  if (post.publishedAt) history.push({ at: post.publishedAt, what: 'Published' });
  history.sort((x, y) => x.at.localeCompare(y.at));
  const zone = account.timezone;
  for (const h of history) h.at = at(h.at, zone);
  const text = signedText(post.text, account.disclosure, author);
  const deadline = post.status === 'pending_approval' ? slaDeadline(post, account) : undefined;
  const left = deadline ? deadline.getTime() - now.getTime() : 0;
  const model: ReviewModel = {
    kind: 'review',
    link,
    post,
    account,
    accountLabel: label(account),
    author: authorLabel(author),
    reviewer: person,
    text,
    ...countFor(account.network, text),
    when: at(post.scheduledAt, zone),
    history,
    sla: deadline
      ? { deadline: at(deadline.toISOString(), zone), left: humanDuration(Math.abs(left)), late: left <= 0 }
      : undefined,
    state: 'open',
    intent: intent === 'approve' || intent === 'changes' ? intent : undefined,
  };
  const mine = post.approvals.find((a) => a.voiceId === person.id);
  if (mine)
    return { ...model, state: 'done', message: `You approved this post on ${at(mine.at, zone)}. Nothing more to do.` };
  if (post.approvals.length)
    return {
      ...model,
      state: 'done',
      message: `${await nameOf(post.approvals[0]!.voiceId)} already approved this post on ${at(post.approvals[0]!.at, zone)}. Nothing more to do.`,
    };
  if (post.status !== 'pending_approval')
    return {
      ...model,
      state: 'done',
      message: `This post is ${post.status.replace('_', ' ')}: there is nothing to decide any more.`,
    };
  // The link acts for a person who may still approve: their right is checked now, not when the link was sent.
  if (!(await services.actionLinks.mayReview(account, post, person.id))) {
    const own = person.id === post.voiceId || person.id === post.editedBy;
    return {
      ...model,
      state: 'revoked',
      message: own
        ? 'You wrote or last edited this post, so another approver must decide on it. Nothing was approved.'
        : 'You can no longer approve posts of this account: your approver access was removed. Nothing was approved. Ask the account’s team if this is a mistake.',
    };
  }
  if (postRev(post) !== link.claims.rev) {
    return {
      ...model,
      state: 'changed',
      message:
        'This post changed since this link was sent. Below is the new version; nothing was approved. A new request went to the approvers: use the link in the newest email.',
    };
  }
  if (Date.parse(post.scheduledAt) <= now.getTime())
    return {
      ...model,
      state: 'done',
      message: 'The time of this post has passed while it waited: it can no longer be approved.',
    };
  const since = pendingSince(post).toISOString();
  const asked = (post.rejections ?? []).filter((r) => r.voiceId === person.id && r.at >= since).pop();
  if (asked)
    return {
      ...model,
      message: `You asked for changes on ${at(asked.at, zone)}. The author was told; you can still approve this version.`,
    };
  return model;
}

/** The manual-publication page of a link. */
export async function loadManual(services: Services, link: OpenLink): Promise<ManualModel> {
  const { post, account, author } = await services.actionLinks.postOf(link);
  const zone = account.timezone;
  const base: ManualModel = {
    kind: 'manual',
    link,
    post,
    accountLabel: label(account),
    text: signedText(post.text, account.disclosure, author),
    when: at(post.scheduledAt, zone),
    state: 'open',
  };
  if (post.status === 'published') {
    return {
      ...base,
      state: 'done',
      message: `Already recorded as published on ${at(post.publishedAt!, zone)}${post.externalUrl ? ` at ${post.externalUrl}` : ''}. Nothing more to do.`,
    };
  }
  if (post.status !== 'scheduled' && post.status !== 'publishing')
    return {
      ...base,
      state: 'done',
      message: `This post is ${post.status.replace('_', ' ')}: there is nothing to record.`,
    };
  return base;
}

/** The acknowledge page of a link. */
export async function loadAck(services: Services, link: OpenLink): Promise<AckModel> {
  const { alert, account } = await services.actionLinks.alertOf(link);
  const base: AckModel = {
    kind: 'ack',
    link,
    alert,
    account,
    accountLabel: label(account),
    calendarUrl: `/app/accounts/${account.id}/calendar`,
    state: 'open',
  };
  if (alert.ackedAt)
    return {
      ...base,
      state: 'done',
      message: `This alert was acknowledged on ${at(alert.ackedAt, account.timezone)}. Nothing more to do.`,
    };
  if (alert.resolvedAt)
    return {
      ...base,
      state: 'done',
      message: `This alert resolved on ${at(alert.resolvedAt, account.timezone)}: nothing to acknowledge.`,
    };
  return base;
}
