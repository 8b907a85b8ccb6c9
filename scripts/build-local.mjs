// `npm start`'s build step: bundles the embedded runtime (packages/local/src/main.ts)
// into dist/local/drumbeat.mjs, with the engine's worker thread beside it
// (dist/local/dynamo-thread.mjs, which the bundle finds as `./dynamo-thread.mjs`).
// Plain JavaScript, so `node` runs it without a TypeScript loader: a start, and a
// supervisor's restart (`node dist/local/drumbeat.mjs`), pay neither tsx's
// start-up nor its transpiling. A build is skipped while every file it read is
// unchanged (`--force` builds anyway). `node scripts/build-local.mjs` says which, and how long it took.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the runtime is built. */
export const LOCAL_BUILD_DIR = join(ROOT, 'dist', 'local');
/** The built runtime: what `npm start` and a supervisor run with `node`. */
export const LOCAL_ENTRY = join(LOCAL_BUILD_DIR, 'drumbeat.mjs');

const ENTRIES = { drumbeat: 'packages/local/src/main.ts', 'dynamo-thread': 'packages/local/src/dynamo-thread.mjs' };

/**
 * Left to node_modules at run time: dynalite, because the engine patches its
 * store factory through `require('dynalite/db/index.js')` (dynalite-iterator-fix.mjs),
 * which must be the very module the engine runs, and it loads LevelDB's native
 * binding; fs-native-extensions, a native addon (the data dir's OS lock).
 */
const EXTERNAL = ['dynalite', 'fs-native-extensions'];

/** Bundled CommonJS code calls `require`: the ESM output gets one (as SST's banner does for the Lambdas). */
const BANNER =
  "import { createRequire as __drumbeatCreateRequire } from 'node:module';\nconst require = __drumbeatCreateRequire(import.meta.url);";

/** Besides the modules bundled, what a build depends on: its own options, the compiler settings, the installed packages. */
const ALSO_READ = ['scripts/build-local.mjs', 'tsconfig.json', 'package-lock.json', 'node_modules/.package-lock.json'];

const STAMP = 'build-stamp.json';

/** Size and modification time of each file (relative to the root); null for one that is gone. */
function fingerprint(files) {
  return Object.fromEntries(
    files.map((f) => {
      try {
        const s = statSync(join(ROOT, f));
        return [f, [s.size, s.mtimeMs]];
      } catch {
        return [f, null];
      }
    }),
  );
}

/** The built files (relative to the root). */
const outputsIn = (outDir) => Object.keys(ENTRIES).map((name) => relative(ROOT, join(outDir, `${name}.mjs`)));

/** Whether every file of `files` is as the stamp recorded it (one absent then, such as a lockfile another installer does not write, must still be absent). */
const unchanged = (files) =>
  Object.keys(files).length > 0 &&
  Object.entries(fingerprint(Object.keys(files))).every(([f, fp]) => JSON.stringify(fp) === JSON.stringify(files[f]));

/** True when `outDir` holds a build whose inputs and outputs are all as they were when it was made. */
function upToDate(outDir) {
  try {
    const stamp = JSON.parse(readFileSync(join(outDir, STAMP), 'utf8'));
    return unchanged(stamp.outputs ?? {}) && unchanged(stamp.inputs ?? {});
  } catch {
    return false;
  }
}

/** Writes beside the target and renames over it: a process starting meanwhile, or a build running at the same time, never reads half a file. */
function writeAtomically(file, contents) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

/**
 * Builds the runtime into `outDir` unless the build there is up to date
 * (`force`: always). Resolves with whether it built and the milliseconds
 * taken (the check alone when it did not).
 */
export async function buildLocal({ outDir = LOCAL_BUILD_DIR, force = false } = {}) {
  const started = performance.now();
  if (!force && upToDate(outDir)) return { built: false, ms: performance.now() - started };
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    banner: { js: BANNER },
    // Unminified, so a stack trace in the logs reads like the source. (Neither minifying nor
    // splitting out what loads on first use changed the start-up's CPU time measurably.)
    minify: false,
    legalComments: 'none',
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  mkdirSync(outDir, { recursive: true });
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  // Last, so a stamp is never newer than the files it vouches for.
  writeAtomically(
    join(outDir, STAMP),
    JSON.stringify({
      outputs: fingerprint(outputsIn(outDir)),
      inputs: fingerprint([...Object.keys(result.metafile.inputs), ...ALSO_READ]),
    }),
  );
  return { built: true, ms: performance.now() - started };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { built, ms } = await buildLocal({ force: process.argv.includes('--force') });
  const entry = relative(process.cwd(), LOCAL_ENTRY);
  process.stderr.write(
    built ? `built ${entry} in ${Math.round(ms)} ms\n` : `${entry} is up to date (checked in ${Math.round(ms)} ms)\n`,
  );
}
