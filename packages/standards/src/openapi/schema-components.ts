import * as z from 'zod/mini';
import type { Schema } from './operation.js';

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it). */
export type JsonSchema = { [key: string]: unknown };
type Io = 'input' | 'output';

const DEFS = '#/$defs/';
const COMPONENTS = '#/components/schemas/';
/** Until every schema is converted, a reference names the form it wants: `#/$io/<io>/<id>`. */
const PENDING = '#/$io/';

function mapRefs(value: unknown, ref: (to: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapRefs(v, ref));
  if (value === null || typeof value !== 'object') return value;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === '$ref' && typeof v === 'string' ? ref(v) : mapRefs(v, ref);
  return out;
}

/**
 * Two adjustments to zod's output form, which describes what a schema's parse
 * returns while a response is whatever the service wrote:
 * - a plain (non-strict) object stays open, as it is in the input form;
 * - zod has no JSON Schema for a transform's output; the transforms of the
 *   core schemas normalise a string into a string (an instant, a zone, an
 *   RRULE), so such a pipe is documented by its input.
 */
function outputForm(ctx: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }): void {
  const def = ctx.zodSchema._zod.def as { type: string; catchall?: Schema; in?: Schema; out?: Schema };
  if (def.type === 'object' && def.catchall === undefined) delete ctx.jsonSchema.additionalProperties;
  if (def.type !== 'pipe' || def.out?._zod.def.type !== 'transform' || !def.in) return;
  const { $schema: _, ...input } = z.toJSONSchema(def.in, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;
  if (input.$defs) {
    // Its input would have to reference a component from inside another conversion: refuse rather than document `{}`.
    const ids = Object.keys(input.$defs as object).join(', ');
    throw new Error(
      `cannot document the output of a transform whose input contains the registered component(s) ${ids}; give the response a schema without the transform`,
    );
  }
  Object.assign(ctx.jsonSchema, input, { ...ctx.jsonSchema });
}

/**
 * zod leaves out the `default` of a schema that transforms, the default being
 * an output value; core's transforms only normalise (an RRULE list defaulting
 * to `[]`), so the default is a valid input too and is kept, as before.
 */
function keepDefault(ctx: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }): void {
  const def = ctx.zodSchema._zod.def as { type: string; defaultValue?: unknown };
  if (def.type !== 'default' || 'default' in ctx.jsonSchema) return;
  const value = JSON.stringify(def.defaultValue);
  if (value !== undefined) ctx.jsonSchema.default = JSON.parse(value);
}

const LIFTED = ['description', 'example', 'examples'];
/** Keys whose values are data, not schemas: never walked. */
const LITERALS = new Set(['example', 'examples', 'default', 'const', 'enum']);

/**
 * For `z.nullable(X)` zod writes `anyOf: [X, {type: 'null'}]`, the metadata of
 * X (its description, its example) inside the first branch, where a reader
 * of a field (the /docs page, most OpenAPI tools) does not look. Such metadata
 * moves up to the wrapper, unless the wrapper has its own. Rewrites `json` in
 * place; the branch is replaced by a copy without the moved keys, not edited.
 */
function liftNullableMeta<T>(json: T): T {
  if (Array.isArray(json)) json.forEach(liftNullableMeta);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
  const node = json as JsonSchema;
  for (const [k, v] of Object.entries(node)) if (!LITERALS.has(k)) liftNullableMeta(v);
  const branches = node.anyOf as JsonSchema[] | undefined;
  if (!Array.isArray(branches) || branches.length !== 2) return json;
  const isNull = (b: JsonSchema) => b.type === 'null' && Object.keys(b).length === 1;
  const other = branches.find((b) => !isNull(b));
  if (!other || !branches.some(isNull) || '$ref' in other) return json;
  const moved = LIFTED.filter((key) => key in other && !(key in node));
  if (!moved.length) return json;
  const rest = { ...other };
  for (const key of moved) {
    node[key] = other[key];
    delete rest[key];
  }
  node.anyOf = branches.map((b) => (b === other ? rest : b));
  return json;
}

/**
 * A request may leave out a field with a default, and the JSON Schema says so
 * (the field is not `required`); but generators read a `default` keyword as
 * "always present" (openapi-typescript's default `defaultNonNullable` makes such
 * a property of a component required, so a body written as the README writes
 * it fails to type-check). In the request form, a property's default is said in
 * its description instead. Rewrites `json` in place.
 */
function describeDefaults<T>(json: T): T {
  if (Array.isArray(json)) json.forEach(describeDefaults);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return json;
  const node = json as JsonSchema;
  for (const [k, v] of Object.entries(node)) if (!LITERALS.has(k)) describeDefaults(v);
  const props = node.properties as Record<string, JsonSchema> | undefined;
  if (!props || typeof props !== 'object') return json;
  for (const field of Object.values(props)) {
    if (field === null || typeof field !== 'object' || !('default' in field)) continue;
    const note = `Default: \`${JSON.stringify(field.default)}\`.`;
    field.description =
      typeof field.description === 'string' ? `${field.description.replace(/\.?$/, '.')} ${note}` : note;
    delete field.default;
  }
  return json;
}

