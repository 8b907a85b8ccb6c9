import type { PostRecord } from '../records.js';

/** A post for the lifecycle tests (scheduled, version 1); `over` sets what a test is about. Not exported by the package. */
export const testPost = (over: Partial<PostRecord> = {}): PostRecord => ({
  id: 'post_1',
  workspaceId: 'ws_1',
  accountId: 'acc_1',
  voiceId: 'vce_1',
  text: 'Hello',
  media: [],
  scheduledAt: '2026-05-01T10:00:00.000Z',
  status: 'scheduled',
  approvals: [],
  createdAt: '2026-05-01T09:00:00.000Z',
  updatedAt: '2026-05-01T09:00:00.000Z',
  version: 1,
  ...over,
});
