import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError } from '@drumbeat/core';
import type { AppEnv } from '../env.js';
import { ErrorPage } from './error-page.js';
import { htmlPage } from './page-response.js';

function statusOf(n: number): ContentfulStatusCode {
  return (n >= 400 && n <= 599 ? n : 500) as ContentfulStatusCode;
}

/** The error handler of the /app pages: the same mapping as the API's, rendered as an HTML page with its status. */
export function pageError(err: Error, c: Context<AppEnv>): Response {
  const signedIn = c.get('principal') !== undefined;
  if (err instanceof DomainError) {
    return htmlPage(
      c,
      <ErrorPage status={err.status} detail={err.message} errors={err.errors} signedIn={signedIn} />,
      statusOf(err.status),
    );
  }
  if (err instanceof HTTPException) {
    const detail =
      err.status === 403
        ? 'This form must be sent from a drumbeat page of this site. Go back, reload the page and try again.'
        : err.status === 413
          ? 'The form sent more data than a page accepts.'
          : err.message || 'The request could not be handled.';
    return htmlPage(c, <ErrorPage status={err.status} detail={detail} signedIn={signedIn} />, statusOf(err.status));
  }
  console.error(
    JSON.stringify({
      level: 'error',
      msg: 'unhandled page error',
      path: c.req.path,
      err: String(err),
      stack: err.stack,
    }),
  );
  return htmlPage(
    c,
    <ErrorPage status={500} detail="An unexpected error occurred; it has been logged." signedIn={signedIn} />,
    500,
  );
}
