// esbuild plugins for the Lambda bundles, loaded by SST (`nodejs.plugins`) and
// by scripts/bundle.ts alike. Plain JavaScript: SST imports this file with node.
//
// SST's plugin bridge tests each filter against an empty value, so the filters
// here match everything and the callbacks look at `args.path` themselves.

/** Zod's classic API carries every locale (about 260 KB minified); drumbeat speaks English only. */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /.*/ }, (args) => {
      const path = String(args.path ?? '').replaceAll('\\', '/');
      if (!/\/zod\/v4\/locales\/index\.js$/.test(path)) return undefined;
      return {
        contents: 'export { default as en } from "./en.js";\n',
        loader: 'js',
        resolveDir: path.slice(0, path.lastIndexOf('/')),
      };
    });
  },
};

export default [zodEnglishOnly];
