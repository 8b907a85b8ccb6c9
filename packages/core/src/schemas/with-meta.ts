import * as z from 'zod/mini';

/**
 * What classic zod's `schema.meta(data)` does: a clone of `schema` registered
 * in the global registry with `data`. The clone inherits the metadata of
 * `schema` except its `id`, so a documented base (`Url`) keeps its example
 * when a field adds a description. The schema itself is left as it was.
 */
export function withMeta<T extends z.core.$ZodType>(schema: T, meta: z.core.GlobalMeta): T {
  const cl = z.clone(schema);
  z.globalRegistry.add(cl, meta);
  return cl;
}
