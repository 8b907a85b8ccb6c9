import { describe, expect, it } from 'vitest';
import { Unauthorized } from '@drumbeat/core/errors';
import type { ServiceName, Services } from '@drumbeat/services';
import { createApp } from './app.js';

/** An app whose service source records what each request asked for (and knows no key). */
function appAsking() {
  const asked: (readonly ServiceName[] | 'all')[] = [];
  const app = createApp(
    async (names) => {
      asked.push(names);
      const apiKeys = {
        authenticate: async () => {
          throw new Unauthorized('unknown key');
        },
      };
      return { apiKeys } as unknown as Services;
    },
    { adminToken: 'admin-token-0123456789', maxBodyBytes: 1024 },
  );
  return { app, asked };
}

describe('the use-cases a request asks its source for', () => {
  it('a 404 outside /v1 asks for none (a fresh Lambda container builds nothing for it)', async () => {
    const { app, asked } = appAsking();
    expect((await app.request('/wp-login.php')).status).toBe(404);
    expect(asked).toEqual([]);
  });

  it('a /v1 request asks for the API keys before anything else (authentication)', async () => {
    const { app, asked } = appAsking();
    expect((await app.request('/v1/voices', { headers: { Authorization: 'Bearer nobody' } })).status).toBe(401);
    expect(asked).toEqual([['apiKeys']]);
  });
});
