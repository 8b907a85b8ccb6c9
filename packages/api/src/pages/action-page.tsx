import type { Child } from 'hono/jsx';
import { APP_CSS } from './styles.js';
import { PageHead } from './layout.js';
import type { AckModel, ManualModel, ReviewModel } from './action-model.js';
import type { AnswerModel } from './answer-model.js';
import type { OpenLink } from '@drumbeat/services';

const ACTION_CSS = `
main{max-width:36rem}
.preview{background:#fff;border:1px solid #d1d5db;border-radius:.75rem;padding:.9rem 1rem;margin:.75rem 0}
.preview .who{display:flex;gap:.6rem;align-items:center;margin-bottom:.5rem}
.avatar{width:2.4rem;height:2.4rem;border-radius:50%;background:#1d4ed8;color:#fff;display:grid;place-items:center;font-weight:700}
.preview .body{white-space:pre-wrap;overflow-wrap:anywhere;margin:0}
.lnk,.tagw{color:#1d4ed8}
.count{font-variant-numeric:tabular-nums}.count.over{color:#7f1d1d;font-weight:700}
.notice{border-left:4px solid #b45309;background:#fffbeb;color:#78350f;padding:.5rem .75rem;border-radius:.25rem}
.done{border-left:4px solid #15803d;background:#f0fdf4;color:#14532d;padding:.5rem .75rem;border-radius:.25rem}
.history{list-style:none;padding:0;margin:0;display:grid;gap:.3rem}.history li{border-left:3px solid #9ca3af;padding-left:.5rem}
textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #6b7280;border-radius:.35rem;min-height:5rem}
input[type=url]{width:100%;font:inherit;padding:.5rem;border:1px solid #6b7280;border-radius:.35rem}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.75rem}
.actions button{font:inherit;font-weight:600;padding:.7rem 1.1rem;border:0;border-radius:.4rem;color:#fff;cursor:pointer;min-height:2.75rem}
.approve{background:#15803d}.changes{background:#b45309}.primary2{background:#1d4ed8}
fieldset{border:1px solid #d1d5db;border-radius:.5rem;padding:.75rem;background:#fff}
`;

