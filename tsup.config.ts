import { builtinModules } from 'node:module';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

/** Node's built-in modules, with and without the `node:` prefix. */
const NODE_BUILTINS = new RegExp(`^(node:.*|${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')})$`);

/** Fails the browser build on any import of a Node built-in, instead of leaving it dangling. */
const noNodeBuiltins: Plugin = {
  name: 'no-node-builtins',
  setup(build) {
    build.onResolve({ filter: NODE_BUILTINS }, (args) => ({
      errors: [{ text: `the browser bundle must not import Node's "${args.path}" (imported by ${args.importer})` }],
    }));
  },
};

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      node: 'src/node.ts',
      header: 'src/header/index.ts',
      certs: 'src/certs/index.ts',
      request: 'src/request/index.ts',
    },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    // dist/cli and dist/browser are cleaned by their own builds, which run alongside.
    clean: ['!cli/**', '!browser/**'],
    target: 'es2022',
    platform: 'neutral',
    splitting: true,
    treeshake: true,
    external: [/^node:/],
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
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // The browser bundle: one self-contained ESM file (every dependency inside, no
    // node: import, no chunk) — the package's `browser` condition and the offline page's
    // library (scripts/build-web.mjs inlines it into dist/web/index.html). Its types are
    // dist/index.d.ts: src/browser.ts re-exports src/index.ts unchanged.
    entry: { 'se-secrets': 'src/browser.ts' },
    outDir: 'dist/browser',
    format: ['esm'],
    dts: false,
    sourcemap: false,
    clean: true,
    target: 'es2022',
    platform: 'browser',
    splitting: false,
    treeshake: true,
    noExternal: [/.*/],
    // tsup would otherwise turn `node:fs` into an external `fs` before our check sees it.
    removeNodeProtocol: false,
    esbuildPlugins: [noNodeBuiltins],
    // Module path comments as seen from the checkout (node_modules/…), also where
    // node_modules is a symlink: the bundle is the same file from any checkout.
    esbuildOptions(options) {
      options.preserveSymlinks = true;
    },
  },
]);
