#!/usr/bin/env node
/**
 * Builds the browser bundle and the offline page. Runs after tsup (`npm run build`).
 *
 * - dist/browser/se-secrets.js: the library (src/browser.ts) as one minified,
 *   self-contained ESM file (the `se-secrets/browser` export), no `node:` module.
 * - dist/web/index.html: one self-contained file with the page's script (src/web/*.ts,
 *   on top of that bundle) and style inlined, a Content-Security-Policy that allows
 *   exactly those two and nothing else (no network of any kind), and its SHA-256 beside
 *   it (dist/web/index.html.sha256, `sha256sum` format).
 *
 * Both carry the licence notice of se-secrets and of every package they inline (found
 * from esbuild's metafile, so a new dependency brings its notice without a list to keep).
 *
 * Fails the build when the page would reach library sources other than through the
 * bundle, import a Node module, mention any http(s) URL outside the licence notices,
 * or break out of its script, or when an inlined package has no licence file.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist/browser/se-secrets.js');
const outDir = join(root, 'dist/web');
/** The library's portable entries: src/browser.ts re-exports src/index.ts, and the bundle is built from it. */
const LIBRARY_ENTRIES = ['src/browser.ts', 'src/browser.js', 'src/index.ts', 'src/index.js'].map((p) => join(root, p));
/** Sources the page may bundle itself; everything else of the library comes from the bundle. */
const PAGE_SOURCES = [/^src\/web\/[^/]+\.ts$/, /^dist\/browser\/se-secrets\.js$/];
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function fail(message) {
  console.error(`build-web: ${message}`);
  process.exit(1);
}

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

/** The package folders (`node_modules/…/name`) esbuild took inputs from, sorted. */
function inlinedPackages(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) dirs.add(m[1]);
  }
  return [...dirs].sort();
}

/** The licence notices of se-secrets and of each package in `dirs`, as one text. */
function licenceNotices(dirs) {
  const notice = (dir, label) => {
    const file = readdirSync(join(root, dir)).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
    if (!file) fail(`${dir} has no LICENSE file, and the build inlines it`);
    return `${label}\n\n${readFileSync(join(root, dir, file), 'utf8').trim()}`;
  };
  const parts = [notice('.', `se-secrets ${version}`)];
  for (const dir of dirs) {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    parts.push(notice(dir, `${pkg.name} ${pkg.version} (${pkg.license}), inlined`));
  }
  const text = parts.join('\n\n----\n\n').replaceAll('----', '- - -');
  if (/\*\/|--|<\/script/i.test(text)) fail('a licence notice contains "*/", "--" or "</script"');
  return text;
}

/** Fails the browser bundle on any import of a Node built-in, instead of leaving it dangling. */
const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) =>
      NODE_BUILTINS.has(args.path) ? { errors: [{ text: `the browser bundle must not import Node's "${args.path}" (from ${args.importer})` }] } : undefined,
    );
  },
};

/** What both builds share: one ESM file for browsers, ASCII only, comments dropped. */
const browserBuild = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  metafile: true,
  legalComments: 'none',
  charset: 'ascii',
  absWorkingDir: root,
  preserveSymlinks: true,
  logLevel: 'warning',
};

const library = await build({ ...browserBuild, entryPoints: [join(root, 'src/browser.ts')], minify: true, plugins: [noNodeBuiltins] });
const libraryNotices = licenceNotices(inlinedPackages(library.metafile));
mkdirSync(dirname(bundle), { recursive: true });
writeFileSync(bundle, `/*! ${libraryNotices}\n*/\n${library.outputFiles[0].text}`);
console.log(`dist/browser/se-secrets.js  ${(Buffer.byteLength(readFileSync(bundle)) / 1024).toFixed(0)} KiB`);

/** The page's `../browser.js` is the built bundle, so the page runs what we publish. */
const useBuiltBundle = {
  name: 'use-built-bundle',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (NODE_BUILTINS.has(args.path)) return { errors: [{ text: `the page must not import Node's "${args.path}" (from ${args.importer})` }] };
      if (args.path.startsWith('.') && LIBRARY_ENTRIES.includes(resolve(args.resolveDir, args.path))) return { path: bundle };
      return undefined;
    });
  },
};

const result = await build({
  ...browserBuild,
  entryPoints: [join(root, 'src/web/app.ts')],
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [useBuiltBundle],
});

const strays = Object.keys(result.metafile.inputs).filter((p) => !PAGE_SOURCES.some((re) => re.test(p)));
if (strays.length) fail(`the page reaches library code other than through the bundle: ${strays.join(', ')}`);

const script = result.outputFiles[0].text.trim();
const style = readFileSync(join(root, 'src/web/style.css'), 'utf8').trim();
if (/<\/script|<!--/i.test(script)) fail('the script contains "</script" or "<!--", which would break the page');
if (/<\/style/i.test(style)) fail('the style contains "</style"');

const b64 = (s) => createHash('sha256').update(s, 'utf8').digest('base64');
const fields = {
  VERSION: version,
  SCRIPT_HASH: `'sha256-${b64(script)}'`,
  STYLE_HASH: `'sha256-${b64(style)}'`,
  STYLE: style,
  SCRIPT: script,
};
// One pass, so nothing substituted is substituted again. A placeholder may sit in a
// comment (`/*%SCRIPT%*/`), which keeps the template valid HTML for linters.
const page = readFileSync(join(root, 'src/web/index.html'), 'utf8').replace(/(?:\/\*)?%([A-Z_]+)%(?:\*\/)?/g, (m, k) => {
  if (!(k in fields)) fail(`unknown placeholder ${m} in src/web/index.html`);
  return fields[k];
});

const urls = page.match(/\b(?:https?|wss?|ftp):\/\/[^\s"'<>)]*/gi);
if (urls) fail(`the page mentions network URLs: ${[...new Set(urls)].slice(0, 5).join(', ')}`);
// The page inlines the bundle (whose packages it names) and nothing else from node_modules.
const html = page.replace('<html lang="en">', `<!--\n${libraryNotices}\n-->\n<html lang="en">`);

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'index.html'), html);
const sha256 = createHash('sha256').update(html, 'utf8').digest('hex');
writeFileSync(join(outDir, 'index.html.sha256'), `${sha256}  index.html\n`);
console.log(`dist/web/index.html  ${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB  SHA-256 ${sha256}`);
