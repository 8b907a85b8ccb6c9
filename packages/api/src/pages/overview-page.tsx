import { durationInWords, networkName } from '@drumbeat/core';
import { localDate, localTime } from './calendar-model.js';
import { calendarHref } from './calendar-page.js';
import { shortDate } from './calendar-range.js';
import { Layout } from './layout.js';
import { STATE_LABELS, type AccountHealth, type OverviewModel } from './overview-model.js';

const STATE_CLASS: Record<AccountHealth['state'], string> = {
  on_track: 'ok',
  attention: 'warn',
  lapsed: 'bad',
  no_cadence: 'muted',
};
const KIND_LABELS: Record<string, string> = {
  cadence_lapsed: 'cadence lapsed',
  empty_slots: 'empty slots',
  approval_overdue: 'approval overdue',
  publish_failed: 'publishing failed',
  reply_overdue: 'answer overdue',
};

function AccountCard({ h }: { h: AccountHealth }) {
  const { account } = h;
  const titleId = `acc-${account.id}`;
  return (
    <li class="account" aria-labelledby={titleId}>
      <h2 id={titleId}>
        <a href={calendarHref(account.id, 'week')}>{account.name}</a>
      </h2>
      <p class="muted">{`${account.handle} on ${networkName(account.network)} · ${account.timezone}`}</p>
      <p class={STATE_CLASS[h.state]}>
        <strong>{STATE_LABELS[h.state]}</strong>
      </p>
      <dl class="facts">
        <dt>Streak</dt>
        <dd>{`${h.streak.slots}${h.streak.capped ? '+' : ''} slot${h.streak.slots === 1 ? '' : 's'} in a row published`}</dd>
        <dt>Next empty slot</dt>
        <dd>
          {h.nextEmpty ? (
            <time
              datetime={h.nextEmpty.at}
            >{`${shortDate(localDate(h.nextEmpty.local))} ${localTime(h.nextEmpty.local)}`}</time>
          ) : (account.cadence?.slots.length ?? 0) > 0 ? (
            `none within ${durationInWords(account.cadence?.lookahead ?? 'P7D')}`
          ) : (
            '—'
          )}
        </dd>
        <dt>Open alerts</dt>
        <dd>
          {`${h.openAlerts.count}${h.openAlerts.more ? '+' : ''}`}
          {h.openAlerts.kinds.length ? ` (${h.openAlerts.kinds.map((k) => KIND_LABELS[k] ?? k).join(', ')})` : ''}
        </dd>
      </dl>
      <p>
        <a href={calendarHref(account.id, 'week')}>Week</a> · <a href={calendarHref(account.id, 'month')}>Month</a>
      </p>
    </li>
  );
}

/** The accounts overview: each account's cadence health at a glance, linking to its calendar. */
export function OverviewPage({ model }: { model: OverviewModel }) {
  return (
    <Layout title="Accounts" signedIn>
      {model.waiting?.length ? (
        <section aria-labelledby="waiting">
          <h2 id="waiting">Waiting for you</h2>
          <ul class="items">
            {model.waiting.map((w) => (
              <li class="card s-pending_approval">
                <p>
                  <strong>{w.handle}</strong> · <time datetime={w.at}>{w.at.slice(0, 16).replace('T', ' ')} UTC</time>
                </p>
                <p class="text">{w.text}</p>
                <p>
                  <a href={w.url}>Review</a>
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <h1>Accounts</h1>
      {model.accounts.length === 0 ? (
        <p>No account yet. Create one with the API (POST /v1/accounts); it will appear here.</p>
      ) : (
        <ul class="accounts">
          {model.accounts.map((h) => (
            <AccountCard h={h} />
          ))}
        </ul>
      )}
      {model.nextCursor ? (
        <p>
          <a href={`/app?cursor=${encodeURIComponent(model.nextCursor)}`} rel="next">
            More accounts →
          </a>
        </p>
      ) : null}
    </Layout>
  );
}
