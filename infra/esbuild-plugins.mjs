// esbuild plugins for the Lambda bundles, loaded by SST (`nodejs.plugins`) and
// by scripts/bundle.ts alike. Plain JavaScript: SST imports this file with node.
//
// SST's plugin bridge tests each filter against an empty value, so the filter
// here matches everything and the callback looks at `args.path` itself.

/**
 * Packages kept out of the Lambda bundles on purpose (infra/README.md,
 * Bundles), each with what replaced it at run time. They stay installed:
 * the tests use them as oracles for the code that replaced them.
 */
export const KEPT_OUT = [
  {
    pattern: /^rrule-temporal(\/|$)/,
    instead: "the cadence engine's own RFC 5545 expansion (packages/standards/src/rrule)",
  },
  { pattern: /^temporal-polyfill(\/|$)/, instead: 'packages/standards/src/time (Intl time zone data)' },
  {
    pattern: /^zod(\/v4)?(\/classic(\/.*)?)?$/,
    instead: "zod/mini: `import * as z from 'zod/mini'` (classic zod's methods keep all of it in every bundle)",
  },
  {
    pattern: /^@hono\/zod-openapi(\/|$)|^@asteasolutions\/zod-to-openapi(\/|$)/,
    instead:
      'packages/api/src/openapi (plain Hono) and packages/standards/src/openapi (the document from z.toJSONSchema)',
  },
  { pattern: /^standardwebhooks(\/|$)/, instead: 'node:crypto signing in packages/channels/src/signed-webhook.ts' },
  { pattern: /^ical\.js(\/|$)/, instead: 'packages/standards/src/ics.ts' },
];

/** Why `specifier` may not be bundled, or null when it may. */
export function keptOutReason(specifier) {
  const hit = KEPT_OUT.find((k) => k.pattern.test(String(specifier ?? '')));
  return hit ? `${specifier} is kept out of the Lambda bundles (infra/README.md, Bundles); use ${hit.instead}` : null;
}

const MCP_SDK = /[\\/]node_modules[\\/]@modelcontextprotocol[\\/]sdk[\\/]/;

/**
 * Fails the build when runtime code imports a package of KEPT_OUT, naming
 * the importer, so a replaced library does not creep back unnoticed.
 */
const keepOut = {
  name: 'drumbeat-keep-out',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      // The MCP SDK brings its own (classic) zod: it loads only with the /mcp chunk, on the first MCP request, never on the cold start.
      if (MCP_SDK.test(String(args.importer ?? '')) && /^zod(\/|$)/.test(String(args.path))) return undefined;
      const reason = keptOutReason(args.path);
      return reason ? { errors: [{ text: `${reason} (imported by ${args.importer})` }] } : undefined;
    });
  },
};

export default [keepOut];