/** The frame of the action-link pages: no sign-in, no navigation that needs a key. */
export function ActionLayout(props: { title: string; children?: Child }) {
  return (
    <html lang="en">
      <PageHead title={props.title} css={APP_CSS + ACTION_CSS} noindex />
      <body>
        <header class="top">
          <span class="brand">drumbeat</span>
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

/** The text as the network shows it: links and hashtags marked, nothing clickable (a preview, not a page to leave by). */
function Rich(props: { text: string }) {
  const parts = props.text.split(/(https?:\/\/[^\s]+|#[\p{L}\p{N}_]+|@[\w.-]+)/u);
  return (
    <>
      {parts.map((p, i) =>
        i % 2 === 1 ? <span class={p.startsWith('#') || p.startsWith('@') ? 'tagw' : 'lnk'}>{p}</span> : p,
      )}
    </>
  );
}

/** What the last action came to (`message`: `notice` when it is a warning) and why it was refused (`error`), each when there is one. */
function Outcome(props: { message?: string | undefined; error?: string | undefined; notice?: boolean }) {
  return (
    <>
      {props.message ? (
        <p class={props.notice ? 'notice' : 'done'} role="status">
          {props.message}
        </p>
      ) : null}
      {props.error ? (
        <p class="error" role="alert">
          {props.error}
        </p>
      ) : null}
    </>
  );
}

/** The form of an open link: it posts back to the link, with the link's form token. */
function LinkForm(props: { link: Pick<OpenLink, 'token' | 'formToken'>; children?: Child }) {
  return (
    <form method="post" action={`/a/${props.link.token}`}>
      <input type="hidden" name="formToken" value={props.link.formToken} />
      {props.children}
    </form>
  );
}

/** The one button of a link's form. */
function Submit(props: { children?: Child }) {
  return (
    <div class="actions">
      <button type="submit" class="primary2">
        {props.children}
      </button>
    </div>
  );
}

/** A refusal or an outcome with what to do next. */
export function LinkMessagePage(props: { status: number; heading: string; detail: string }) {
  return (
    <ActionLayout title={props.heading}>
      <h1>{props.heading}</h1>
      <p class={props.status >= 400 ? 'error' : 'done'} role={props.status >= 400 ? 'alert' : 'status'}>
        {props.detail}
      </p>
    </ActionLayout>
  );
}

/** The review page: the post as it will look, who wrote it, its history, the SLA, and Approve / Request changes. */
export function ReviewPage(props: { m: ReviewModel; error?: string | undefined }) {
  const m = props.m;
  const initials = m.account.handle.replace(/^@/, '').slice(0, 2).toUpperCase();
  return (
    <ActionLayout title={`Review: ${m.account.handle}`}>
      <h1>Review a post</h1>
      <p class="muted">
        For {m.reviewer.name} · {m.accountLabel}
      </p>
      <Outcome message={m.message} error={props.error} notice={m.state === 'changed' || m.state === 'revoked'} />
      <section class="preview" aria-label="Preview">
        <div class="who">
          <span class="avatar" aria-hidden="true">
            {initials}
          </span>
          <div>
            <strong>{m.account.name}</strong>
            <br />
            <span class="muted">{m.account.handle}</span>
          </div>
        </div>
        <p class="body" data-testid="post-text">
          <Rich text={m.text} />
        </p>
        <p class={m.length > m.limit ? 'count over' : 'count muted'}>
          {m.length} / {m.limit} characters
        </p>
      </section>
      <dl class="facts">
        <dt>Written by</dt>
        <dd>{m.author}</dd>
        <dt>Planned for</dt>
        <dd>{m.when}</dd>
        <dt>Status</dt>
        <dd>{m.post.status.replace('_', ' ')}</dd>
        {m.sla ? (
          <>
            <dt>Decide before</dt>
            <dd class={m.sla.late ? 'bad' : 'warn'}>
              {m.sla.deadline} ({m.sla.late ? `late by ${m.sla.left}` : `${m.sla.left} left`})
            </dd>
          </>
        ) : null}
      </dl>
      {m.state === 'open' ? (
        <LinkForm link={m.link}>
          <fieldset>
            <legend>Your decision</legend>
            <label for="note">Note for the author (needed to request changes)</label>
            <textarea id="note" name="note" maxlength={2000} autofocus={m.intent === 'changes'}></textarea>
            <div class="actions">
              <button type="submit" name="decision" value="approve" class="approve">
                Approve
              </button>
              <button type="submit" name="decision" value="changes" class="changes">
                Request changes
              </button>
            </div>
          </fieldset>
        </LinkForm>
      ) : null}
      <h2>History</h2>
      <ul class="history">
        {m.history.map((h) => (
          <li>
            <time>{h.at}</time> — {h.what}
            {h.note ? <blockquote>{h.note}</blockquote> : null}
          </li>
        ))}
      </ul>
    </ActionLayout>
  );
}

/** The manual-publication page: the exact text to post, the account, and Mark as published with the post's URL. */
export function ManualPage(props: { m: ManualModel }) {
  const m = props.m;
  return (
    <ActionLayout title={`Post on ${m.accountLabel}`}>
      <h1>Time to post</h1>
      <p class="muted">
        {m.accountLabel} · planned for {m.when}
      </p>
      <Outcome message={m.message} error={m.error} />
      <label for="text">The exact text (select it all and copy)</label>
      <textarea id="text" readonly rows={6} data-testid="post-text">
        {m.text}
      </textarea>
      {m.state === 'open' ? (
        <LinkForm link={m.link}>
          <label for="url">Address of the published post</label>
          <input type="url" id="url" name="url" required placeholder="https://…" value={m.url ?? ''} inputmode="url" />
          <Submit>Mark as published</Submit>
        </LinkForm>
      ) : null}
    </ActionLayout>
  );
}

/** The acknowledge page: what the alert says, Acknowledge, and the account's calendar. */
export function AckPage(props: { m: AckModel }) {
  const m = props.m;
  return (
    <ActionLayout title={`Alert on ${m.account.handle}`}>
      <h1>{m.alert.details.summary}</h1>
      <p class="muted">{m.accountLabel}</p>
      <Outcome message={m.message} />
      {m.state === 'open' ? (
        <LinkForm link={m.link}>
          <p>Acknowledging tells the team someone is on it; the alert stays open until the problem is fixed.</p>
          <Submit>Acknowledge</Submit>
        </LinkForm>
      ) : null}
      <p>
        <a href={m.calendarUrl}>Open the calendar of {m.account.handle}</a> (sign in with your key)
      </p>
    </ActionLayout>
  );
}

/** The answer page: the question as written (escaped), its thread, the deadline, and the form that answers in the person's voice. */
export function AnswerPage(props: { m: AnswerModel }) {
  const m = props.m;
  const c = m.conversation;
  const who = c.author.displayName ? `${c.author.displayName} (${c.author.handle})` : c.author.handle;
  return (
    <ActionLayout title={`A question for ${m.accountLabel}`}>
      <h1>A question to answer</h1>
      <p class="muted">
        {m.accountLabel} · received {m.received}
        {m.due ? ` · answer before ${m.due}` : ''}
      </p>
      <Outcome message={m.message} error={m.error} />
      <div class="preview" data-testid="question">
        <div class="who">
          <strong>{who}</strong>
        </div>
        <p class="body">
          <Rich text={c.text} />
        </p>
      </div>
      {c.inReplyTo ? <p class="muted">In reply to {c.inReplyTo.url ?? c.inReplyTo.externalId}</p> : null}
      {c.url ? <p class="muted">On the network: {c.url}</p> : null}
      {c.assignNote ? <p>Note: {c.assignNote}</p> : null}
      {m.state === 'open' ? (
        <LinkForm link={m.link}>
          <label for="text">
            Your answer, published as {m.account.handle}
            {m.signature ? ' and signed with your name as the account discloses' : ''}
          </label>
          <textarea id="text" name="text" required rows={6} maxlength={10000}>
            {m.text ?? ''}
          </textarea>
          <Submit>Send the answer as {m.person.name}</Submit>
        </LinkForm>
      ) : null}
    </ActionLayout>
  );
}
