import { defineConfig } from 'vitest/config';

/**
 * The infrastructure specs: sst.config.ts run under Pulumi mocks. They need
 * SST's platform (`npm run sst:install`), so they run as their own step
 * (`npm run test:infra`), not inside `npm test`.
 */
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/infra/**/*.spec.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    env: { TZ: 'UTC' },
  },
});
