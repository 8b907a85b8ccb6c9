import type { Hono } from 'hono';
import * as z from 'zod/mini';
import { Invalid, Post, PostListQuery } from '@drumbeat/core';
import { IMPORT_COLUMNS, type ImportRow } from '@drumbeat/services';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, guarded, IdParams, jsonResponse, textResponse } from '../openapi/common.js';
import { problem } from '../problem.js';

const tags = ['Import and export'];
const ImportResult = z.object({ created: z.int(), posts: z.array(Post) }).register(z.globalRegistry, { id: 'ImportResult' });

const importCsv = defineRoute({
  method: 'post', path: '/v1/import', operationId: 'importPostsCsv', tags,
  summary: 'Import a calendar from CSV: every row valid or nothing created',
  description: `Columns: ${IMPORT_COLUMNS.join(', ')} (the first four required). account: id or handle; at: an ISO 8601 instant or "next"; voice: id or email. Any bad row → 422 listing every row error (paths rows.<row>.<column>, the header being row 1).`,
  ...guarded('editor'),
  request: { body: { required: true, content: { 'text/csv': { schema: z.string().register(z.globalRegistry, { example: 'account,at,text,voice\n@acme,next,Hello,anna@agency.example' }) } } } },
  responses: { 201: jsonResponse(ImportResult, 'The posts created'), ...errorResponses },
});
const exportCsv = defineRoute({
  method: 'get', path: '/v1/accounts/{id}/posts.csv', operationId: 'exportPostsCsv', tags, summary: "Export an account's posts as CSV",
  ...guarded('viewer'),
  request: { params: IdParams, query: z.pick(PostListQuery, { from: true, to: true, status: true }) },
  responses: { 200: textResponse('text/csv', 'CSV, one row per post'), ...errorResponses },
});

// Loaded on first use: a request rarely needs it, so the Lambda cold start does not load it (infra/README.md, Bundles).
const csvText = () => import('../csv-text.js');

/** Parses CSV text into rows keyed by header; a malformed file is a 400 naming the line. */
async function parseCsv(text: string): Promise<{ columns: string[]; rows: ImportRow[] }> {
  const { CsvError, readCsv } = await csvText();
  let records: string[][];
  try {
    records = readCsv(text);
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    throw new Invalid(`the CSV could not be parsed at line ${err.line}: ${err.message}`, [{ path: `rows.${err.line}`, message: err.message }]);
  }
  const [header = [], ...data] = records;
  const columns = header.map((h) => h.toLowerCase());
  return { columns, rows: data.map((cells, i) => ({ row: i + 2, values: Object.fromEntries(columns.map((c, j) => [c, cells[j] ?? ''])) })) };
}

/** CSV import and export. */
export function csvRoutes(app: Hono<AppEnv>): void {
  route(app, importCsv, async (c) => {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'text/csv') return problem(c, 415, 'unsupported-media-type', 'send the file as text/csv');
    const { columns, rows } = await parseCsv(await c.req.text());
    c.var.services.csvImport.checkColumns(columns);
    return c.json(await c.var.services.csvImport.run(c.var.principal.workspaceId, rows), 201);
  });
  route(app, exportCsv, async (c) => {
    const ws = c.var.principal.workspaceId;
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const account = await c.var.services.accounts.record(ws, id);
    const voices = new Map((await c.var.services.voices.all(ws)).map((v) => [v.id, v]));
    const rows: unknown[][] = [];
    let cursor: string | undefined;
    do {
      const page = await c.var.services.posts.list(ws, id, { ...q, limit: 200, cursor });
      for (const p of page.items) {
        const v = voices.get(p.voiceId);
        rows.push([p.id, account.handle, p.scheduledAt, p.scheduledLocal, p.status, p.text, p.voiceId, v?.name ?? '', v?.affiliation ?? '', v?.organization ?? '',
          p.media.map((m) => m.url).join(' '), p.publishedAt ?? '', p.externalUrl ?? '']);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const header = ['id', 'account', 'at', 'local_time', 'status', 'text', 'voice', 'voice_name', 'affiliation', 'organization', 'media_url', 'published_at', 'external_url'];
    const body = (await csvText()).writeCsv([header, ...rows]);
    return c.body(body, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${account.id}-posts.csv"` });
  });
}
