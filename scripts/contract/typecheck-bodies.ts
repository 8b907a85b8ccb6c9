/**
 * Types the README's JSON request bodies with what openapi-typescript (default
 * options, as an SDK author would run it) generates from the API document, and
 * type-checks them with the TypeScript compiler: a body the README writes that
 * a generated client would refuse is reported with its README line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import type { ReadmeRequest } from './readme-requests.js';

/** The document's path template that `path` (query ignored) is an instance of. */
export function templateOf(paths: readonly string[], path: string): string | undefined {
  const bare = path.split('?')[0]!;
  const matches = paths.filter((t) =>
    new RegExp(`^${t.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`).test(bare),
  );
  // A literal segment beats a template one (`/v1/accounts/{id}/posts.csv` over a `{file}`).
  return matches.sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))[0];
}

const PRELUDE = `import type { paths } from './api';
type Op<P, M> = M extends keyof P ? NonNullable<P[M]> : never;
type JsonBody<P extends keyof paths, M extends string> =
  Op<paths[P], M> extends { requestBody?: infer R } ? (NonNullable<R> extends { content: { 'application/json': infer B } } ? B : never) : never;
`;

/**
 * The type errors of `requests`' JSON bodies against the types generated from
 * `doc` (one message per error, naming the README line); `[]` when they all
 * type-check. A body for an operation the document lacks is an error too.
 */
export async function bodyTypeErrors(doc: object, requests: readonly ReadmeRequest[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'drumbeat-openapi-ts-'));
  try {
    writeFileSync(join(dir, 'api.ts'), astToString(await openapiTS(doc as Parameters<typeof openapiTS>[0])));
    const templates = Object.keys((doc as { paths: Record<string, unknown> }).paths);
    const lines = PRELUDE.split('\n');
    const readmeLine = new Map<number, number>();
    const errors: string[] = [];
    for (const r of requests) {
      if (r.body === undefined || !/json/.test(r.headers['Content-Type'] ?? '')) continue;
      const template = templateOf(templates, r.path);
      if (!template) {
        errors.push(`README.md:${r.line}: ${r.method} ${r.path} is not in the API document`);
        continue;
      }
      readmeLine.set(lines.length, r.line);
      // One line per body (JSON never has a raw newline inside a string), so an error's line names its body.
      const body = r.body.replace(/\s*\n\s*/g, ' ');
      lines.push(
        `export const body${readmeLine.size}: JsonBody<${JSON.stringify(template)}, ${JSON.stringify(r.method.toLowerCase())}> = ${body};`,
      );
    }
    const file = join(dir, 'bodies.ts');
    writeFileSync(file, lines.join('\n'));
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      skipLibCheck: true,
      types: [],
    };
    const program = ts.createProgram([file], options);
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1;
      const line = d.file?.fileName === file ? readmeLine.get(at) : undefined;
      errors.push(line ? `README.md:${line}: ${text}` : `${d.file?.fileName ?? ''}:${at + 1}: ${text}`);
    }
    return errors;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
