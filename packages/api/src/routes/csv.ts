import type { Hono } from 'hono';
import * as z from 'zod/mini';
import { ExportQuery, ImportQuery, ImportResult, NotFound } from '@drumbeat/core';
import { EXPORT_COLUMNS, IMPORT_COLUMNS, MAX_IMPORT_ROWS } from '@drumbeat/services';
import { parseImportCsv } from '../import-csv.js';
import type { AppEnv } from '../env.js';
import { defineRoute } from '../openapi/route-def.js';
import { route } from '../openapi/route.js';
import { errorResponses, guarded, IdParams, jsonResponse, ProblemSchema, textResponse } from '../openapi/common.js';
import { problem } from '../problem.js';

const tags = ['Import and export'];

const ImportJob = z
  .object({
    id: z.string(),
    status: z.enum(['pending', 'running', 'succeeded', 'failed']),
    createdAt: z.string(),
    updatedAt: z.string(),
    result: z.optional(ImportResult),
    problem: z.optional(ProblemSchema),
  })
  .register(z.globalRegistry, {
    id: 'ImportJob',
    description:
      'An import running outside the request: `result` once succeeded, `problem` (what a synchronous import would have answered) once failed',
    example: {
      id: 'imp_01jd8x3k2m9q4r7s0t1v2w3x4y',
      status: 'pending',
      createdAt: '2026-12-06T01:00:00.000Z',
      updatedAt: '2026-12-06T01:00:00.000Z',
    },
  });

const importCsv = defineRoute({
  method: 'post',
  path: '/v1/import',
  operationId: 'importPostsCsv',
  tags,
  summary: 'Import a calendar from CSV, safe to repeat: every row valid or nothing created',
  description: `Columns: ${IMPORT_COLUMNS.join(', ')} (account, at, text and voice required; the export's other columns are accepted and ignored; an unknown column is a 422). account: id or handle; at: an ISO 8601 instant or "next"; voice: id or email; media: a JSON array of {url, alt} (or one media_url with media_alt); status: empty, scheduled, pending_approval or canceled (published, failed and missed rows are skipped). A row with an id updates the post it names (a post id, or the id an earlier import kept) or creates one that keeps it; a row matching a live post (same text and time) is reported as a duplicate, not created; a second post at a filled slot instant needs ?shareSlots=true. Any bad row → 422 listing every row error (paths rows.<row>.<column>, the header being row 1).`,
  ...guarded('editor'),
  request: {
    query: ImportQuery,
    body: {
      required: true,
      content: {
        'text/csv': {
          schema: z
            .string()
            .register(z.globalRegistry, { example: 'account,at,text,voice\n@acme,next,Hello,anna@agency.example' }),
        },
      },
    },
  },
  responses: {
    201: jsonResponse(ImportResult, 'What the import did'),
    202: {
      ...jsonResponse(
        ImportJob,
        'Accepted as a job (on AWS: files of more than 100 rows, or any file sent with `Prefer: respond-async`); follow Location',
      ),
      headers: {
        Location: { description: 'The job status URL, /v1/imports/{id}', schema: { type: 'string' } },
        'Retry-After': { description: 'Seconds before polling', schema: { type: 'integer' } },
      },
    },
    ...errorResponses,
  },
});
const importStatus = defineRoute({
  method: 'get',
  path: '/v1/imports/{id}',
  operationId: 'getImportJob',
  tags,
  summary:
    'The status of an import accepted as a job (202): pending, running, succeeded (with the result) or failed (with the problem; nothing imported)',
  description:
    'Jobs exist only where imports run outside the request (AWS); the embedded runtime answers every import synchronously, so there this is always a 404. Jobs are kept 7 days.',
  ...guarded('viewer'),
  request: { params: IdParams },
  responses: { 200: jsonResponse(ImportJob, 'The job'), ...errorResponses },
});
const exportCsv = defineRoute({
  method: 'get',
  path: '/v1/accounts/{id}/posts.csv',
  operationId: 'exportPostsCsv',
  tags,
  summary: "Export an account's posts as CSV (imports back as the same posts)",
  description: `Columns: ${EXPORT_COLUMNS.join(', ')}. Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a CR) are written behind an apostrophe, which the import removes.`,
  ...guarded('viewer'),
  request: { params: IdParams, query: ExportQuery },
  responses: { 200: textResponse('text/csv', 'CSV, one row per post'), ...errorResponses },
});

// Loaded on first use: a request rarely needs it, so the Lambda cold start does not load it (infra/README.md, Bundles).
const csvText = () => import('../csv-text.js');

/** CSV import and export. */
export function csvRoutes(app: Hono<AppEnv>): void {
  route(app, importCsv, async (c) => {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'text/csv') return problem(c, 415, 'unsupported-media-type', 'send the file as text/csv');
    const csv = await c.req.text();
    const { columns, rows } = await parseImportCsv(csv);
    c.var.services.csvImport.checkColumns(columns);
    const shareSlots = c.req.valid('query').shareSlots === 'true';
    const jobs = c.var.config.importJobs;
    if (
      jobs &&
      rows.length <= MAX_IMPORT_ROWS &&
      (rows.length > jobs.syncRows || /\brespond-async\b/i.test(c.req.header('Prefer') ?? ''))
    ) {
      // Refused files (no rows, too many, a malformed header) were answered above, synchronously; rows are checked by the job.
      const job = await jobs.submit(c.var.principal.workspaceId, { csv, shareSlots });
      return c.json(job, 202, { Location: `/v1/imports/${job.id}`, 'Retry-After': '2' });
    }
    const result = await c.var.services.csvImport.run(c.var.principal.workspaceId, rows, { shareSlots });
    return c.json(result, 201);
  });
  route(app, importStatus, async (c) => {
    const { id } = c.req.valid('param');
    const job = await c.var.config.importJobs?.get(c.var.principal.workspaceId, id);
    if (!job) throw new NotFound(`no import job ${id} in this workspace`);
    return c.json(job, 200, job.status === 'pending' || job.status === 'running' ? { 'Retry-After': '2' } : {});
  });
  route(app, exportCsv, async (c) => {
    const { id } = c.req.valid('param');
    const { bom, ...q } = c.req.valid('query');
    const rows = await c.var.services.postExport.rows(c.var.principal.workspaceId, id, q);
    const { writeCsv } = await csvText();
    return c.body(writeCsv(rows, { bom: bom === 'true' }), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${id}-posts.csv"`,
    });
  });
}
