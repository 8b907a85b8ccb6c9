import { html, raw } from 'hono/html';
import { operationDetails, schemaCatalog, type DocOperation } from './pages/docs-operation.js';

type Doc = {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, DocOperation & { tags?: string[] }>>;
  components?: { schemas?: Parameters<typeof schemaCatalog>[0] };
};

const METHODS = ['get', 'post', 'patch', 'put', 'delete'];
const anchor = (tag: string) => tag.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/**
 * A self-contained API reference rendered on the server from the OpenAPI
 * document: works offline, no script, every route with its summary.
 */
export function renderDocs(input: unknown) {
  const doc = input as Doc;
  const groups = new Map<string, { method: string; path: string; summary: string; op?: DocOperation }[]>();
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = ops[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'Other';
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)!.push({ method: method.toUpperCase(), path, summary: op.summary ?? '', op });
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
details{margin:.25rem 0;font-size:.92rem}summary{cursor:pointer;color:#1d4ed8}.d{margin:.3rem 0}ul.d{padding-left:1.2rem}
table.params{margin:.3rem 0}caption{text-align:left;font-weight:600}th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ccc}
.schema{border-top:1px solid #eee;padding-top:.5rem}.schema h3{margin:.5rem 0 .25rem}pre{background:#f5f5f5;padding:.5rem;overflow:auto}
nav.toc a{margin-right:.75rem}td{overflow-wrap:anywhere}table.params td{overflow-wrap:normal}table.params td:nth-child(-n+2){white-space:nowrap}
</style>
</head>
<body>
<header><h1>${doc.info.title} <small>v${doc.info.version}</small></h1>
<p>${doc.info.description ?? ''}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Authenticate with <code>Authorization: Bearer &lt;key&gt;</code>.</p>
<nav class="toc" aria-label="Sections">${raw([...groups.keys()].map((tag) => html`<a href="#${anchor(tag)}">${tag}</a>`).join(''))}<a href="#schemas">Schemas</a></nav></header>
<main>
${raw(
  [...groups]
    .map(
      ([tag, ops]) => html`<section><h2 id="${anchor(tag)}">${tag}</h2><table>${raw(
        ops.map((o) => html`<tr><td class="m ${o.method}">${o.method}</td><td><code>${o.path}</code></td><td>${o.summary}${raw(o.op ? operationDetails(o.op) : '')}</td></tr>`).join(''),
      )}</table></section>`,
    )
    .join(''),
)}
${raw(schemaCatalog(doc.components?.schemas))}
</main>
</body>
</html>`;
}
