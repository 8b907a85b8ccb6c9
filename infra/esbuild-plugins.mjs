// esbuild plugins for the Lambda bundles, loaded by SST (`nodejs.plugins`) and
// by scripts/bundle.ts alike. Plain JavaScript: SST imports this file with node.
//
// SST's plugin bridge tests each filter against an empty value, so the filters
// here match everything and the callbacks look at `args.path` themselves.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

const slashes = (path) => String(path ?? '').replaceAll('\\', '/');

/** Zod's classic API carries every locale (about 260 KB minified); drumbeat speaks English only. */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /.*/ }, (args) => {
      const path = slashes(args.path);
      if (!/\/zod\/v4\/locales\/index\.js$/.test(path)) return undefined;
      return {
        contents: 'export { default as en } from "./en.js";\n',
        loader: 'js',
        resolveDir: path.slice(0, path.lastIndexOf('/')),
      };
    });
  },
};

const notBundled = (tool) =>
  `const notBundled = () => { throw new Error("${tool} is not in drumbeat's Lambda bundles (infra/esbuild-plugins.mjs)"); };\n`;

/**
 * Zod modules that only two opt-in tools reach, `z.compile` (the schema JIT,
 * about 32 KB) and `z.fromJSONSchema` (about 12 KB). `import { z } from 'zod'`
 * is a namespace, so esbuild keeps every export of it, used or not; nothing in
 * drumbeat or its HTTP libraries calls either, and zod's parser never imports
 * the compiler (core/parse.js mirrors its sentinels for that reason). Each is
 * replaced by a module with the same exports whose functions throw, only for
 * the file versions below (sha256): another zod is bundled as published, with
 * a warning. test/functions/bundle-contents.test.ts re-checks the claims.
 */
const ZOD_UNUSED_TOOLS = [
  {
    path: /\/zod\/v4\/core\/compile\.js$/,
    sha256: new Set(['53fcf24821f50ecf42492ab7101abe8a50ead8286a53567d71648fe5ca346b99']), // zod 4.6.7
    contents:
      notBundled('z.compile') +
      'export const INVALID = Symbol.for("zod.compile.invalid");\n' +
      'export class ZodCompileAsyncError extends Error { constructor(message = "z.compile does not support async refinements, transforms, or checks") { super(message); this.name = "ZodCompileAsyncError"; } }\n' +
      'export class ZodCompileUnsupportedError extends Error { constructor(feature, islandable = true) { super(`z.compile does not support ${feature}; this schema must use the runtime parser`); this.name = "ZodCompileUnsupportedError"; this.islandable = islandable; } }\n' +
      'export const compile = notBundled, withParser = notBundled, compileFn = notBundled;\n',
  },
  {
    path: /\/zod\/v4\/classic\/from-json-schema\.js$/,
    sha256: new Set(['31dc999a26cb6928f5e99ea564d648567e85cf9aa47565198fb6186dbd6c070e']), // zod 4.6.7
    contents: notBundled('z.fromJSONSchema') + 'export const fromJSONSchema = notBundled;\n',
  },
];

/** The stand-in for a zod module of ZOD_UNUSED_TOOLS at `path` holding `source`, or null when it is not one known to be safe to replace. */
export function zodToolStandIn(path, source) {
  const tool = ZOD_UNUSED_TOOLS.find((t) => t.path.test(slashes(path)));
  if (!tool || !tool.sha256.has(createHash('sha256').update(source).digest('hex'))) return null;
  return tool.contents;
}

/**
 * An esbuild plugin that swaps each file `matches` accepts for
 * `rewrite(path, source)`; a file it does not know (`null`) is bundled as
 * published, with a warning saying `unknown`.
 */
function pinnedRewrite(name, matches, rewrite, unknown) {
  return {
    name,
    setup(build) {
      build.onLoad({ filter: /.*/ }, async (args) => {
        const path = slashes(args.path);
        if (!matches(path)) return undefined;
        const source = await readFile(args.path, 'utf8');
        const contents = rewrite(path, source);
        const resolveDir = path.slice(0, path.lastIndexOf('/'));
        if (contents === null) {
          return { contents: source, loader: 'js', resolveDir, warnings: [{ text: `${name}: ${path} ${unknown} (see infra/esbuild-plugins.mjs)` }] };
        }
        return { contents, loader: 'js', resolveDir };
      });
    },
  };
}

const zodWithoutUnusedTools = pinnedRewrite(
  'zod-without-unused-tools',
  (path) => ZOD_UNUSED_TOOLS.some((t) => t.path.test(path)),
  zodToolStandIn,
  'is not a version known to be unused; it is bundled as published',
);

/**
 * The rrule-temporal chunks whose inlined polyfill is known to be safe to drop,
 * by the sha256 of the published file. rrule-temporal 2.x bundles
 * `temporal-polyfill/full` into `dist/src-*.js` (about 65 KB minified); the
 * chunk's first part is that polyfill, ending in the Temporal namespace object,
 * and the rest is the recurrence engine, which uses the polyfill only through
 * that one binding (`Y = globalThis.Temporal ?? <polyfill>`).
 *
 * To add a version: check the marker below matches once, and that the chunk
 * rewritten by `sharedTemporalChunk` names nothing of the part it drops
 * (test/functions/bundle-contents.test.ts checks it with the TypeScript
 * checker), then add the file's hash here.
 */
const RRULE_TEMPORAL_CHUNKS = new Set([
  'f57963612d21bd999c8f460dbe0a9e0960d272025c81a87c1fc9bf38e7631a45', // rrule-temporal 2.2.8, dist/src-vjCiI_-u.js
]);

/** Where the inlined polyfill ends: `,<Temporal>=globalThis.Temporal??<polyfill>,`, the first binding of the engine. */
const POLYFILL_END = /,([\w$]+)=globalThis\.Temporal\?\?([\w$]+),/g;

/**
 * rrule-temporal's chunk with its inlined polyfill replaced by an import of the
 * installed `temporal-polyfill/full/implementation` (the same polyfill, full
 * build: RFC 7529 RSCALE calendars keep working; `implementation` is the
 * polyfill itself, never the native Temporal, as the inlined copy was), or
 * null when the chunk is not one known to be safe to rewrite.
 */
export function sharedTemporalChunk(source) {
  if (!RRULE_TEMPORAL_CHUNKS.has(createHash('sha256').update(source).digest('hex'))) return null;
  const ends = [...source.matchAll(POLYFILL_END)];
  if (ends.length !== 1) return null;
  const [match] = ends;
  const polyfill = match[2];
  return `import{Temporal as ${polyfill}}from"temporal-polyfill/full/implementation";\nconst ${source.slice(match.index + 1)}`;
}

/**
 * One Temporal polyfill per bundle, not two: rrule-temporal's own copy is
 * swapped for the `temporal-polyfill` package drumbeat already depends on (and
 * whose shared core the rest of the code already pulls in). A chunk it does
 * not know is left as published, with a warning.
 */
const rruleTemporalSharedPolyfill = pinnedRewrite(
  'rrule-temporal-shared-polyfill',
  (path) => /\/node_modules\/rrule-temporal\/dist\/src-[^/]+\.js$/.test(path),
  (_path, source) => sharedTemporalChunk(source),
  'is not a chunk known to be safe to rewrite; it keeps its own Temporal polyfill',
);

export default [zodEnglishOnly, zodWithoutUnusedTools, rruleTemporalSharedPolyfill];
