/**
 * Inbox budget (issue 18): 10,000 inbound items ingested over HTTP as one
 * stream of batches (`POST /v1/accounts/{id}/conversations`, 500 items a
 * request, one after another) on the embedded runtime, against the raw write
 * rate of the same store in the same run. An item costs two conditional
 * writes (its external-id marker, then the conversation), so the ceiling is
 * half the raw rate. The stream is sent twice: the second time every item is
 * already there (a repeated poll), and nothing is created.
 */
import { benchOf, type Bench, type Figure } from './figure.js';
import { startBenchRuntime } from './bench-runtime.js';
import { rawWrites } from './api-bench.js';

const BATCH = 500;

async function measure(quick: boolean, progress: (m: string) => void): Promise<Figure[]> {
  const items = quick ? 2_000 : 10_000;
  const { rt, stop } = await startBenchRuntime('inbox');
  try {
    const ws = rt.firstWorkspace!.workspace.id;
    const key = rt.firstWorkspace!.apiKey.key;
    const account = await rt.services.accounts.create(ws, {
      name: 'Inbox',
      network: 'mastodon',
      handle: '@inbox',
      timezone: 'Europe/Paris',
      channel: { type: 'webhook', url: 'https://hooks.agency.example/bench' },
      responses: { sla: 'PT2H' },
    } as never);
    const body = (from: number) =>
      JSON.stringify({
        items: Array.from({ length: BATCH }, (_, i) => ({
          externalId: `11355500${from + i}`,
          url: `https://mastodon.example/@fan/${from + i}`,
          kind: 'mention',
          author: { handle: `@fan${(from + i) % 97}@mastodon.example`, displayName: 'A fan' },
          text: `@inbox question number ${from + i}: do you ship to Belgium?`,
          receivedAt: new Date(Date.now() - 60_000).toISOString(),
        })),
      });
    const stream = async () => {
      let created = 0;
      const t0 = performance.now();
      for (let from = 0; from < items; from += BATCH) {
        const res = await fetch(`${rt.url}/v1/accounts/${account.id}/conversations`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
          body: body(from),
        });
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
        created += ((await res.json()) as { created: number }).created;
      }
      return { ms: performance.now() - t0, created };
    };
    const first = await stream();
    if (first.created !== items) throw new Error(`created ${first.created} of ${items}`);
    progress(`${items} new items: ${first.ms.toFixed(0)} ms`);
    const again = await stream();
    if (again.created !== 0) throw new Error(`a repeated stream created ${again.created}`);
    progress(`the same ${items} again (all known): ${again.ms.toFixed(0)} ms`);
    progress(`raw store writes (PutItem), ${quick ? 2 : 5} s`);
    const raw = await rawWrites(rt, quick ? 2 : 5);
    const rate = items / (first.ms / 1000);
    return [
      { name: `inbox: ${items} new items over HTTP, ${BATCH} a request`, value: first.ms, unit: 'ms' },
      {
        name: 'inbox: new items per second',
        value: rate,
        unit: 'items/s',
        baseline: {
          name: 'raw store PutItem, same client and engine (a new item with a deadline costs 4 writes: marker, item, open and deadline indexes)',
          value: raw.rate,
          unit: 'writes/s',
        },
        ratio: rate / raw.rate,
      },
      {
        name: 'inbox: known items per second (a repeated poll)',
        value: items / (again.ms / 1000),
        unit: 'items/s',
        baseline: { name: 'raw store PutItem', value: raw.rate, unit: 'writes/s' },
        ratio: items / (again.ms / 1000) / raw.rate,
      },
    ];
  } finally {
    await stop();
  }
}

export const inboxBench: Bench = benchOf('inbox', measure);
