import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { ORIGIN_HEADER } from '../functions/origin-guard.js';

/**
 * Compiles functions/edge.ts into the snippet the Router injects at the top of
 * its CloudFront viewer-request function (`async function handler(event) {…}`):
 * a `var` that an IIFE sets to `screen`, then an early `return` of the
 * response when it rejects the request; then, given `originSecret`, the
 * header that proves to the API the request came through CloudFront. No module helpers, no `for…of`, target
 * ES2017: nothing CloudFront Functions' JavaScript runtime 2.0 lacks.
 */
export function edgeInjection(root: string, originSecret?: string): string {
  const out = buildSync({
    stdin: {
      contents: `import { screen } from ${JSON.stringify(join(root, 'functions', 'edge.ts'))};\n__edgeScreen = screen;\n`,
      resolveDir: root,
      sourcefile: 'edge-injection.ts',
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2017',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]!.text.trim().replace(/^"use strict";/, '');
  const lines = [
    'var __edgeScreen;',
    code,
    'var __edgeNo = __edgeScreen(event.request);',
    'if (__edgeNo) return __edgeNo;',
  ];
  // Overwrites whatever a viewer sent: only requests that came through CloudFront carry the secret.
  if (originSecret !== undefined)
    lines.push(`event.request.headers[${JSON.stringify(ORIGIN_HEADER)}]={value:${JSON.stringify(originSecret)}};`);
  return lines.join('\n');
}
