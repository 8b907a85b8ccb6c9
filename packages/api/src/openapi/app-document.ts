import type { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { documentedRoutes } from './route.js';
import { loadMountedGroups } from '../routes/lazy-group.js';
import { openApiDocumentOf, type DocumentInfo, type OpenApiDocument } from '@drumbeat/standards/openapi';
import { appWideHeaders, appWideResponses } from './app-wide.js';

/** What the document says besides its operations. */
const ABOUT: DocumentInfo = {
  info: {
    title: 'drumbeat API',
    version: '1.0.0',
    description:
      'Sustained posting calendars, exactly-once publishing and honest attribution. Instants are UTC ISO 8601; errors are application/problem+json.',
  },
  // Relative: the document describes the server it is read from (local, a function URL or the edge alike).
  servers: [{ url: '/', description: 'This drumbeat server' }],
  securitySchemes: {
    bearer: { type: 'http', scheme: 'bearer', description: 'An API key: dbk.<workspace>.<key>.<secret>' },
    admin: { type: 'http', scheme: 'bearer', description: 'The admin token (DRUMBEAT_ADMIN_TOKEN)' },
  },
};

/**
 * The OpenAPI document of the routes registered on `app`: its own, then its
 * route groups' (each loaded), in mounting order (built, not cached:
 * /openapi.json keeps its own).
 */
export async function openApiDocument(app: Hono<AppEnv>): Promise<OpenApiDocument> {
  const groups = await loadMountedGroups(app);
  return openApiDocumentOf([...documentedRoutes(app), ...groups.flatMap((g) => documentedRoutes(g))], ABOUT, {
    responses: appWideResponses,
    headers: appWideHeaders,
  });
}
