/**
 * How every drumbeat Lambda is built and run: Node 22 on arm64, one minified
 * ESM bundle per handler, the AWS SDK bundled in (AWS's advice: one file loads
 * faster than the runtime's copy of the SDK, and the version is our lockfile's),
 * code a request rarely needs split into chunks loaded on first use (esbuild
 * code splitting). `scripts/bundle.ts` reproduces exactly this build (test/infra
 * checks the two agree), so `npm run bundle` and `npm run bench` measure what ships.
 */

/** esbuild plugins SST loads for every function (relative to the app root). */
export const ESBUILD_PLUGINS = 'infra/esbuild-plugins.mjs';

/** The arguments every drumbeat function shares. */
export const lambdaDefaults = {
  runtime: 'nodejs22.x',
  architecture: 'arm64',
  // Lambda's JSON log format: one object per line (timestamp, level, requestId, message), kept a month.
  logging: { format: 'json', retention: '1 month' },
  nodejs: {
    format: 'esm',
    minify: true,
    splitting: true,
    plugins: ESBUILD_PLUGINS,
  },
} as const;

/**
 * X-Ray active tracing: every invocation is sampled (1 a second, then 5%) and
 * its AWS SDK calls show as segments once the SDK is instrumented; the
 * function's role needs only the daemon's two write actions (they have no
 * resource-level permission). Traces cost nothing within 100,000 a month.
 */
export const tracingPermission = { actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] };

/** The `transform.function` every drumbeat function applies: active tracing. */
export function activeTracing(args: { tracingConfig?: unknown }): undefined {
  args.tracingConfig = { mode: 'Active' };
  return undefined;
}

/** Scalar's standalone browser build as installed (relative to sst.config.ts), copied into the API function for /docs. */
export const API_REFERENCE_SCRIPT = 'node_modules/@scalar/api-reference/dist/browser/standalone.js';
