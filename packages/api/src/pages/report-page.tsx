import { toLocal } from '@drumbeat/core';
import { localDate, localTime } from './calendar-model.js';
import { shortDate } from './calendar-range.js';
import { inboxHref, reportHref } from './inbox-page.js';
import { Layout } from './layout.js';
import { WeekChart } from './report-chart.js';
import { waitText, type ReportModel } from './report-model.js';

const AFFILIATION_LABELS: Record<string, string> = {
  in_house: 'In-house',
  agency: 'Agency',
  freelance: 'Freelance',
  automation: 'Automation',
  outside_drumbeat: 'The account, outside drumbeat',
  unknown: 'Unknown voice',
};

/** The response report of an account as a page: the figures, a bar per week (server-rendered SVG), who answered, the longest waits. */
export function ReportPage({ model }: { model: ReportModel }) {
  const { account, report: r } = model;
  const local = (iso: string) => {
    const l = toLocal(new Date(iso), account.timezone);
    return `${shortDate(localDate(l))} ${localDate(l).slice(0, 4)} ${localTime(l)}`;
  };
  const share = r.sla?.share;
  return (
    <Layout title={`${account.name}: response report`} signedIn>
      <nav aria-label="Breadcrumb" class="muted">
        <a href="/app">Accounts</a> ›{' '}
        <a href={`/app/accounts/${encodeURIComponent(account.id)}/calendar`}>{account.name}</a> ›{' '}
        <a href={inboxHref(account.id)}>Inbox</a> › Report
      </nav>
      <h1>
        {account.name} <span class="muted">response report</span>
      </h1>
      <p class="muted">
        {`From ${local(r.from)} to ${local(r.to)} (${r.timezone}); waits count ${r.countedIn === 'opening_hours' ? 'only the opening hours' : 'all the time elapsed'}.`}
      </p>
      <nav class="bar" aria-label="Inbox">
        <a href={inboxHref(account.id)}>Open items</a>
        <a href={reportHref(account.id)} aria-current="page">
          Response report
        </a>
      </nav>
      <dl class="facts" id="figures">
        <dt>Received</dt>
        <dd>{r.received}</dd>
        <dt>Answered</dt>
        <dd>{r.answered}</dd>
        <dt>Dismissed</dt>
        <dd>{r.dismissed}</dd>
        <dt>Unanswered</dt>
        <dd>{r.unanswered}</dd>
        <dt>First response, median</dt>
        <dd>{waitText(r.firstResponse.medianMs)}</dd>
        <dt>First response, 90th percentile</dt>
        <dd>{waitText(r.firstResponse.p90Ms)}</dd>
        <dt>Answered within the SLA</dt>
        <dd>
          {r.sla
            ? share === null || share === undefined
              ? `no item to judge yet (SLA ${r.sla.sla})`
              : `${Math.round(share * 100)} % (${r.sla.withinSla} of ${r.sla.judged}, SLA ${r.sla.sla})`
            : 'no SLA set'}
        </dd>
      </dl>
      <h2 id="weeks-title">Per week</h2>
      <WeekChart weeks={r.weeks} />
      <table class="weeks" aria-labelledby="weeks-title">
        <thead>
          <tr>
            <th scope="col">Week</th>
            <th scope="col">Received</th>
            <th scope="col">Answered</th>
            <th scope="col">Dismissed</th>
            <th scope="col">Unanswered</th>
          </tr>
        </thead>
        <tbody>
          {r.weeks.map((w) => (
            <tr>
              <th scope="row">{`${w.week} (${shortDate(w.start)})`}</th>
              <td>{w.received}</td>
              <td>{w.answered}</td>
              <td>{w.dismissed}</td>
              <td>{w.unanswered}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Who answered</h2>
      {r.answered === 0 ? (
        <p class="muted">No answer in this range.</p>
      ) : (
        <>
          <ul id="by-voice">
            {r.answersByVoice.map((v) => (
              <li>{`${v.name ?? v.voiceId}${v.affiliation ? ` (${AFFILIATION_LABELS[v.affiliation]})` : ''}: ${v.answers}`}</li>
            ))}
          </ul>
          <ul id="by-affiliation">
            {r.answersByAffiliation.map((a) => (
              <li>{`${AFFILIATION_LABELS[a.affiliation] ?? a.affiliation}: ${a.answers}`}</li>
            ))}
          </ul>
        </>
      )}
      <h2>Longest waits</h2>
      {r.longestWaits.length === 0 ? (
        <p class="muted">Nothing waited.</p>
      ) : (
        <ol class="items" id="longest-waits">
          {r.longestWaits.map((w) => (
            <li class="card" data-conversation={w.conversationId}>
              <p>
                <strong>{w.author.displayName ?? w.author.handle}</strong>{' '}
                <span class="muted">{`${waitText(w.waitMs)}, ${w.status === 'open' ? 'still open' : 'answered'}`}</span>
              </p>
              <p class="text">{w.text}</p>
              <p class="muted">
                Received <time datetime={w.receivedAt}>{local(w.receivedAt)}</time>
              </p>
            </li>
          ))}
        </ol>
      )}
    </Layout>
  );
}
