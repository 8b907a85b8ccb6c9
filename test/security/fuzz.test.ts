import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';

/**
 * Bad input never crashes drumbeat: random JSON, random bytes, near-valid
 * bodies derived from real ones, odd headers and Unicode, at every route of the
 * OpenAPI document. Every answer is below 500, and every 4xx is problem+json.
 */
let api: TestApi;
let key: string;
let routes: { method: string; path: string }[];
let pageRoutes: { method: string; path: string }[];
const ids: Record<string, string> = {};

beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z' });
  key = (await api.workspace('Fuzz')).key;
  ids.voice = (await api.call('POST', '/v1/voices', { key, body: { name: 'F', affiliation: 'agency' } })).body.id;
  ids.account = (await api.call('POST', '/v1/accounts', { key, body: accountBody() })).body.id;
  ids.post = (
    await api.call('POST', `/v1/accounts/${ids.account}/posts`, {
      key,
      body: { text: 'x', voiceId: ids.voice, slot: 'next' },
    })
  ).body.id;
  ids.webhook = (
    await api.call('POST', '/v1/webhooks', { key, body: { url: 'https://hooks.example/x', events: ['*'] } })
  ).body.id;
  const doc = (await api.call('GET', '/openapi.json')).body as OpenApiDoc;
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })),
  );
  // The pages people open (cookie sessions, HTML answers) are fuzzed too: never a 5xx there either.
  pageRoutes = [
    '/app',
    '/app/sign-in',
    '/app/link',
    '/app/accounts/{id}/calendar',
    '/t/{id}/{id}',
    '/t/{id}/{id}.json',
  ].map((path) => ({ method: 'GET', path }));
  pageRoutes.push({ method: 'POST', path: '/app/sign-in' }, { method: 'POST', path: '/app/sign-out' });
  // The calendar page's forms.
  pageRoutes.push(
    ...['decide', 'reschedule', 'cancel'].map((verb) => ({ method: 'POST', path: `/app/posts/{id}/${verb}` })),
  );
  SEEDS.push(...schemaExamples(doc));
});

interface OpenApiDoc {
  paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }>>;
  components: { schemas: Record<string, { example?: unknown }> };
}

/** The example of every request body schema the document declares: near-valid input derived from the schemas themselves. */
function schemaExamples(doc: OpenApiDoc): unknown[] {
  const out: unknown[] = [];
  for (const ops of Object.values(doc.paths)) {
    for (const op of Object.values(ops)) {
      const ref = op.requestBody?.content?.['application/json']?.schema?.$ref;
      const example = ref ? doc.components.schemas[ref.split('/').at(-1)!]?.example : undefined;
      if (example && typeof example === 'object' && !Array.isArray(example)) out.push(example);
    }
  }
  return out;
}
afterAll(() => api.close());

/** Valid bodies to mutate: the fuzzer starts near what the API accepts. */
const SEEDS: unknown[] = [
  { name: 'Anna', affiliation: 'agency', organization: 'N', signature: 'AB' },
  accountBody(),
  { text: 'hello', voiceId: 'vce_01m84tes26zgdxp42t17ppaggy', at: '2027-01-01T10:00:00Z' },
  { url: 'https://hooks.example/x', events: ['post.created'] },
  { voiceId: 'vce_01m84tes26zgdxp42t17ppaggy', note: 'ok' },
  { name: 'k', role: 'viewer' },
];

const nearValid = fc
  .tuple(
    fc.nat().map((i) => SEEDS[i % SEEDS.length]),
    fc.string(),
    fc.oneof(fc.jsonValue(), fc.string({ unit: 'binary' })),
    fc.nat(5),
  )
  .map(([seed, k, v, op]) => {
    const o = structuredClone(seed) as Record<string, unknown>;
    const keys = Object.keys(o);
    const target = keys[k.length % keys.length]!;
    if (op === 0) delete o[target];
    else if (op === 1) o[target] = v;
    else if (op === 2) o[k || 'extra'] = v;
    else if (op === 3) o[target] = typeof o[target] === 'string' ? (o[target] as string).repeat(400) : [o[target]];
    else if (op === 4) o[target] = null;
    return JSON.stringify(o);
  });

const body = fc.oneof(
  fc.json(),
  nearValid,
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constant('{"name": "unterminated'),
  fc.constant(''),
  fc.constant('[]'),
  fc.constant('account,at,text,voice\n@acme,next,"x,y'),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/csv',
  'text/plain',
  'application/x-www-form-urlencoded',
  '',
  'application/json; boundary=\xff',
);
const idValue = fc.oneof(
  fc.constantFrom(...Object.values(ids.length ? ids : { a: 'x' })),
  fc.constantFrom(
    'vce_01m84tes26zgdxp42t17ppaggy',
    'pst_00000000000000000000000000',
    '%00',
    '..',
    'a'.repeat(300),
    '%F0%9F%A6%84',
    '%E2%80%AE',
  ),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
);
const query = fc.oneof(
  fc.constant(''),
  fc.constantFrom(
    '?limit=0',
    '?limit=-1',
    '?limit=1e9',
    '?cursor=%%%',
    '?from=2026-13-45T00:00:00Z&to=x',
    '?status=nope',
    '?limit=2&cursor=eyJzayI6IktFWSMxIn0',
  ),
  fc
    .dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 3 })
    .map((d) => `?${new URLSearchParams(d)}`),
);
const auth = fc.oneof(
  fc.constant('good'),
  fc.constant('good'),
  fc.constantFrom(
    '',
    'Bearer',
    'Bearer dbk.x.y.z',
    'Basic dXNlcjpwYXNz',
    'Bearer dbk.ws_00000000000000000000000000.key_00000000000000000000000000.x',
  ),
);
const idempotencyKey = fc.option(
  fc.oneof(fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.constant('x'.repeat(400))),
  { nil: undefined },
);

describe('fuzzing every route', () => {
  it('never answers 5xx, and every 4xx is problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        idValue,
        query,
        body,
        contentType,
        auth,
        idempotencyKey,
        async (pick, id, q, b, type, a, idem) => {
          const all = pick % 5 === 0 ? pageRoutes : routes;
          const route = all[Math.floor(pick / 5) % all.length]!;
          const path = route.path.replace(/\{[^}]+\}/g, id) + q;
          const headers: Record<string, string> = {};
          if (type) headers['Content-Type'] = type;
          if (a === 'good') headers.Authorization = `Bearer ${key}`;
          else if (a) headers.Authorization = a;
          if (idem !== undefined) headers['Idempotency-Key'] = idem.replace(/[\r\n\0]/g, '');
          let res: Response;
          try {
            res = await api.app.request(path, {
              method: route.method,
              headers,
              ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { body: b }),
            });
          } catch (err) {
            // A header value the Fetch API itself refuses never reaches a server.
            if (err instanceof TypeError && /header|ByteString/i.test(err.message)) return;
            throw err;
          }
          const text = await res.text();
          expect(res.status, `${route.method} ${path} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
          if (res.status >= 400 && (path.startsWith('/v1/') || path.endsWith('.json'))) {
            expect(res.headers.get('content-type'), `${route.method} ${path}`).toBe('application/problem+json');
            expect(JSON.parse(text).status).toBe(res.status);
          }
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400), seed: Number(process.env.FUZZ_SEED ?? 20261123) },
    );
  }, 120_000);
});
