import {
  networkLength,
  networkLimit,
  signedText,
  type Account,
  type Post,
  type PostSource,
  type PostStatus,
} from '@drumbeat/core';
import type { PostActions, VoiceBadge } from './calendar-model.js';

/** Each status in words: the colour is never the only sign. */
export const STATUS_LABELS: Record<PostStatus, string> = {
  pending_approval: 'Awaiting approval',
  scheduled: 'Scheduled',
  publishing: 'Publishing',
  published: 'Published',
  failed: 'Failed',
  canceled: 'Canceled',
  missed: 'Missed',
};

/** Affiliations in words. */
export const AFFILIATION_LABELS: Record<VoiceBadge['affiliation'], string> = {
  in_house: 'In-house',
  agency: 'Agency',
  freelance: 'Freelance',
  automation: 'Automation',
};

const names = (ids: string[], voices: Map<string, VoiceBadge>) =>
  ids.map((id) => voices.get(id)?.name ?? 'an unknown voice').join(', ');

/** Where a post stands with its approval, in one sentence. */
export function approvalState(post: Post, account: Account, voices: Map<string, VoiceBadge>): string {
  if (post.approvals.length)
    return `Approved by ${names(
      post.approvals.map((a) => a.voiceId),
      voices,
    )}`;
  if (post.status === 'pending_approval' && post.rejections?.length)
    return `Changes requested by ${names(
      post.rejections.map((r) => r.voiceId),
      voices,
    )}`;
  if (post.status === 'pending_approval') return 'Waiting for approval';
  return account.approval?.required ? 'No approval recorded' : 'No approval required';
}

/** The post's length as its network counts it, signature included, against the network's limit: "212 / 300 characters". */
export function lengthLine(
  post: Post,
  account: Account,
  voice: VoiceBadge | undefined,
): { text: string; over: boolean } {
  const signs = account.disclosure?.signature && account.disclosure.signature !== 'none' && voice;
  const n = networkLength(account.network, voice ? signedText(post.text, account.disclosure, voice) : post.text);
  const limit = networkLimit(account.network);
  const text = `${n}${limit === undefined ? '' : ` / ${limit}`} characters${signs ? ' with the signature' : ''}`;
  return { text, over: limit !== undefined && n > limit };
}

const VIA: Record<PostSource['kind'], string> = {
  api: 'the API',
  csv: 'a CSV import',
  app: 'the app',
  mcp: 'an assistant',
};
const via = (s: PostSource) => `${VIA[s.kind]}${s.client ? ` (${s.client})` : ''}`;

/** How a post came in, in words ("Drafted with an assistant (claude-desktop 1.2.0)"); empty for posts older than provenance. */
export function provenance(post: Post): string {
  const parts: string[] = [];
  if (post.source)
    parts.push(post.source.kind === 'mcp' ? `Drafted with ${via(post.source)}` : `Created through ${via(post.source)}`);
  if (
    post.editSource &&
    (post.editSource.kind !== post.source?.kind || post.editSource.client !== post.source?.client)
  ) {
    parts.push(
      post.editSource.kind === 'mcp' ? `edited with ${via(post.editSource)}` : `edited through ${via(post.editSource)}`,
    );
  }
  return parts.join(', ');
}

/** What a card's forms need: the session's form token and where to come back to. */
export interface CardForms {
  formToken: string;
  next: string;
}

/**
 * The forms of one card, plain HTML (no script): Approve / Request changes
 * for a person who may decide on it, Reschedule (a local date and time in the
 * account's zone) and Cancel for an editor. Each carries the version it was
 * drawn for.
 */
function PostForms(props: { post: Post; account: Account; actions: PostActions; forms: CardForms }) {
  const { post, actions, forms } = props;
  const hidden = (
    <>
      <input type="hidden" name="formToken" value={forms.formToken} />
      <input type="hidden" name="next" value={forms.next} />
    </>
  );
  return (
    <>
      {actions.decide ? (
        <form method="post" action={`/app/posts/${post.id}/decide`} class="decide">
          {hidden}
          <input type="hidden" name="rev" value={actions.decide.rev} />
          <label for={`note-${post.id}`}>Note for the author (needed to request changes)</label>
          <textarea id={`note-${post.id}`} name="note" maxlength={2000}></textarea>
          <div class="acts">
            <button type="submit" name="decision" value="approve" class="b-approve">
              Approve
            </button>
            <button type="submit" name="decision" value="changes" class="b-changes">
              Request changes
            </button>
          </div>
        </form>
      ) : null}
      {actions.edit ? (
        <details>
          <summary>Reschedule or cancel</summary>
          <form method="post" action={`/app/posts/${post.id}/reschedule`} class="reschedule">
            {hidden}
            <input type="hidden" name="version" value={String(actions.edit.version)} />
            <label for={`at-${post.id}`}>New time ({props.account.timezone})</label>
            <input type="datetime-local" id={`at-${post.id}`} name="at" value={actions.edit.localAt} required />
            <div class="acts">
              <button type="submit" class="b-move">
                Reschedule
              </button>
            </div>
          </form>
          <form method="post" action={`/app/posts/${post.id}/cancel`} class="cancel">
            {hidden}
            <input type="hidden" name="version" value={String(actions.edit.version)} />
            <div class="acts">
              <button type="submit" class="b-cancel">
                Cancel this post
              </button>
            </div>
          </form>
        </details>
      ) : null}
    </>
  );
}

/** A post on the calendar: time, status, text (always as text), author with affiliation badge, approval state, and the forms the person may use. */
export function PostCard(props: {
  post: Post;
  time: string;
  onSlot: boolean;
  account: Account;
  voices: Map<string, VoiceBadge>;
  actions?: PostActions | undefined;
  forms?: CardForms | undefined;
}) {
  const { post, voices } = props;
  const voice = voices.get(post.voiceId);
  const length = lengthLine(post, props.account, voice);
  const link = post.externalUrl && /^https?:\/\//.test(post.externalUrl) ? post.externalUrl : undefined;
  return (
    <article class={`card s-${post.status}`} data-post-id={post.id}>
      <p>
        <time class="t" datetime={post.scheduledAt}>
          {props.time}
        </time>
        <span class={`tag b-${post.status}`}>{STATUS_LABELS[post.status]}</span>
        {props.onSlot ? null : <span class="tag aff"> Off-slot</span>}
      </p>
      <p class="text">{post.text}</p>
      <p class={length.over ? 'count over' : 'count muted'} data-count>
        {length.text}
      </p>
      <p class="by">
        {voice ? (
          <>
            {voice.name} <span class="tag aff">{AFFILIATION_LABELS[voice.affiliation]}</span>
            {voice.organization ? ` · ${voice.organization}` : ''}
          </>
        ) : (
          'Unknown voice'
        )}
      </p>
      <p class="muted">{approvalState(post, props.account, voices)}</p>
      {provenance(post) ? <p class="muted prov">{provenance(post)}</p> : null}
      {link ? (
        <p>
          <a href={link}>See it published</a>
        </p>
      ) : null}
      {props.actions && props.forms ? (
        <PostForms post={post} account={props.account} actions={props.actions} forms={props.forms} />
      ) : null}
    </article>
  );
}
