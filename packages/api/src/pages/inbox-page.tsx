import { networkName } from '@drumbeat/core';
import { localDate, localTime } from './calendar-model.js';
import { shortDate } from './calendar-range.js';
import type { InboxModel, InboxRow } from './inbox-model.js';
import { Layout } from './layout.js';

const when = (local: string) => `${shortDate(localDate(local))} ${localTime(local)}`;
/** Only a web link is linked: a network URL is text from outside. */
const webUrl = (url: string | undefined) => (url && /^https?:\/\//i.test(url) ? url : undefined);

export const inboxHref = (accountId: string) => `/app/accounts/${encodeURIComponent(accountId)}/inbox`;
export const reportHref = (accountId: string) => `/app/accounts/${encodeURIComponent(accountId)}/inbox/report`;

function Row({ row }: { row: InboxRow }) {
  const { item } = row;
  const link = webUrl(item.url);
  return (
    <li class={row.overdue ? 'card conv overdue' : 'card conv'} data-conversation={item.id}>
      <p>
        <strong>{item.author.displayName ?? item.author.handle}</strong>{' '}
        <span class="muted">{item.author.displayName ? item.author.handle : ''}</span>{' '}
        {row.overdue ? <span class="tag lapse">Overdue</span> : null} <span class="tag aff">{item.kind}</span>
      </p>
      <p class="text">{item.text}</p>
      <dl class="facts">
        <dt>Received</dt>
        <dd>
          <time datetime={item.receivedAt}>{when(row.receivedLocal)}</time>
        </dd>
        <dt>Due</dt>
        <dd>{row.dueLocal ? <time datetime={item.dueAt}>{when(row.dueLocal)}</time> : 'no deadline'}</dd>
        <dt>Assignee</dt>
        <dd>{row.assignee ?? 'nobody yet'}</dd>
      </dl>
      {link ? (
        <p>
          <a href={link} rel="noopener noreferrer nofollow">
            {`See it on ${networkName(item.network)}`}
          </a>
        </p>
      ) : null}
    </li>
  );
}

/** The open items of an account, overdue first, in its time zone; every text from the network is escaped by JSX. */
export function InboxPage({ model }: { model: InboxModel }) {
  const { account, rows } = model;
  const overdue = rows.filter((r) => r.overdue).length;
  return (
    <Layout title={`${account.name}: inbox`} signedIn>
      <nav aria-label="Breadcrumb" class="muted">
        <a href="/app">Accounts</a> ›{' '}
        <a href={`/app/accounts/${encodeURIComponent(account.id)}/calendar`}>{account.name}</a> › Inbox
      </nav>
      <h1>
        {account.name} <span class="muted">inbox</span>
      </h1>
      <p class="muted">Times are in {account.timezone}, the account's time zone.</p>
      <nav class="bar" aria-label="Inbox">
        <a href={inboxHref(account.id)} aria-current="page">
          Open items
        </a>
        <a href={reportHref(account.id)}>Response report</a>
      </nav>
      <p id="summary">{`${rows.length} open item${rows.length === 1 ? '' : 's'}, ${overdue} overdue${model.truncated ? ' (the first 1,000 shown)' : ''}`}</p>
      {rows.length === 0 ? (
        <p class="muted">Nothing waits for an answer.</p>
      ) : (
        <ol class="items inbox" aria-label="Open items, overdue first">
          {rows.map((row) => (
            <Row row={row} />
          ))}
        </ol>
      )}
    </Layout>
  );
}
