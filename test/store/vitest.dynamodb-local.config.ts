import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

/**
 * The storage tests on AWS's DynamoDB Local instead of dynalite
 * (`npm run test:dynamodb-local`). One DynamoDB Local process (globalSetup)
 * serves every worker; test/support/store.ts gives each test store its own table.
 */
export default defineConfig({
  test: {
    ...base.test,
    root: new URL('../..', import.meta.url).pathname,
    // The storage suite, plus the suites whose correctness rests on the store's conditional
    // writes: the ledger's append (no forks), the publisher's exactly-once claims, the local timers.
    include: [
      'test/store/**/*.test.ts',
      'test/attribution/ledger.test.ts',
      'test/publish/publisher.test.ts',
      'test/local/scheduler.test.ts',
    ],
    // It counts dynalite's LevelDB iterators: it says nothing about DynamoDB Local.
    exclude: ['**/node_modules/**', 'test/store/embedded-engine.test.ts'],
    globalSetup: ['test/support/dynamodb-local.ts'],
    env: { ...base.test?.env, DRUMBEAT_TEST_ENGINE: 'dynamodb-local' },
  },
});
