/**
 * The built package: export map, entry points, and the promise that the portable core
 * never reaches a `node:` module (a browser page loads it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
const built = existsSync(join(dist, 'index.js'));
/** Issue 12: everything esbuild writes for `import { createAddSecretRequest }`, minified. */
const MAX_CREATE_BUNDLE = 160_000;
const withPkijs = 'pkijs' in JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies;
/** Every file a module reaches through relative static and dynamic imports. */
function closure(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const src = readFileSync(entry, 'utf8');
  for (const m of src.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
    const spec = m[1]!;
    if (spec.startsWith('.')) closure(resolve(dirname(entry), spec), seen);
  }
  return seen;
}

function bareImports(files: Set<string>): string[] {
  const out = new Set<string>();
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(/(?:from|import)\s*\(?\s*["']([^"'.][^"']*)["']/g)) out.add(m[1]!);
  }
  return [...out].sort();
}

describe.skipIf(!built)(`built package${built ? '' : ' — SKIPPED: run npm run build first (npm test does)'}`, () => {
  it('portable entry points import no node: module', () => {
    for (const entry of ['index.js', 'browser/se-secrets.js']) {
      const imports = bareImports(closure(join(dist, entry)));
      expect(imports.filter((s) => s.startsWith('node:') || ['fs', 'crypto', 'path', 'http', 'https', 'os'].includes(s)), entry).toEqual([]);
    }
  });

  it('the root has one API under every condition; se-secrets/node adds the Node-only helpers', async () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.exports)).toEqual(['.', './node', './browser', './package.json']);
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', node: './dist/index-node.js', browser: './dist/index.js', default: './dist/index.js' });
    const portable = Object.keys(await import(join(dist, 'index.js'))).sort();
    const self = await import('se-secrets');
    expect(Object.keys(self).sort()).toEqual(portable);
    expect(Object.keys(await import(join(dist, 'browser/se-secrets.js'))).sort()).toEqual(portable);
    expect(self).not.toHaveProperty('readSeHeader');
    const node = await import('se-secrets/node');
    for (const n of ['readSeHeader', 'readFileBytes', 'createHttpCrlFetcher', 'platformRootCertificates']) expect(typeof node[n as keyof typeof node], n).toBe('function');
    expect(Object.keys(node)).toEqual(expect.arrayContaining(portable));
  });

  it('exports no wire-level internals', async () => {
    const names = new Set([...Object.keys(await import('se-secrets')), ...Object.keys(await import('se-secrets/node'))]);
    for (const n of ['encodeKeySlot', 'sealKeySlot', 'wrapKeySlot', 'decodeSecretHeader', 'encodeSecretHeader', 'buildAsrcb']) expect(names.has(n), n).toBe(false);
  });

  it('ships type declarations for every entry', () => {
    for (const d of ['index.d.ts', 'node.d.ts']) expect(existsSync(join(dist, d)), d).toBe(true);
  });

  /** What esbuild writes for `import { createAddSecretRequest } from 'se-secrets'` in a browser build. */
  async function createBundle(minify = true) {
    const result = await build({
      stdin: { contents: "import { createAddSecretRequest } from 'se-secrets'; globalThis.f = createAddSecretRequest;", resolveDir: root },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      minify,
      write: false,
      metafile: true,
      outdir: join(dist, 'size-check'),
      logLevel: 'silent',
    });
    const bytes = result.outputFiles.reduce((n, f) => n + f.contents.length, 0);
    const text = result.outputFiles.map((f) => f.text).join('\n');
    // Modules that put bytes into the output (the metafile's inputs also list those shaken away).
    const used = Object.values(result.metafile.outputs).flatMap((o) => Object.entries(o.inputs).filter(([, i]) => i.bytesInOutput > 0));
    const inputs = used.map(([p]) => p);
    // Bytes by package ("ours" for the library itself), for the report and failure messages.
    const byPackage: Record<string, number> = {};
    for (const [p, i] of used) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p)?.[1] ?? 'ours';
      byPackage[name] = (byPackage[name] ?? 0) + i.bytesInOutput;
    }
    return { bytes, inputs, text, byPackage };
  }

  it('a browser bundle of `import { createAddSecretRequest }` brings no YAML and no plan code', async () => {
    const { inputs } = await createBundle();
    expect(inputs.filter((p) => /node_modules\/yaml\//.test(p))).toEqual([]);
    expect(inputs.filter((p) => /dist\/plan\//.test(p))).toEqual([]);
  });

  it.skipIf(withPkijs)(`a browser bundle of \`import { createAddSecretRequest }\` is at most 160 kB minified${withPkijs ? ' — SKIPPED while pkijs is a dependency (issue 11 §2 removes it)' : ''}`, async () => {
    const { bytes, byPackage } = await createBundle();
    expect(bytes, `bytes by package: ${JSON.stringify(byPackage)}`).toBeLessThanOrEqual(MAX_CREATE_BUNDLE);
  });

  it('a browser bundle of `import { createAddSecretRequest }` verifies no chain and opens no request unless asked', async () => {
    // Certificate-chain and CRL code comes with `verifyHostKeyDocuments` (the `verifier`
    // option); decryption and signature verification with `portableBackend`.
    const { inputs } = await createBundle();
    const unwanted = /dist\/certs\/(verify|chain|chain-crl|crl-info|crl-download|hkd)\.js$|dist\/request\/(verify|decrypt)\.js$/;
    expect(inputs.filter((p) => unwanted.test(p))).toEqual([]);
    // Unminified, so that function names show what the default backend brought along.
    const { text } = await createBundle(false);
    expect(text).toContain('function createAddSecretRequest(');
    for (const name of ['rsaPssSha512Verify', 'portableVerifySha512', 'webAesGcmDecrypt', 'verifyHostKeyDocuments']) expect(text.includes(`function ${name}(`), name).toBe(false);
  });

  it('the browser bundle and the offline page carry the licence notice of every package they inline', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const bundle = readFileSync(join(dist, 'browser/se-secrets.js'), 'utf8');
    const page = readFileSync(join(dist, 'web/index.html'), 'utf8');
    for (const name of Object.keys(pkg.dependencies)) {
      const license = readFileSync(join(root, 'node_modules', name, 'LICENSE'), 'utf8').trim();
      for (const [what, text] of [['bundle', bundle], ['page', page]] as const) {
        expect(text.includes(`${name} `), `${what} names ${name}`).toBe(true);
        expect(text.includes(license), `${what} carries ${name}'s licence`).toBe(true);
      }
    }
    expect(bundle.startsWith('/*! se-secrets ')).toBe(true);
  });
});
