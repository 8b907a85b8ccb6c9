import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { openApiDocumentOf as documentOf, type DocumentInfo, type OperationDef } from '@drumbeat/standards/openapi';
import { appWideHeaders, appWideResponses } from './app-wide.js';

const about: DocumentInfo = {
  info: { title: 't', version: '1' },
  servers: [{ url: '/' }],
  securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
};

/** The document as app-document.ts builds it: with what the app's middleware adds. */
const openApiDocumentOf = (routes: OperationDef[], info: DocumentInfo) =>
  documentOf(routes, info, { responses: appWideResponses, headers: appWideHeaders });

describe("what the app's middleware adds to every operation", () => {
  const v1 = (method: 'get' | 'post', security: Record<string, string[]>[], body = true) =>
    openApiDocumentOf(
      [
        {
          method,
          path: '/v1/y',
          operationId: 'y',
          tags: [],
          summary: 's',
          security,
          ...(body
            ? { request: { body: { required: true, content: { 'application/json': { schema: z.object({}) } } } } }
            : {}),
          responses: { 200: { description: 'd' } },
        },
      ],
      about,
    ).paths['/v1/y']![method]!;

  it('documents 413 and 415 where a body is taken, and 429 with Retry-After where an API key is', () => {
    const op = v1('post', [{ bearer: [] }]);
    expect(Object.keys(op.responses).sort()).toEqual(['200', '413', '415', '429']);
    expect(op.responses[415]!.content).toEqual({
      'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
    });
    expect(op.responses[429]!.headers!['Retry-After']!.schema).toEqual({ type: 'integer', minimum: 1 });
    expect(Object.keys(v1('get', [{ bearer: [] }], false).responses).sort()).toEqual(['200', '429']);
    expect(Object.keys(v1('post', [{ admin: [] }]).responses).sort()).toEqual(['200', '413', '415']);
  });

  it('documents the Idempotency-Key header on a POST, and only there', () => {
    expect(v1('post', [{ bearer: [] }]).parameters).toEqual([
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
    ]);
    expect(v1('get', [{ bearer: [] }], false).parameters).toBeUndefined();
  });
});
