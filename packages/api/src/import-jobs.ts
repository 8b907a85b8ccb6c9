import type { ImportResult } from '@drumbeat/services';

/** Where an import job is: queued, importing, done, or given up (nothing of it kept). */
export type ImportJobStatus = 'pending' | 'running' | 'succeeded' | 'failed';

/** An import job as `GET /v1/imports/{id}` shows it. */
export interface ImportJobView {
  id: string;
  status: ImportJobStatus;
  createdAt: string;
  updatedAt: string;
  /** Set when `succeeded`: what a synchronous import answers. */
  result?: ImportResult;
  /** Set when `failed`: the problem a synchronous import would have answered (every bad row named); nothing was imported. */
  problem?: {
    type: string;
    title: string;
    status: number;
    detail?: string;
    errors?: { path: string; message: string }[];
  };
}

/**
 * Imports run outside the request (on Lambda: the Imports function, invoked
 * asynchronously), so a large file is not cut off by the API's 20 s timeout
 * half-way, which would leave half a calendar behind. Absent (the embedded
 * runtime, which has no request timeout), every import answers synchronously.
 */
export interface ImportJobs {
  /** Files with more data rows than this run as a job (202); smaller ones stay synchronous (201) unless the client sends `Prefer: respond-async`. */
  syncRows: number;
  /** Records a pending job holding the CSV and starts it; returns its view. */
  submit(ws: string, job: { csv: string; shareSlots: boolean }): Promise<ImportJobView>;
  /** The job of this workspace, or undefined. */
  get(ws: string, id: string): Promise<ImportJobView | undefined>;
}
