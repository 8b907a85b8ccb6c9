import { networkName } from '@drumbeat/core';
import type { CalendarModel, CalendarDay } from './calendar-model.js';
import { localDate, localTime } from './calendar-model.js';
import { longDate, shortDate, type CalendarViewKind } from './calendar-range.js';
import { inboxHref, reportHref } from './inbox-page.js';
import { Layout } from './layout.js';
import { PostCard, STATUS_LABELS, type CardForms } from './post-card.js';

/** The calendar page's own URL for a view and date. */
export function calendarHref(accountId: string, view: CalendarViewKind, date?: string): string {
  return `/app/accounts/${encodeURIComponent(accountId)}/calendar?view=${view}${date ? `&date=${date}` : ''}`;
}

const when = (local: string) => `${shortDate(localDate(local))} ${localTime(local)}`;

function Day({ day, model, forms }: { day: CalendarDay; model: CalendarModel; forms?: CardForms | undefined }) {
  const classes = ['day', day.today ? 'today' : '', day.lapse ? 'lapse' : '', day.inMonth ? '' : 'out']
    .filter(Boolean)
    .join(' ');
  const label = model.range.view === 'month' ? shortDate(day.date) : longDate(day.date, false);
  return (
    <li class={classes} aria-current={day.today ? 'date' : undefined} data-date={day.date}>
      <h3>
        <span>{label}</span>
        {day.today ? <span class="tag today">Today</span> : null}
        {day.lapse ? <span class="tag lapse">Cadence lapse</span> : null}
      </h3>
      {day.items.length === 0 ? (
        <p class="muted">No slot</p>
      ) : (
        <ul class="items">
          {day.items.map((item) =>
            item.kind === 'post' ? (
              <li>
                <PostCard
                  post={item.post}
                  time={item.time}
                  onSlot={item.onSlot}
                  account={model.account}
                  voices={model.voices}
                  actions={model.actions.get(item.post.id)}
                  forms={forms}
                />
              </li>
            ) : (
              <li class={item.past ? 'gap past' : 'gap'} data-slot={item.at}>
                <time class="t" datetime={item.at}>
                  {item.time}
                </time>
                <strong>{item.past ? 'Empty slot (passed)' : 'Empty slot'}</strong>
                {item.past ? null : <span> · nothing planned yet</span>}
              </li>
            ),
          )}
        </ul>
      )}
    </li>
  );
}

const DONE: Record<NonNullable<CalendarModel['done']>, string> = {
  approved: 'Approved: the post is scheduled, with your approval recorded.',
  changes: 'Changes requested: the author was emailed your note.',
  rescheduled: 'Rescheduled.',
  canceled: 'Canceled: the post will not be published.',
};

/**
 * The calendar of one account: a week or a month in its local time, every
 * slot filled or empty, lapses shaded, today marked; with `formToken`, the
 * forms the person may use on each post; `error`: what a form could not do.
 */
export function CalendarPage({
  model,
  formToken,
  error,
}: {
  model: CalendarModel;
  formToken?: string | undefined;
  error?: string | undefined;
}) {
  const { account, range, counts } = model;
  const forms = formToken ? { formToken, next: calendarHref(account.id, range.view, range.date) } : undefined;
  const other: CalendarViewKind = range.view === 'week' ? 'month' : 'week';
  return (
    <Layout title={`${account.name}: ${range.title}`} signedIn>
      <nav aria-label="Breadcrumb" class="muted">
        <a href="/app">Accounts</a> › {account.name}
      </nav>
      <h1>
        {account.name} <span class="muted">{`${account.handle} on ${networkName(account.network)}`}</span>
      </h1>
      <p class="muted">
        Times are in {account.timezone}, the account's time zone, where it is {longDate(model.today)}.
      </p>
      {model.openedOnNextSlot ? (
        <p class="muted" id="opened-on-next">
          {`This week's slots are over: showing the week of the next slot, ${longDate(model.openedOnNextSlot)}.`}
        </p>
      ) : null}
      {error ? (
        <p class="error" role="alert" id="form-error">
          {error}
        </p>
      ) : model.done ? (
        <p class="done" role="status" id="form-done">
          {DONE[model.done]}
        </p>
      ) : null}
      <h2 id="range-title">{range.title}</h2>
      <nav class="bar" aria-label="Calendar navigation">
        <a href={calendarHref(account.id, range.view, range.previous)} rel="prev">
          ← Previous {range.view}
        </a>
        <a href={calendarHref(account.id, range.view)}>Today</a>
        <a href={calendarHref(account.id, range.view, range.next)} rel="next">
          Next {range.view} →
        </a>
      </nav>
      <nav class="bar" aria-label="Conversations">
        <a href={inboxHref(account.id)} id="inbox-link">
          Inbox
        </a>
        <a href={reportHref(account.id)}>Response report</a>
      </nav>
      <nav class="bar" aria-label="View">
        <a
          href={calendarHref(account.id, 'week', range.date)}
          aria-current={range.view === 'week' ? 'page' : undefined}
        >
          Week
        </a>
        <a
          href={calendarHref(account.id, 'month', range.date)}
          aria-current={range.view === 'month' ? 'page' : undefined}
        >
          Month
        </a>
        <span class="sr">{`Showing the ${range.view} view; switch to the ${other} view above.`}</span>
      </nav>
      <p id="summary">
        {`${counts.slots} slot${counts.slots === 1 ? '' : 's'}: ${counts.filled} filled, ${counts.empty} empty · ${counts.posts} post${counts.posts === 1 ? '' : 's'}`}
        {account.cadence?.slots.length ? '' : ' · this account has no cadence, so no slots'}
      </p>
      {model.lapses.length ? (
        <section aria-labelledby="lapses-title">
          <h2 id="lapses-title">Cadence lapses</h2>
          <ul>
            {model.lapses.map((l) => (
              <li>
                {l.ongoing
                  ? `Nothing published or planned from ${when(l.fromLocal)} to the end of this ${range.view} and beyond`
                  : `Nothing published or planned from ${when(l.fromLocal)} to ${when(l.toLocal)}`}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <ul class="legend" aria-label="Legend">
        {(['scheduled', 'pending_approval', 'published', 'failed', 'missed'] as const).map((s) => (
          <li class={`tag b-${s}`}>{STATUS_LABELS[s]}</li>
        ))}
        <li class="tag gap">Empty slot</li>
        <li class="tag lapse">Cadence lapse</li>
      </ul>
      <ol class={`days ${range.view}`} aria-labelledby="range-title">
        {model.days.map((day) => (
          <Day day={day} model={model} forms={forms} />
        ))}
      </ol>
    </Layout>
  );
}
