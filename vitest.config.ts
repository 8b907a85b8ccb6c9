import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The repository's own code imports the client from source: `npm test` needs no build (its package test builds it).
const clientSource = (file: string) => fileURLToPath(new URL(`./packages/client/src/${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@drumbeat\/client$/, replacement: clientSource('index.ts') },
      { find: /^@drumbeat\/client\/verify$/, replacement: clientSource('ledger-verifier.ts') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'functions/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/bench/**'],
    // Every test controls its own clock and time zone; nothing may lean on the host's TZ.
    env: { TZ: 'UTC', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
