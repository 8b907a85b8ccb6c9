import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { Validator } from '@seriousme/openapi-schema-validator';
import * as core from '@drumbeat/core';
import { openApiDocument } from '@drumbeat/api';
import { startTestApi, type TestApi } from '../support/api.js';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { summary?: string; parameters?: { name: string; in: string }[] }>>;
  components: { schemas: Record<string, { description?: string; example?: unknown }> };
};

let api: TestApi;
let doc: Doc;
let docStatus: number;
beforeAll(async () => {
  api = await startTestApi();
  const res = await api.call('GET', '/openapi.json');
  docStatus = res.status;
  doc = res.body;
});
afterAll(() => api.close());

/** Every zod schema (classic or mini) core exports under a component id (registry metadata `id`). */
function coreComponents(): [string, z.core.$ZodType][] {
  const out: [string, z.core.$ZodType][] = [];
  for (const value of Object.values(core) as unknown[]) {
    if (!(value instanceof z.core.$ZodType)) continue;
    const id = z.globalRegistry.get(value)?.id;
    if (typeof id === 'string') out.push([id, value]);
  }
  return out;
}

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1 (and the validator does refuse a broken document)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');

    const broken = structuredClone(doc) as unknown as {
      paths: Record<string, Record<string, { responses?: unknown }>>;
    };
    delete broken.paths['/v1/voices']!.post!.responses;
    (broken as unknown as { info?: unknown }).info = { title: 42 };
    expect((await new Validator().validate(broken as unknown as Record<string, unknown>)).valid).toBe(false);
  });

  it('is built from every route of the app: a schema it cannot describe fails here, not as a 500 in production', async () => {
    // The document is built lazily (on the first request for it, every route group loaded) to keep it off the Lambda cold start.
    expect(docStatus).toBe(200);
    expect(await openApiDocument(api.app)).toEqual(doc);
  });

  it('keeps the description and example of a nullable field on the field, where readers look', () => {
    type Field = { description?: string; example?: unknown; anyOf?: Field[]; type?: string; $ref?: string };
    const props = (id: string) => (doc.components.schemas[id] as { properties: Record<string, Field> }).properties;
    expect(props('VoicePatchBody').signature).toMatchObject({
      description: 'Initials or sign-off appended when the account discloses signatures',
      example: 'AB',
    });
    expect(props('VoicePatchBody').email).toMatchObject({ example: 'anna@acme.example' });
    expect(props('VoicePatchBody').organization).toMatchObject({ example: 'Northwind Agency' });
    expect(props('AlertDetails').lastPublishedAt).toMatchObject({ example: '2026-12-01T09:30:00.000Z' });
    // and no nullable field anywhere leaves them inside its non-null branch
    for (const [id, schema] of Object.entries(doc.components.schemas)) {
      for (const [name, field] of Object.entries((schema as { properties?: Record<string, Field> }).properties ?? {})) {
        const inner = field.anyOf?.find((b) => b.type !== 'null' && !b.$ref);
        if (!inner || !field.anyOf!.some((b) => b.type === 'null')) continue;
        if (inner.example !== undefined) expect(field.example, `${id}.${name}`).toBeDefined();
        if (inner.description !== undefined) expect(field.description, `${id}.${name}`).toBeDefined();
      }
    }
  });

  it('gives every operation a summary and declares every path parameter', () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThan(40);
    for (const { path, method, op } of operations) {
      expect(op.summary?.length ?? 0, `${method} ${path}`).toBeGreaterThan(10);
      const declared = (op.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort();
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(declared, `${method} ${path}`).toEqual(templated);
    }
  });

  it('describes every core schema with a description and an example that the schema itself accepts', () => {
    const components = coreComponents();
    expect(components.length).toBeGreaterThan(25);
    for (const [id, schema] of components) {
      const meta = z.globalRegistry.get(schema)!;
      expect(meta.description, id).toBeTruthy();
      expect(meta.example, id).toBeDefined();
      const parsed = z.safeParse(schema, meta.example);
      expect(parsed.success, `${id}: ${parsed.error?.message}`).toBe(true);
      const published = doc.components.schemas[id];
      if (published) {
        expect(published.description, id).toBe(meta.description);
        expect(published.example, id).toEqual(meta.example);
      }
    }
  });
});

describe('the API reference page', () => {
  it('is Scalar over /openapi.json, its script same-origin, under a CSP that allows no other script, no inline script and no eval', async () => {
    const res = await api.app.request('/docs');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    const page = await res.text();
    expect([...page.matchAll(/<script[^>]*>/g)].map((m) => m[0])).toEqual([
      '<script src="/docs/api-reference-1.76.0.js" defer>',
      '<script src="/docs/init.js" defer>',
    ]);
    const init = await (await api.app.request('/docs/init.js')).text();
    expect(init).toContain('"url":"/openapi.json"');
    expect(init).toContain('"withDefaultFonts":false');
  });
});
