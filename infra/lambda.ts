/**
 * How every drumbeat Lambda is built and run: Node 22 on arm64, one minified
 * ESM bundle per handler. `scripts/bundle.ts` reproduces exactly this build
 * (test/infra checks the two agree), so `npm run bundle` measures what ships.
 */

/** Packages left to the Lambda runtime: the Node 22 runtime ships the AWS SDK v3 (with lib-dynamodb). */
export const RUNTIME_PROVIDED = ['@aws-sdk/*', '@smithy/*'];

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
    esbuild: { external: RUNTIME_PROVIDED },
    plugins: ESBUILD_PLUGINS,
  },
} as const;
