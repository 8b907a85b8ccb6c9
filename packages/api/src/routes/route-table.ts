import type { Hono } from 'hono';
import type { ServiceName } from '@drumbeat/services';
import type { AppEnv } from '../env.js';

/** Mounts a group's routes on `app`; `root` is the whole API (MCP calls it in-process, /openapi.json documents it). */
export type RegisterGroup = (app: Hono<AppEnv>, root: Hono<AppEnv>) => void;

/** A route group: the routes it mounts, known without loading it, and how to load it. */
export interface RouteGroup {
  name: string;
  /** What the group mounts, in its order: `METHOD path`, Hono's path syntax (route-table.test.ts checks it against the module). */
  routes: readonly string[];
  load: () => Promise<RegisterGroup>;
  /**
   * The use-cases its handlers read from `c.var.services` (beside `deps` and
   * the API keys every request may need): on Lambda a request loads only
   * these (and what they are built from). Absent: all of them (the pages,
   * MCP). test/support/api.ts serves the API suites with each group seeing
   * only what it lists.
   */
  services?: readonly ServiceName[];
}

/**
 * Every route of the API, by group, in registration order (which is the
 * matching order and the document's). Each group's module is imported on the
 * first request to one of its routes (lazy-group.ts), so a Lambda cold start
 * loads none of them: with code splitting each is a chunk.
 */
export const ROUTE_GROUPS: readonly RouteGroup[] = [
  {
    name: 'system',
    routes: [
      'GET /healthz',
      'GET /openapi.json',
      'GET /favicon.svg',
      'GET /favicon.ico',
      'GET /docs',
      'GET /docs/:file',
    ],
    load: () => import('./system.js').then((m) => m.systemRoutes),
    services: [],
  },
  {
    name: 'workspaces',
    routes: ['POST /v1/workspaces'],
    load: () => import('./workspaces.js').then((m) => m.workspaceRoutes),
    services: ['workspaces'],
  },
  {
    name: 'keys',
    routes: ['POST /v1/keys', 'GET /v1/keys', 'DELETE /v1/keys/:id'],
    load: () => import('./keys.js').then((m) => m.keyRoutes),
    services: ['apiKeys'],
  },
  {
    name: 'voices',
    routes: [
      'POST /v1/voices',
      'GET /v1/voices',
      'GET /v1/voices/:id',
      'PATCH /v1/voices/:id',
      'DELETE /v1/voices/:id',
    ],
    load: () => import('./voices.js').then((m) => m.voiceRoutes),
    services: ['voices'],
  },
  {
    name: 'accounts',
    routes: [
      'POST /v1/accounts',
      'GET /v1/accounts',
      'GET /v1/accounts/:id',
      'PATCH /v1/accounts/:id',
      'DELETE /v1/accounts/:id',
      'POST /v1/accounts/:id/channel/rotate-secret',
    ],
    load: () => import('./accounts.js').then((m) => m.accountRoutes),
    services: ['accounts'],
  },
  {
    name: 'posts',
    routes: [
      'POST /v1/accounts/:id/posts',
      'GET /v1/accounts/:id/posts',
      'GET /v1/posts/:id',
      'PATCH /v1/posts/:id',
      'DELETE /v1/posts/:id',
      'POST /v1/posts/:id/approve',
      'POST /v1/posts/:id/reject',
      'POST /v1/posts/:id/published',
    ],
    load: () => import('./posts.js').then((m) => m.postRoutes),
    services: ['accounts', 'actionLinks', 'approvals', 'posts', 'publisher'],
  },
  {
    name: 'review-links',
    routes: ['POST /v1/posts/:id/review-links'],
    load: () => import('./posts.js').then((m) => m.reviewLinkRoutes),
    services: ['accounts', 'actionLinks', 'approvals', 'posts', 'publisher'],
  },
  {
    name: 'conversations',
    routes: [
      'POST /v1/accounts/:id/conversations',
      'GET /v1/accounts/:id/conversations',
      'GET /v1/accounts/:id/conversations/report',
      'GET /v1/conversations/:id',
      'POST /v1/conversations/:id/assign',
      'POST /v1/conversations/:id/dismiss',
      'POST /v1/conversations/:id/reply',
    ],
    load: () => import('./conversations.js').then((m) => m.conversationRoutes),
    services: ['conversations'],
  },
  {
    name: 'calendar',
    routes: [
      'GET /v1/accounts/:id/calendar',
      'GET /v1/accounts/:id/calendar.ics',
      'GET /v1/accounts/:id/feed',
      'POST /v1/accounts/:id/feed/rotate',
      'GET /feeds/:file',
    ],
    load: () => import('./calendar.js').then((m) => m.calendarRoutes),
    services: ['calendar', 'feeds'],
  },
  {
    name: 'csv',
    routes: ['POST /v1/import', 'GET /v1/imports/:id', 'GET /v1/accounts/:id/posts.csv'],
    load: () => import('./csv.js').then((m) => m.csvRoutes),
    services: ['csvImport', 'postExport', 'posts'], // posts: an import job's view (functions/import-jobs.ts)
  },
  {
    name: 'attribution',
    routes: [
      'GET /v1/accounts/:id/attribution',
      'GET /v1/accounts/:id/attribution.csv',
      'GET /v1/attribution/verify',
      'GET /v1/attribution/export',
    ],
    load: () => import('./attribution.js').then((m) => m.attributionRoutes),
    services: ['accounts', 'ledger'],
  },
  {
    name: 'transparency',
    routes: ['GET /t/:slug/:file{[^/]+\\.json}', 'GET /t/:slug/:handle/transparency.json', 'GET /t/:slug/:handle'],
    load: () => import('./transparency.js').then((m) => m.transparencyRoutes),
    services: ['transparency'],
  },
  {
    name: 'webhooks',
    routes: ['POST /v1/webhooks', 'GET /v1/webhooks', 'DELETE /v1/webhooks/:id', 'GET /v1/webhooks/:id/deliveries'],
    load: () => import('./webhooks.js').then((m) => m.webhookRoutes),
    services: ['webhooks'],
  },
  {
    name: 'alerts',
    routes: ['GET /v1/alerts', 'POST /v1/alerts/:id/ack'],
    load: () => import('./alerts.js').then((m) => m.alertRoutes),
    services: ['alerts'],
  },
  {
    name: 'stats',
    routes: ['GET /v1/accounts/:id/stats'],
    load: () => import('./stats.js').then((m) => m.statsRoutes),
    services: ['stats'],
  },
  {
    name: 'app-links',
    routes: ['POST /v1/app-links'],
    load: () => import('./app-links.js').then((m) => m.appLinkRoutes),
    services: [],
  },
  {
    name: 'app-pages',
    routes: ['ALL /app', 'ALL /app/*'],
    load: () => import('./app-pages.js').then((m) => m.appPageRoutes),
  },
  {
    name: 'mcp',
    routes: ['POST /mcp', 'GET /mcp', 'DELETE /mcp'],
    load: () => import('./mcp.js').then((m) => m.mcpRoutes),
  },
  {
    name: 'action-pages',
    routes: ['ALL /a/*'],
    load: () => import('./action-pages.js').then((m) => m.actionPageRoutes),
  },
];
