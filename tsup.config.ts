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
    // The CLI: one CommonJS bundle, every dependency inlined and minified, so a run reads
    // one file instead of resolving hundreds of modules, and V8 can cache its bytecode
    // (src/cli/bin.ts). Commands and what only they use are imported on demand: esbuild
    // keeps such modules in the bundle but runs them, and requires the Node built-ins
    // they use, only when first imported. Measured by `npm run bench -- cli`
    // (docs/performance.md).
    // The worker threads of `create --batch` run this bundle too (dist/cli/batch-worker.js).
    entry: { cli: 'src/cli/main.ts' },
    outDir: 'dist/cli',
    format: ['cjs'],
    sourcemap: false,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    // esbuild's own tree shaking: tsup's (Rollup) would hoist every require() to the top.
    treeshake: false,
    minify: true,
    noExternal: [/.*/],
    // main.ts finds its package.json, and its commands their files, from its URL: dist/cli/main.js.
    define: { 'import.meta.url': '__cliMainUrl' },
    banner: { js: "var __cliMainUrl = require('node:url').pathToFileURL(require('node:path').join(__dirname, 'main.js')).href;" },
    // The executable: the tiny entry that runs cli.cjs with its code cache, CommonJS
    // like the bundle (dist/cli/package.json), so no run starts Node's ESM loader. Built
    // after the bundle (not as a second config) so that cleaning dist/cli cannot race it.
    async onSuccess() {
      const { build } = await import('esbuild');
      const { chmodSync, writeFileSync } = await import('node:fs');
      const entry = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: true, logLevel: 'warning' } as const;
      await build({ ...entry, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli/main.js', banner: { js: '#!/usr/bin/env node' } });
      // The worker threads of `create --batch`: the same bundle and code cache (src/cli/run-bundle.ts).
      await build({ ...entry, entryPoints: ['src/cli/batch-worker-entry.ts'], outfile: 'dist/cli/batch-worker.js' });
      chmodSync('dist/cli/main.js', 0o755);
      writeFileSync('dist/cli/package.json', '{ "type": "commonjs" }\n');
    },
  },
]);