/** The options of a conversion: a transform's output is left open (`{}`) for `outputForm` to fill. */
function options(io: Io) {
  if (io === 'input') return { io, target: 'draft-2020-12' as const, override: keepDefault };
  return {
    io,
    target: 'draft-2020-12' as const,
    unrepresentable: (u: { zodSchema: z.core.$ZodType }) =>
      u.zodSchema._zod.def.type === 'transform' ? ('any' as const) : ('throw' as const),
    override: outputForm,
  };
}

/**
 * The JSON Schemas of a document and its shared components. zod's own
 * `toJSONSchema` (with the global registry's metadata) does the conversion:
 * every schema with a registry id (`.meta({ id })`) comes out as a `$defs`
 * entry, which becomes `#/components/schemas/<id>`. Requests are converted as
 * zod reads them (`io: 'input'`: a default makes a field optional), responses
 * as it writes them (`io: 'output'`). A component whose two forms differ is
 * published twice: `<id>` as requests send it, `<id>Output` as responses give it.
 */
export class SchemaComponents {
  private readonly forms: Record<Io, Map<string, JsonSchema>> = { input: new Map(), output: new Map() };

  /** The JSON Schema of `schema` read as `io`; a root with an id becomes a reference to its component. */
  convert(schema: Schema, io: Io): JsonSchema {
    return this.convertKeeping(schema, io).root;
  }

  /**
   * The JSON Schema of an object schema of parameters: its own definition even
   * when it carries an id (parameters are listed field by field, never referenced).
   */
  parameterObject(schema: Schema): JsonSchema {
    const rootId = z.globalRegistry.get(schema)?.id;
    const { root, defs } = this.convertKeeping(schema, 'input', rootId, true);
    return rootId && defs[rootId] ? defs[rootId] : root;
  }

  /** The components, and `value` (the rest of the document) with its references resolved to them. */
  finish<T>(value: T): { value: T; schemas: Record<string, JsonSchema> } {
    const differs = this.differing();
    const name = (io: Io, id: string) => (io === 'output' && differs.has(id) ? `${id}Output` : id);
    const resolve = (ref: string) => {
      if (!ref.startsWith(PENDING)) return ref;
      const [io, id] = ref.slice(PENDING.length).split('/') as [Io, string];
      return COMPONENTS + name(io, id);
    };
    const schemas: Record<string, JsonSchema> = {};
    for (const io of ['input', 'output'] as const) {
      for (const [id, def] of this.forms[io]) schemas[name(io, id)] ??= mapRefs(def, resolve) as JsonSchema;
    }
    return { value: mapRefs(value, resolve) as T, schemas };
  }

  /**
   * The ids whose input and output forms differ: their own JSON (references
   * compared by id, without the form they name) or, transitively, a component
   * they reference. Iterated to a fixed point, so a chain of references of any
   * depth (or a cycle) is settled.
   */
  private differing(): Set<string> {
    const refs = new Map<string, Set<string>>();
    const differs = new Set<string>();
    for (const [id, input] of this.forms.input) {
      const output = this.forms.output.get(id);
      if (output === undefined) continue;
      const to = new Set<string>();
      const byId = (ref: string) => {
        if (!ref.startsWith(PENDING)) return ref;
        const target = ref.slice(PENDING.length).replace(/^(input|output)\//, '');
        to.add(target);
        return PENDING + target;
      };
      if (JSON.stringify(mapRefs(input, byId)) !== JSON.stringify(mapRefs(output, byId))) differs.add(id);
      refs.set(id, to);
    }
    for (let grew = true; grew; ) {
      grew = false;
      for (const [id, to] of refs) {
        if (differs.has(id) || ![...to].some((t) => differs.has(t))) continue;
        differs.add(id);
        grew = true;
      }
    }
    return differs;
  }

  /** `parameters`: the fields of the root are parameters, which keep their `default` (generators read it right there). */
  private convertKeeping(
    schema: Schema,
    io: Io,
    skipId?: string,
    parameters = false,
  ): { root: JsonSchema; defs: Record<string, JsonSchema> } {
    const json = liftNullableMeta(z.toJSONSchema(schema, options(io)));
    if (io === 'input' && !parameters) describeDefaults(json);
    const pending = (ref: string) => (ref.startsWith(DEFS) ? `${PENDING}${io}/${ref.slice(DEFS.length)}` : ref);
    const { $schema: _, $defs = {}, ...root } = mapRefs(json, pending) as JsonSchema;
    const defs = $defs as Record<string, JsonSchema>;
    for (const [id, def] of Object.entries(defs))
      if (id !== skipId && !this.forms[io].has(id)) this.forms[io].set(id, def);
    return { root, defs };
  }
}
