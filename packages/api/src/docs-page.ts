import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * /docs: Scalar's API reference (`@scalar/api-reference`, its standalone
 * browser build) over /openapi.json, served from this package, never from a
 * CDN, so it works offline and behind the Router alike. Loaded on the first
 * /docs request only (this module is a chunk of its own, the 4.9 MB script
 * is read from disk then and kept).
 */

/** The Scalar version in the script's URL, so a new one is never served from a stale cache. */
export const SCALAR_VERSION = '1.76.0';
export const SCRIPT_PATH = `/docs/api-reference-${SCALAR_VERSION}.js`;
export const INIT_PATH = '/docs/init.js';

/**
 * Exactly the page's two same-origin scripts and nothing off-origin: Scalar
 * sets its styles inline (style attributes and <style> elements), hence
 * 'unsafe-inline' for styles only; its fonts are turned off (system fonts).
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Where the standalone script is: on Lambda, beside the handler (the Api
 * function's `copyFiles`, infra/api.ts, puts it at docs/api-reference.js);
 * elsewhere, in the installed package.
 */
export function apiReferenceFile(env: Record<string, string | undefined> = process.env): string {
  if (env.LAMBDA_TASK_ROOT) return join(env.LAMBDA_TASK_ROOT, 'docs', 'api-reference.js');
  // The package exports no subpath for its browser build: find it beside its main module (dist/index.js).
  return join(dirname(createRequire(import.meta.url).resolve('@scalar/api-reference')), 'browser', 'standalone.js');
}

/**
 * Put before the script: zod (inside Scalar) probes for eval with `Function('')`,
 * which a CSP without 'unsafe-eval' reports as a violation; zod's documented
 * `jitless` setting makes it skip the probe and never compile code.
 */
const PRELUDE =
  'globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });\n';

let script: Promise<Buffer> | undefined;
/** The standalone script (after PRELUDE), read once per process. */
export function apiReferenceScript(): Promise<Buffer> {
  script ??= readFile(apiReferenceFile())
    .then((b) => Buffer.concat([Buffer.from(PRELUDE), b]))
    .catch((err: unknown) => {
      script = undefined;
      throw err;
    });
  return script;
}

/** Scalar's configuration: the document, and everything that would reach another origin turned off. */
const CONFIG = {
  url: '/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  hideClientButton: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
  documentDownloadType: 'json',
  defaultOpenAllTags: true,
};

/** The script that starts the reference (a file, so the CSP needs no inline script). */
export const INIT_SCRIPT = `Scalar.createApiReference('#reference', ${JSON.stringify(CONFIG)});\n`;

/** The page: Scalar's script, then the init script, both deferred (in order, after parsing). */
export function renderDocs(title: string): string {
  const esc = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} API reference</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<script src="${SCRIPT_PATH}" defer></script>
<script src="${INIT_PATH}" defer></script>
</head>
<body>
<noscript><p>The reference needs JavaScript. The OpenAPI 3.1 document: <a href="/openapi.json">/openapi.json</a>.</p></noscript>
<div id="reference"></div>
</body>
</html>
`;
}
