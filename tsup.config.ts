import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library, one ESM file per source file (not bundled), so that a bundler keeps
    // only what an import reaches: `createAddSecretRequest` brings no YAML and no plan
    // code. Its entries: `se-secrets` (index.js: portable; index-node.js: the same API
    // on node:crypto, the root's `node` condition) and `se-secrets/node` (node.js). The
    // browser bundle and the offline page are built after this by scripts/build-web.mjs.
    entry: ['src/**/*.ts', '!src/cli/**', '!src/web/**'],
    bundle: false,
    format: ['esm'],
    dts: { entry: { index: 'src/index.ts', node: 'src/node.ts' } },
    // No source maps: the package ships the built code, not a second copy of the source.
    sourcemap: false,
    // dist/cli and dist/browser are cleaned by their own builds.
    clean: ['!cli/**', '!browser/**'],
    target: 'es2022',
    platform: 'neutral',
  },
  {
    // The CLI: every dependency bundled in and minified, so a run loads a few files
    // instead of resolving hundreds of modules. Commands (and what only they use) are
    // loaded on demand through dynamic imports; their chunks stay in dist/cli. Measured
    // by `npm run bench -- cli` (docs/performance.md).
    entry: { main: 'src/cli/main.ts' },
    outDir: 'dist/cli',
    format: ['esm'],
    sourcemap: false,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: true,
    treeshake: true,
    minify: true,
    noExternal: [/.*/],
    // `require` for the CommonJS dependencies inlined in the ESM chunks (yaml's Node build).
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);" },
  },
]);
