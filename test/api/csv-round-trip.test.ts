import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { sha256, signedText } from '@drumbeat/core';
import { accountBody, startTestApi, type TestApi } from '../support/api.js';
import { ANNA_AT_AGENCY } from '../support/bodies.js';
import { json, startRecorder } from '../support/http-recorder.js';

// Import and export as an agency uses them: the same file twice, a file kept and edited, an export moved to another workspace.
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ now: '2026-11-23T10:00:00Z' });
});
afterAll(() => api.close());

/** A workspace with the voice and the account the files name (the same handle and email in each). */
async function workspace(name: string) {
  const { key, id: ws } = await api.workspace(name);
  const voiceId = (
    await api.call('POST', '/v1/voices', {
      key,
      body: { ...ANNA_AT_AGENCY, organization: 'Northwind' },
    })
  ).body.id as string;
  const acc = (await api.call('POST', '/v1/accounts', { key, body: accountBody({ handle: '@acme' }) })).body
    .id as string;
  const importCsv = (csv: string, query = '') =>
    api.call('POST', `/v1/import${query}`, { key, body: csv, headers: { 'Content-Type': 'text/csv' } });
  // read as bytes: Response.text() would drop a byte order mark
  const exportCsv = async (query = '') => {
    const res = await api.app.request(`/v1/accounts/${acc}/posts.csv${query}`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer()).toString('utf8');
  };
  const posts = async () =>
    (await api.call('GET', `/v1/accounts/${acc}/posts?limit=200`, { key })).body.items as {
      id: string;
      text: string;
      status: string;
      scheduledAt: string;
    }[];
  return { key, ws, voiceId, acc, importCsv, exportCsv, posts };
}

describe('importing the same file twice', () => {
  it('creates nothing the second time, and says which rows were duplicates', async () => {
    const w = await workspace('Twice');
    // slots MO/WE/FR 09:30 Paris: two rows in slots, one off-slot, two "next"
    const csv = [
      'account,at,text,voice',
      '@acme,2026-11-25T08:30:00Z,In the Wednesday slot,anna@agency.example',
      '@acme,2026-11-27T08:30:00Z,In the Friday slot,anna@agency.example',
      '@acme,2026-11-26T15:00:00Z,Off-slot,anna@agency.example',
      '@acme,next,Whenever it fits,anna@agency.example',
      '@acme,next,And after that,anna@agency.example',
    ].join('\n');
    const first = await w.importCsv(csv);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ created: 5, updated: 0, unchanged: 0, report: [] });
    const second = await w.importCsv(csv);
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ created: 0, updated: 0, posts: [] });
    expect(second.body.report.map((r: { row: number; outcome: string }) => [r.row, r.outcome])).toEqual(
      [2, 3, 4, 5, 6].map((row) => [row, 'duplicate']),
    );
    expect(second.body.report[0].postId).toBe(first.body.posts[0].id);
    expect(await w.posts()).toHaveLength(5);
  });

  it('refuses a second post at a filled slot instant unless asked to share it', async () => {
    const w = await workspace('Shared slot');
    expect(
      (await w.importCsv('account,at,text,voice\n@acme,2026-11-25T08:30:00Z,First,anna@agency.example')).status,
    ).toBe(201);
    const csv = 'account,at,text,voice\n@acme,2026-11-25T08:30:00Z,Another text at the same slot,anna@agency.example';
    const refused = await w.importCsv(csv);
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([{ path: 'rows.2.at', message: expect.stringContaining('shareSlots=true') }]);
    expect(await w.posts()).toHaveLength(1);
    const shared = await w.importCsv(csv, '?shareSlots=true');
    expect(shared.status).toBe(201);
    expect(await w.posts()).toHaveLength(2);
  });

  it('treats a row with an id as an upsert: created once, then updated, canceled or left alone', async () => {
    const w = await workspace('Upsert');
    const header = 'id,account,at,text,voice,status';
    const a = await w.importCsv(
      [
        header,
        'row-1,@acme,2026-12-01T10:00:00Z,Draft one,anna@agency.example,',
        'row-2,@acme,2026-12-02T10:00:00Z,Draft two,anna@agency.example,',
      ].join('\n'),
    );
    expect(a.body.created).toBe(2);
    const b = await w.importCsv(
      [
        header,
        'row-1,@acme,2026-12-01T11:00:00Z,Final one,anna@agency.example,',
        'row-2,@acme,2026-12-02T10:00:00Z,Draft two,anna@agency.example,canceled',
      ].join('\n'),
    );
    expect(b.status).toBe(201);
    expect(b.body).toMatchObject({ created: 0, updated: 2, unchanged: 0 });
    expect(
      b.body.posts.map((p: { id: string; text: string; status: string; scheduledAt: string }) => [
        p.id,
        p.text,
        p.status,
        p.scheduledAt,
      ]),
    ).toEqual([
      [a.body.posts[0].id, 'Final one', 'scheduled', '2026-12-01T11:00:00.000Z'],
      [a.body.posts[1].id, 'Draft two', 'canceled', '2026-12-02T10:00:00.000Z'],
    ]);
    const c = await w.importCsv([header, 'row-1,@acme,2026-12-01T11:00:00Z,Final one,anna@agency.example,'].join('\n'));
    expect(c.body).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 1,
      report: [{ row: 2, outcome: 'unchanged', postId: a.body.posts[0].id }],
    });
    expect(await w.posts()).toHaveLength(2);
  });
});

