import { countOf, durationInWords, networkName, type Transparency } from '@drumbeat/core';

const LABELS: Record<string, string> = {
  in_house: 'In-house',
  agency: 'Agency',
  freelance: 'Freelance',
  automation: 'Automation',
};
const pct = (x: number) => `${Math.round(x * 100)}%`;
const day = (iso: string) => iso.slice(0, 10);

/** The public transparency page: semantic, readable on a phone, no script. */
export function TransparencyPage({ t }: { t: Transparency }) {
  const title = `Who speaks for ${t.account.handle} on ${networkName(t.account.network)}`;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <title>{title}</title>
        <style>{`body{font:17px/1.55 system-ui,sans-serif;margin:0 auto;max-width:42rem;padding:1rem;color:#1b1b1b;background:#fff}
h1{font-size:1.5rem;line-height:1.25}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .3rem;border-bottom:1px solid #ddd}
code,pre{overflow-wrap:anywhere;word-break:break-all;white-space:pre-wrap}
.bar{height:.6rem;background:#1d4ed8;border-radius:.3rem}.muted{color:#555}footer{margin-top:2.5rem;font-size:.9rem;color:#555}`}</style>
      </head>
      <body>
        <header>
          <h1>{title}</h1>
          <p class="muted">
            {t.workspace.name} publishes here. This page shows, from drumbeat's attribution ledger, who wrote the posts
            of the last {t.window.days} days and how they were approved.
          </p>
        </header>
        <main>
          <section aria-labelledby="voices">
            <h2 id="voices">Voices</h2>
            {t.voices.length === 0 ? (
              <p>No publication in the last {t.window.days} days.</p>
            ) : (
              <table>
                <caption class="muted">
                  Authors of the {countOf(t.publications, 'publication')} since {day(t.window.from)}
                  {t.answers ? `, of which ${countOf(t.answers, 'answer')} to people who wrote to the account` : ''}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Voice</th>
                    <th scope="col">Affiliation</th>
                    <th scope="col">Organization</th>
                    <th scope="col">Posts</th>
                  </tr>
                </thead>
                <tbody>
                  {t.voices.map((v) => (
                    <tr>
                      <td>{v.name}</td>
                      <td>{LABELS[v.affiliation]}</td>
                      <td>{v.organization ?? '—'}</td>
                      <td>
                        {v.posts}
                        {v.answers ? ` + ${countOf(v.answers, 'answer')}` : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="share">
            <h2 id="share">Share by affiliation</h2>
            <dl>
              {Object.entries(t.shareByAffiliation).map(([a, share]) => (
                <>
                  <dt>
                    {LABELS[a]}: {pct(share)}
                  </dt>
                  <dd>
                    <div
                      class="bar"
                      style={`width:${pct(share)}`}
                      role="img"
                      aria-label={`${LABELS[a]} ${pct(share)}`}
                    ></div>
                  </dd>
                </>
              ))}
            </dl>
          </section>
          {t.assisted ? (
            <section aria-labelledby="assisted">
              <h2 id="assisted">Drafted with an assistant</h2>
              <p id="assisted-count">{t.assisted.text}.</p>
            </section>
          ) : null}
          <section aria-labelledby="policy">
            <h2 id="policy">How posts are approved</h2>
            <p>
              {t.approval.required
                ? `${t.approval.requiredFor === 'mcp' ? 'Every post drafted with an assistant' : 'Every post'} is approved by someone other than its author${t.approval.approvers ? ` (${t.approval.approvers} designated approvers)` : ''}${t.approval.sla ? `, within ${durationInWords(t.approval.sla)}` : ''}.`
                : 'Posts are published without a separate approval step.'}{' '}
              {t.signature === 'none'
                ? 'Posts are not signed.'
                : t.signature === 'initials'
                  ? "Posts are signed with their author's initials."
                  : "Posts are signed with their author's name."}
            </p>
          </section>
          <section aria-labelledby="last">
            <h2 id="last">Last publication</h2>
            {t.lastPublication ? (
              <p>
                <time datetime={t.lastPublication.at}>{t.lastPublication.at.replace('T', ' ').slice(0, 16)} UTC</time>{' '}
                by {t.lastPublication.voice} ({LABELS[t.lastPublication.affiliation]})
                {t.lastPublication.url ? (
                  <>
                    {' '}
                    — <a href={t.lastPublication.url}>see it</a>
                  </>
                ) : null}
              </p>
            ) : (
              <p>None yet.</p>
            )}
          </section>
          <section aria-labelledby="checkpoint">
            <h2 id="checkpoint">Ledger checkpoint</h2>
            {t.checkpoints ? (
              <>
                <p>
                  Every publication is recorded in a hash-chained ledger whose head drumbeat signs with this workspace's
                  Ed25519 key. Keep a copy of the checkpoint below (or of this page): with it, anyone can later prove
                  whether the ledger was rewritten or rolled back (
                  <code>npx drumbeat-verify ledger.json checkpoints.jsonl</code>).
                </p>
                <dl>
                  <dt>Public key (Ed25519, base64url)</dt>
                  <dd>
                    <code id="public-key">{t.checkpoints.publicKey}</code>
                  </dd>
                  {t.checkpoints.latest ? (
                    <>
                      <dt>Latest checkpoint</dt>
                      <dd>
                        entry {t.checkpoints.latest.seq}, signed{' '}
                        <time datetime={t.checkpoints.latest.at}>{t.checkpoints.latest.at}</time>
                        <pre id="latest-checkpoint" style="white-space:pre-wrap;word-break:break-all">
                          {JSON.stringify(t.checkpoints.latest)}
                        </pre>
                      </dd>
                    </>
                  ) : (
                    <>
                      <dt>Latest checkpoint</dt>
                      <dd>None yet: nothing has been published.</dd>
                    </>
                  )}
                </dl>
              </>
            ) : (
              <p>This ledger's head is not signed yet.</p>
            )}
          </section>
        </main>
        <footer>
          Generated by drumbeat from an append-only, hash-chained ledger. Machine-readable:{' '}
          <a href={`/t/${t.workspace.slug}/${encodeURIComponent(t.account.handle)}/transparency.json`}>JSON</a>.
        </footer>
      </body>
    </html>
  );
}
