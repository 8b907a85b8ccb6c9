import { DomainError, Invalid } from '@drumbeat/core';
import type { ImportOptions, ImportResult, ImportRow, Services } from '@drumbeat/services';
import type { ImportJobView } from './import-jobs.js';

// Loaded on first use: a request rarely needs it, so the Lambda cold start does not load it (infra/README.md, Bundles).
const csvText = () => import('./csv-text.js');

/** Parses CSV text into rows keyed by header; a malformed file is a 400 naming the line. */
export async function parseImportCsv(text: string): Promise<{ columns: string[]; rows: ImportRow[] }> {
  const { CsvError, readCsv } = await csvText();
  let records: string[][];
  try {
    records = readCsv(text);
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    throw new Invalid(`the CSV could not be parsed at line ${err.line}: ${err.message}`, [
      { path: `rows.${err.line}`, message: err.message },
    ]);
  }
  const [header = [], ...data] = records;
  const columns = header.map((h) => h.toLowerCase());
  return {
    columns,
    rows: data.map((cells, i) => ({
      row: i + 2,
      values: Object.fromEntries(columns.map((c, j) => [c, cells[j] ?? ''])),
    })),
  };
}

/** The whole import of a CSV file, as the route runs it inline and the Imports function runs it as a job: all or nothing. */
export async function importCsv(
  services: Services,
  ws: string,
  csv: string,
  shareSlots: boolean,
  job: Pick<ImportOptions, 'beforeCreate' | 'signal'> = {},
): Promise<ImportResult> {
  const { columns, rows } = await parseImportCsv(csv);
  services.csvImport.checkColumns(columns);
  return services.csvImport.run(ws, rows, { shareSlots, ...job });
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Content',
};

/** The problem a failed job shows: the one a synchronous import answers for a domain error, or an internal failure. */
export function importProblem(err: unknown): NonNullable<ImportJobView['problem']> {
  if (err instanceof DomainError) {
    return {
      type: `urn:drumbeat:problem:${err.code}`,
      title: TITLES[err.status] ?? 'Error',
      status: err.status,
      detail: err.message,
      ...(err.errors?.length ? { errors: err.errors } : {}),
    };
  }
  return {
    type: 'urn:drumbeat:problem:internal',
    title: 'Internal Server Error',
    status: 500,
    detail: 'the import failed unexpectedly and was undone; it has been logged',
  };
}
