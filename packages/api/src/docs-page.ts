import { html, raw } from 'hono/html';

type Doc = {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, { summary?: string; tags?: string[]; security?: unknown[]; requestBody?: unknown }>>;
};

const METHODS = ['get', 'post', 'patch', 'put', 'delete'];

/**
 * A self-contained API reference rendered on the server from the OpenAPI
 * document: works offline, no script, every route with its summary.
 */
export function renderDocs(input: unknown) {
  const doc = input as Doc;
  const groups = new Map<string, { method: string; path: string; summary: string }[]>();
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = ops[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'Other';
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)!.push({ method: method.toUpperCase(), path, summary: op.summary ?? '' });
    }
  }
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.info.title} reference</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1a1a1a}
h2{border-bottom:1px solid #ccc;padding-bottom:.25rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}td{padding:.35rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
code{font:14px ui-monospace,monospace}.m{font-weight:700;width:5rem}
.GET{color:#05603a}.POST{color:#1d4ed8}.PATCH{color:#8a4b00}.DELETE{color:#b42318}
</style>
</head>
<body>
<header><h1>${doc.info.title} <small>v${doc.info.version}</small></h1>
<p>${doc.info.description ?? ''}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Authenticate with <code>Authorization: Bearer &lt;key&gt;</code>.</p></header>
<main>
${raw(
  [...groups]
    .map(
      ([tag, ops]) => html`<section><h2 id="${tag}">${tag}</h2><table>${raw(
        ops.map((o) => html`<tr><td class="m ${o.method}">${o.method}</td><td><code>${o.path}</code></td><td>${o.summary}</td></tr>`).join(''),
      )}</table></section>`,
    )
    .join(''),
)}
</main>
</body>
</html>`;
}
