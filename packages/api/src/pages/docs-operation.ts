/**
 * Parts of the API reference page (/docs) rendered from the OpenAPI document:
 * each operation's parameters, request body and responses, and the catalogue
 * of schemas with their descriptions and examples. Plain strings, every value
 * escaped; no script.
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  description?: string;
  example?: unknown;
  examples?: unknown[];
  default?: unknown;
};
type Content = Record<string, { schema?: Schema }>;
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
/** One operation of the document, as far as the page reads it. */
export type DocOperation = {
  summary?: string;
  description?: string;
  security?: Record<string, unknown>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Content };
  responses?: Record<string, { description?: string; content?: Content }>;
};

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes text. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

const refName = (ref: string) => ref.split('/').at(-1) ?? ref;
const code = (text: string) => `<code>${esc(text)}</code>`;

/** A short type label: a linked schema name, `T[]`, a union, an enum, or `{ fields }` for an inline object. */
export function typeLabel(s: Schema | undefined): string {
  if (!s) return code('any');
  if (s.$ref) return `<a href="#schema-${esc(refName(s.$ref))}">${esc(refName(s.$ref))}</a>`;
  if (s.const !== undefined) return code(JSON.stringify(s.const));
  if (s.enum) return s.enum.map((v) => code(JSON.stringify(v))).join(' | ');
  const union = s.anyOf ?? s.oneOf;
  if (union) return union.map(typeLabel).join(' | ');
  if (s.allOf) return s.allOf.map(typeLabel).join(' &amp; ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  if (type === 'array') return `${typeLabel(s.items)}[]`;
  if (s.properties) {
    const fields = Object.entries(s.properties);
    // a small inline object (a page envelope) shows its fields' types; a larger one only its field names
    return fields.length <= 3 ? `{ ${fields.map(([k, f]) => `${esc(k)}: ${typeLabel(f)}`).join(', ')} }` : `{ ${fields.map(([k]) => esc(k)).join(', ')} }`;
  }
  return code(type ? `${type}${s.format ? ` (${s.format})` : ''}` : 'any');
}

function bodyLabel(content: Content | undefined): string {
  return Object.entries(content ?? {})
    .map(([type, c]) => `${typeLabel(c.schema)} <small>${esc(type)}</small>`)
    .join('; ');
}

/** What an operation takes and answers: auth, parameters, request body, success responses, error statuses. */
export function operationDetails(op: DocOperation): string {
  const out: string[] = [];
  if (op.description) out.push(`<p>${esc(op.description)}</p>`);
  const auth = op.security?.length ? Object.keys(op.security[0] ?? {}).join(', ') : 'none';
  out.push(`<p class="d">Auth: ${code(auth === 'bearer' ? 'Bearer API key' : auth === 'admin' ? 'Bearer admin token' : 'none (public)')}</p>`);
  if (op.parameters?.length) {
    const rows = op.parameters.map(
      (p) =>
        `<tr><td>${code(p.name)}</td><td>${esc(p.in)}${p.required ? ', required' : ''}</td><td>${typeLabel(p.schema)}</td><td>${esc(p.description ?? p.schema?.description ?? '')}</td></tr>`,
    );
    out.push(`<table class="params"><caption>Parameters</caption><thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">Description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }
  if (op.requestBody?.content) out.push(`<p class="d">Request body${op.requestBody.required ? '' : ' (optional)'}: ${bodyLabel(op.requestBody.content)}</p>`);
  const responses = Object.entries(op.responses ?? {});
  const ok = responses.filter(([status]) => /^[23]/.test(status));
  const errors = responses.filter(([status]) => !/^[23]/.test(status)).map(([status]) => status);
  if (ok.length) {
    out.push(
      `<ul class="d">${ok.map(([status, r]) => `<li>${code(status)} ${esc(r.description ?? '')}${r.content ? `: ${bodyLabel(r.content)}` : ''}</li>`).join('')}</ul>`,
    );
  }
  if (errors.length) out.push(`<p class="d">Errors: ${errors.map(code).join(' ')} as <a href="#schema-Problem">Problem</a> (application/problem+json)</p>`);
  return `<details><summary>Details</summary>${out.join('')}</details>`;
}

/** Every component schema: its description, its fields (type, required, description) and its example. */
export function schemaCatalog(schemas: Record<string, Schema> | undefined): string {
  const entries = Object.entries(schemas ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (!entries.length) return '';
  const items = entries.map(([name, s]) => {
    const fields = Object.entries(s.properties ?? {}).map(
      ([field, f]) =>
        `<tr><td>${code(field)}${s.required?.includes(field) ? ' <small>required</small>' : ''}</td><td>${typeLabel(f)}</td><td>${esc(f.description ?? '')}</td></tr>`,
    );
    const example = s.example ?? s.examples?.[0];
    return [
      `<section class="schema" id="schema-${esc(name)}"><h3>${esc(name)}</h3>`,
      s.description ? `<p>${esc(s.description)}</p>` : '',
      fields.length
        ? `<table><thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Description</th></tr></thead><tbody>${fields.join('')}</tbody></table>`
        : `<p class="d">Type: ${typeLabel({ ...s, description: undefined })}</p>`,
      example !== undefined ? `<details><summary>Example</summary><pre><code>${esc(JSON.stringify(example, null, 2))}</code></pre></details>` : '',
      '</section>',
    ].join('');
  });
  return `<section aria-labelledby="schemas"><h2 id="schemas">Schemas</h2>${items.join('')}</section>`;
}