describe('export → import into another workspace → export', () => {
  const hostile = [
    '  two leading spaces',
    'two trailing spaces  ',
    '\ta leading tab',
    'a trailing tab\t',
    '\u00a0non-breaking space around\u00a0',
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    '-1 degree outside',
    '@SUM(A1)',
    "'=already quoted",
    'quotes "inside", commas, and\r\nCRLF\nLF\rCR line ends',
    'family 👨‍👩‍👧‍👦, flags 🇫🇷🇯🇵, accents é (e\u0301)',
  ];

  it('gives the same file byte for byte: texts, media with alt text, times, voices and status', async () => {
    const from = await workspace('Source');
    const media = [
      { url: 'https://cdn.example/a.jpg', alt: 'A cup, steaming' },
      { url: 'https://cdn.example/b%20c.jpg', alt: '  spaced alt  ' },
      { url: 'https://cdn.example/d.jpg' },
    ];
    const ids: string[] = [];
    for (const [i, text] of hostile.entries()) {
      const at = new Date(Date.UTC(2026, 11, 1 + i, 9)).toISOString();
      const r = await api.call('POST', `/v1/accounts/${from.acc}/posts`, {
        key: from.key,
        body: { text, voiceId: from.voiceId, at, media: i === 0 ? media : [] },
      });
      expect(r.status).toBe(201);
      ids.push(r.body.id);
    }
    expect(
      (
        await api.call('POST', `/v1/accounts/${from.acc}/posts`, {
          key: from.key,
          body: { text: 'a slot post', voiceId: from.voiceId, slot: 'next' },
        })
      ).status,
    ).toBe(201);
    expect((await api.call('DELETE', `/v1/posts/${ids[1]}`, { key: from.key })).status).toBe(200);

    const exported = await from.exportCsv();
    // every cell a spreadsheet would run is behind an apostrophe, and the texts read back exactly with the apostrophe removed
    const cells = parse(exported, { columns: true }) as Record<string, string>[];
    expect(cells.find((c) => c.text!.includes('HYPERLINK'))!.text).toBe(`'${hostile[5]}`);
    expect(cells.find((c) => c.text!.includes('already quoted'))!.text).toBe(`'${hostile[9]}`);

    const to = await workspace('Target');
    const imported = await to.importCsv(exported);
    expect(imported.status).toBe(201);
    expect(imported.body.created).toBe(hostile.length + 1);
    const back = await to.exportCsv();
    expect(back).toBe(exported);
    const texts = (await to.posts()).map((p) => p.text);
    expect(texts).toEqual(expect.arrayContaining(hostile));
    expect((await to.posts()).find((p) => p.text === hostile[1])!.status).toBe('canceled');
    const withMedia = imported.body.posts.find((p: { text: string }) => p.text === hostile[0]);
    expect(withMedia.media).toEqual(media);

    // and importing the export again changes nothing
    const again = await to.importCsv(back);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: hostile.length + 1 });
  });

  it('starts the file with a UTF-8 BOM when asked, and the import reads it', async () => {
    const w = await workspace('Bom');
    await api.call('POST', `/v1/accounts/${w.acc}/posts`, {
      key: w.key,
      body: { text: 'Café', voiceId: w.voiceId, at: '2026-12-05T10:00:00Z' },
    });
    const bom = await w.exportCsv('?bom=true');
    expect(bom.charCodeAt(0)).toBe(0xfeff);
    expect(bom.slice(1)).toBe(await w.exportCsv());
    const other = await workspace('Bom target');
    expect((await other.importCsv(bom)).body.created).toBe(1);
  });

  it('ignores the export-only columns and refuses an unknown one by name', async () => {
    const w = await workspace('Columns');
    const ok = await w.importCsv(
      'account,at,text,voice,voice_name,published_at\n@acme,2026-12-06T10:00:00Z,Hi,anna@agency.example,Someone else,',
    );
    expect(ok.status).toBe(201);
    const bad = await w.importCsv(
      'account,at,text,voice,colour\n@acme,2026-12-07T10:00:00Z,Hi,anna@agency.example,red',
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([{ path: 'columns.colour', message: expect.stringContaining('unknown column') }]);
  });
});

describe('the attribution export', () => {
  it('neutralises formula cells, while the ledger hashes the true text', async () => {
    const receiver = await startRecorder((_req, res) => json(res, 200, {}));
    try {
      const w = await workspace('Ledger');
      const voice = (
        await api.call('POST', '/v1/voices', { key: w.key, body: { name: '@SUM(A1)', affiliation: 'agency' } })
      ).body;
      const acc = (
        await api.call('POST', '/v1/accounts', {
          key: w.key,
          body: accountBody({ handle: '+ledger', channel: { type: 'webhook', url: receiver.url } }),
        })
      ).body.id;
      const text = '=HYPERLINK("http://evil.example")';
      const post = (
        await api.call('POST', `/v1/accounts/${acc}/posts`, {
          key: w.key,
          body: { text, voiceId: voice.id, at: '2026-11-23T10:00:01Z' },
        })
      ).body.id;
      api.clock.set('2026-11-23T10:00:01Z');
      expect(await api.services.publisher.run({ workspaceId: w.ws, postId: post })).toBe('published');
      const csv = await (
        await api.app.request(`/v1/accounts/${acc}/attribution.csv`, { headers: { Authorization: `Bearer ${w.key}` } })
      ).text();
      const [row] = parse(csv, { columns: true }) as Record<string, string>[];
      expect(row!.voice_name).toBe("'@SUM(A1)");
      const [entry] = (await api.call('GET', `/v1/accounts/${acc}/attribution`, { key: w.key })).body.items;
      expect(row!.content_hash).toBe(entry.contentHash);
      expect(entry.contentHash).toBe(await sha256(signedText(text, undefined, voice)));
    } finally {
      await receiver.close();
    }
  });
});
