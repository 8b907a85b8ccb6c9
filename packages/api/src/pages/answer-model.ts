import { networkName, type AccountRecord, type ConversationRecord, type VoiceRecord } from '@drumbeat/core';
import { localLabel, type OpenLink, type Services } from '@drumbeat/services';

/** What the answer page shows for one link: the question, its thread, and the form that answers in the person's voice. */
export interface AnswerModel {
  kind: 'answer';
  link: OpenLink;
  conversation: ConversationRecord;
  account: AccountRecord;
  accountLabel: string;
  person: VoiceRecord;
  received: string;
  due?: string | undefined;
  signature: boolean;
  /** `open`: the form answers; `done`: nothing left to do, said in `message`. */
  state: 'open' | 'done';
  message?: string | undefined;
  error?: string | undefined;
  text?: string | undefined;
}

/** The answer page of a link. */
export async function loadAnswer(services: Services, link: OpenLink): Promise<AnswerModel> {
  const { conversation: c, account, person } = await services.actionLinks.conversationOf(link);
  const zone = account.timezone;
  const base: AnswerModel = {
    kind: 'answer',
    link,
    conversation: c,
    account,
    accountLabel: `${account.name} · ${account.handle} on ${networkName(account.network)}`,
    person,
    received: localLabel(c.receivedAt, zone),
    ...(c.dueAt ? { due: localLabel(c.dueAt, zone) } : {}),
    signature: (account.disclosure?.signature ?? 'none') !== 'none',
    state: 'open',
  };
  if (c.status === 'answered') {
    const by = c.outsideAnswer
      ? 'by the account, outside drumbeat'
      : c.answeredBy === person.id
        ? 'by you'
        : 'by someone else';
    return {
      ...base,
      state: 'done',
      message: `This question was answered ${by}${c.answeredAt ? ` on ${localLabel(c.answeredAt, zone)}` : ''}. Nothing more to do.`,
    };
  }
  if (c.status === 'dismissed')
    return {
      ...base,
      state: 'done',
      message: `This question was dismissed (${c.dismissReason ?? 'no reason given'}): it needs no answer.`,
    };
  if (c.answerPostId)
    return {
      ...base,
      state: 'done',
      message: 'An answer to this question is on its way (or waiting for approval). Nothing more to do.',
    };
  return base;
}
