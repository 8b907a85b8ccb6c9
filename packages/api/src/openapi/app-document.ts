import type { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import { documentedRoutes } from './route.js';
import { openApiDocumentOf, type DocumentInfo, type OpenApiDocument } from './openapi-document.js';

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

/** The OpenAPI document of the routes registered on `app` so far (built, not cached: /openapi.json keeps its own). */
export function openApiDocument(app: Hono<AppEnv>): OpenApiDocument {
  return openApiDocumentOf(documentedRoutes(app), ABOUT);
}

