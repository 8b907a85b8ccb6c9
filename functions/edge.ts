/**
 * The edge screen: runs in the Router's CloudFront viewer-request function
 * (JavaScript runtime 2.0) before any request reaches the API Lambda, and
 * turns away malformed requests for the public, cacheable paths:
 *
 *   /t/{workspaceSlug}/{handle}[.json]   transparency page (and …/transparency.json)
 *   /feeds/{feedToken}.ics                secret calendar feed (no key)
 *   /v1/accounts/{accountId}/calendar.ics iCalendar feed (Bearer key)
 *
 * Every other path passes through untouched. `infra/edge-code.ts` compiles
 * this file into the snippet the Router injects, so the code here must stay
 * within what CloudFront Functions run: no imports, no classes, no Node APIs,
 * no optional chaining or spread (checked by test/functions/edge.test.ts).
 */

/** A header, query or cookie value as CloudFront Functions represent it. */
export interface CfValue {
  value: string;
  multiValue?: { value: string }[];
}

/** The viewer request, as far as the screen reads it. */
export interface CfRequest {
  method: string;
  uri: string;
  querystring: Record<string, CfValue | undefined>;
  headers: Record<string, CfValue | undefined>;
}

/** A response generated at the edge. */
export interface CfResponse {
  statusCode: number;
  statusDescription: string;
  headers: Record<string, { value: string }>;
  body: { encoding: 'text'; data: string };
}

/** Workspace slugs, exactly as the core schema (`Slug`) defines them. */
export const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
/** Account ids: `acc_` and 26 lower-case Crockford base32 characters (core `idPattern('account')`). */
export const ACCOUNT_ID = /^acc_[0-9a-z]{26}$/;
/**
 * Feed tokens as the feed service issues them (services/feeds.ts): the workspace
 * and account id bodies (52 lower-case base32 characters), then a base64url
 * secret; the API caps the file name at 200 characters.
 */
export const FEED_TOKEN = /^[0-9a-z]{52}[\w-]{16,144}$/;

/*
 * Size matters here: the Router's own routing code already takes about 8.6 KB
 * of the 10 KB CloudFront allows a function, so this file compiles to about
 * 1.3 KB (test/functions/edge.test.ts and test/infra hold it to that).
 * Responses made at the edge are never cached by CloudFront.
 */

const TITLES: Record<number, string> = { 401: 'Unauthorized', 404: 'Not Found', 405: 'Method Not Allowed' };

function reject(status: number): CfResponse {
  const title = TITLES[status] as string;
  const headers: Record<string, { value: string }> = { 'content-type': { value: 'application/problem+json' } };
  if (status === 405) headers.allow = { value: 'GET, HEAD' };
  const type = `urn:drumbeat:problem:${title.toLowerCase().replace(/ /g, '-')}`;
  return {
    statusCode: status,
    statusDescription: title,
    headers: headers,
    body: { encoding: 'text', data: JSON.stringify({ type: type, title: title, status: status }) },
  };
}

/** A handle as the account schema accepts it: 1 to 100 characters, no whitespace, `/`, `?` or `#`. */
function validHandle(segment: string): boolean {
  let handle: string;
  try {
    handle = decodeURIComponent(segment);
  } catch (_e) {
    return false;
  }
  // `.json` alone is the legacy JSON path with an empty handle.
  return /^(?!\.json$)[^\s/?#]{1,100}$/.test(handle);
}

/** `/t/{slug}/{handle}[.json]` or `/t/{slug}/{handle}/transparency.json`: parts are ['', 't', slug, handle(, file)]. */
function transparency(parts: string[]): CfResponse | undefined {
  const slug = parts[2] as string;
  // A legacy `{handle}.json` passes as a handle: `.` is a handle character, so no suffix to strip.
  const handle = parts[3] as string;
  const json = parts.length === 5 && parts[4] === 'transparency.json';
  if ((parts.length !== 4 && !json) || slug.length < 2 || slug.length > 48 || !SLUG.test(slug) || !validHandle(handle))
    return reject(404);
  return undefined;
}

/** `/feeds/{token}.ics`: parts are ['', 'feeds', '<token>.ics']. */
function feed(parts: string[]): CfResponse | undefined {
  const match = parts.length === 3 ? /^(.*)\.ics$/.exec(parts[2] as string) : null;
  if (!match || !FEED_TOKEN.test(match[1] as string)) return reject(404);
  return undefined;
}

/**
 * Screens one viewer request: a problem+json response for a malformed public
 * request, or `undefined` to let it through to the origin. A public page or
 * feed that passes loses its query string: the app reads none there, and a
 * random `?x=…` would otherwise be a fresh cache key that wakes the Lambda.
 */
export function screen(request: CfRequest): CfResponse | undefined {
  const parts = request.uri.split('/');
  const section = parts[1];
  const calendar = parts.length === 5 && section === 'v1' && parts[2] === 'accounts' && parts[4] === 'calendar.ics';
  if (section !== 't' && section !== 'feeds' && !calendar) return undefined;
  if (!/^(GET|HEAD)$/.test(request.method)) return reject(405);
  // `/v1/accounts/{id}/calendar.ics`: a well-formed account id and an API key.
  if (calendar)
    return !ACCOUNT_ID.test(parts[3] as string) ? reject(404) : request.headers.authorization ? undefined : reject(401);
  const rejected = section === 't' ? transparency(parts) : feed(parts);
  if (!rejected) request.querystring = {};
  return rejected;
}
