/** An HTTP method the API uses. */
export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * Every operation of the API as `[method, path template]`: the client calls
 * each one through this table, and a test checks it against /openapi.json.
 */
export const OPERATIONS = {
  health: ['GET', '/healthz'],
  createWorkspace: ['POST', '/v1/workspaces'],
  createKey: ['POST', '/v1/keys'],
  listKeys: ['GET', '/v1/keys'],
  revokeKey: ['DELETE', '/v1/keys/{id}'],
  createVoice: ['POST', '/v1/voices'],
  listVoices: ['GET', '/v1/voices'],
  getVoice: ['GET', '/v1/voices/{id}'],
  updateVoice: ['PATCH', '/v1/voices/{id}'],
  deleteVoice: ['DELETE', '/v1/voices/{id}'],
  createAccount: ['POST', '/v1/accounts'],
  listAccounts: ['GET', '/v1/accounts'],
  getAccount: ['GET', '/v1/accounts/{id}'],
  updateAccount: ['PATCH', '/v1/accounts/{id}'],
  archiveAccount: ['DELETE', '/v1/accounts/{id}'],
  rotateChannelSecret: ['POST', '/v1/accounts/{id}/channel/rotate-secret'],
  accountStats: ['GET', '/v1/accounts/{id}/stats'],
  createPost: ['POST', '/v1/accounts/{id}/posts'],
  listPosts: ['GET', '/v1/accounts/{id}/posts'],
  getPost: ['GET', '/v1/posts/{id}'],
  updatePost: ['PATCH', '/v1/posts/{id}'],
  cancelPost: ['DELETE', '/v1/posts/{id}'],
  approvePost: ['POST', '/v1/posts/{id}/approve'],
  rejectPost: ['POST', '/v1/posts/{id}/reject'],
  markPublished: ['POST', '/v1/posts/{id}/published'],
  calendar: ['GET', '/v1/accounts/{id}/calendar'],
  calendarIcs: ['GET', '/v1/accounts/{id}/calendar.ics'],
  feedUrl: ['GET', '/v1/accounts/{id}/feed'],
  rotateFeed: ['POST', '/v1/accounts/{id}/feed/rotate'],
  publicFeed: ['GET', '/feeds/{file}'],
  importCsv: ['POST', '/v1/import'],
  getImportJob: ['GET', '/v1/imports/{id}'],
  exportPostsCsv: ['GET', '/v1/accounts/{id}/posts.csv'],
  attribution: ['GET', '/v1/accounts/{id}/attribution'],
  attributionCsv: ['GET', '/v1/accounts/{id}/attribution.csv'],
  verifyAttribution: ['GET', '/v1/attribution/verify'],
  exportAttribution: ['GET', '/v1/attribution/export'],
  transparency: ['GET', '/t/{slug}/{handle}'],
  transparencyJson: ['GET', '/t/{slug}/{handle}/transparency.json'],
  createWebhook: ['POST', '/v1/webhooks'],
  listWebhooks: ['GET', '/v1/webhooks'],
  deleteWebhook: ['DELETE', '/v1/webhooks/{id}'],
  listDeliveries: ['GET', '/v1/webhooks/{id}/deliveries'],
  listAlerts: ['GET', '/v1/alerts'],
  ackAlert: ['POST', '/v1/alerts/{id}/ack'],
  createAppLink: ['POST', '/v1/app-links'],
} as const satisfies Record<string, readonly [Method, string]>;

/** One operation of the table. */
export type Operation = (typeof OPERATIONS)[keyof typeof OPERATIONS];
