import type { FieldError } from './types.js';

/** The problem+json fields drumbeat answers an error with (RFC 9457). */
export interface ProblemDetails {
  status: number;
  type: string;
  title: string;
  detail?: string | undefined;
  errors: FieldError[];
}

/** A request drumbeat refused or could not serve, with its problem details; `errors` names each bad field. */
export class DrumbeatError extends Error implements ProblemDetails {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[];
  /** How long the server asked to wait (429, 503), when it said so. */
  readonly retryAfterMs: number | undefined;

  constructor(problem: ProblemDetails, retryAfterMs?: number) {
    super(
      problem.detail ? `${problem.status} ${problem.title}: ${problem.detail}` : `${problem.status} ${problem.title}`,
    );
    this.name = 'DrumbeatError';
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors;
    this.retryAfterMs = retryAfterMs;
  }

  /** The short problem code: `invalid` for urn:drumbeat:problem:invalid. */
  get code(): string {
    return this.type.replace(/^urn:drumbeat:problem:/, '');
  }
}

/** Reads an error response as problem details (a body that is not problem+json still gives status and title). */
export async function problemOf(res: Response): Promise<ProblemDetails> {
  const text = await res.text().catch(() => '');
  let body: Record<string, unknown> | undefined;
  if (/json/i.test(res.headers.get('Content-Type') ?? '')) {
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = undefined;
    }
  }
  const errors = Array.isArray(body?.errors)
    ? (body.errors as unknown[]).filter(
        (e): e is FieldError => typeof e === 'object' && e !== null && typeof (e as FieldError).path === 'string',
      )
    : [];
  return {
    status: res.status,
    type: typeof body?.type === 'string' ? body.type : 'about:blank',
    title: typeof body?.title === 'string' ? body.title : res.statusText || `HTTP ${res.status}`,
    detail: typeof body?.detail === 'string' ? body.detail : text ? text.slice(0, 500) : undefined,
    errors,
  };
}
