#!/usr/bin/env node
/**
 * The package as a user gets it (run by .ci/run; `npm run check:package`):
 *
 * 1. `npm pack` (its `prepack` builds dist/) into a temporary folder;
 * 2. the tarball: at most 600 kB, LICENSE and CHANGELOG.md in it, no source map, no
 *    private key (by name or by content);
 * 3. `publint --strict` and `@arethetypeswrong/cli --profile esm-only` on the tarball;
 * 4. a consumer: a fresh ESM project that installs the tarball offline (`npm ci
 *    --offline` from npm's cache, which `npm ci` here filled), runs a script that builds a request through `se-secrets` and
 *    `se-secrets/node` and parses it back, runs the installed `se-secrets` command, and
 *    type-checks every TypeScript block of the README with `moduleResolution` `node16`
 *    and `bundler` (`skipLibCheck: false`, `lib: es2022`).
 *
 * Exits non-zero on the first failure, naming it. Leaves nothing behind.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_TARBALL = 600 * 1000;
const bin = (pkg, file) => join(root, 'node_modules', pkg, file);
const work = mkdtempSync(join(tmpdir(), 'se-secrets-package-'));

function run(cmd, args, options = {}) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20, ...options });
}

/**
 * A lock file for the consumer: the tarball and @types/node, with exactly the versions
 * (and integrity) of this checkout's package-lock.json, so that `npm ci --offline`
 * installs them from npm's cache (`npm ci` here filled it) without asking a registry.
 */
function consumerLock(tarball, integrity) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages;
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const typesNode = lock['node_modules/@types/node'].version;
  const packages = {
    '': { name: 'consumer', dependencies: { 'se-secrets': `file:${tarball}`, '@types/node': typesNode } },
    'node_modules/se-secrets': {
      version: pkg.version,
      resolved: `file:${tarball}`,
      integrity,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  /** Where npm finds `name` for the package at lock path `from`: its own node_modules, then each parent's. */
  const locate = (from, name) => {
    for (let at = from; ; at = at.slice(0, Math.max(0, at.lastIndexOf('/node_modules/')))) {
      const path = `${at ? `${at}/` : ''}node_modules/${name}`;
      if (lock[path]) return path;
      if (!at) throw new Error(`package-lock.json has no ${name} (needed by ${from || 'the consumer'})`);
    }
  };
  const add = (from, deps) => {
    for (const name of Object.keys(deps ?? {})) {
      const path = locate(from, name);
      if (packages[path]) continue;
      const { dev, devOptional, peer, ...entry } = lock[path];
      packages[path] = entry;
      add(path, entry.dependencies);
    }
  };
  add('', pkg.dependencies);
  add('', { '@types/node': typesNode });
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

function check(ok, message) {
  if (!ok) throw new Error(message);
  console.log(`ok  ${message}`);
}

try {
  // 1. pack
  // prepack's build logs to stdout too; the JSON report is the last thing npm prints.
  const packOutput = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root });
  const [packed] = JSON.parse(packOutput.slice(packOutput.search(/^\[\s*\{[\s\S]*$/m)));
  const tarball = join(work, packed.filename);
  const files = packed.files.map((f) => f.path);

  // 2. what it holds
  check(packed.size <= MAX_TARBALL, `tarball ${packed.size} bytes packed (at most ${MAX_TARBALL}), ${packed.unpackedSize} unpacked, ${files.length} files`);
  check(files.includes('LICENSE') && files.includes('CHANGELOG.md') && files.includes('README.md'), 'LICENSE, CHANGELOG.md and README.md are in it');
  check(!files.some((f) => f.endsWith('.map')), 'no source map');
  check(!files.some((f) => /\.(key|pem|p8|p12)$/i.test(f)), 'no key file');
  const unpacked = join(work, 'unpacked');
  mkdirSync(unpacked);
  run('tar', ['-xzf', tarball, '-C', unpacked]);
  const withKeys = files.filter((f) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(readFileSync(join(unpacked, 'package', f), 'latin1')));
  check(withKeys.length === 0, `no private key inside any file${withKeys.length ? ` (found in ${withKeys.join(', ')})` : ''}`);

  // 3. the linters, on the tarball
  run(process.execPath, [bin('publint', 'src/cli.js'), '--strict', tarball], { stdio: 'inherit' });
  check(true, 'publint --strict');
  run(process.execPath, [bin('@arethetypeswrong/cli', 'dist/index.js'), tarball, '--profile', 'esm-only'], { stdio: 'inherit' });
  check(true, 'attw --profile esm-only');

  // 4. a consumer
  const app = join(work, 'app');
  mkdirSync(app);
  const lock = consumerLock(tarball, packed.integrity);
  const manifest = { name: 'consumer', private: true, type: 'module', dependencies: lock.packages[''].dependencies };
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(app, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: app, stdio: 'inherit' });
  writeFileSync(
    join(app, 'smoke.mjs'),
    `import { readFile } from 'node:fs/promises';
import { createAddSecretRequest, parseAddSecretRequest, secretInfoYaml } from 'se-secrets';
import { readSeHeader } from 'se-secrets/node';
const samples = new URL('./node_modules/se-secrets/samples/', import.meta.url);
const read = (f) => readFile(new URL(f, samples));
const secret = { type: 'association', name: 'smoke' };
const request = await createAddSecretRequest({
  secret,
  seHeader: await readSeHeader(new URL('sample-se.img', samples).pathname),
  hostKeys: [await read('HKD-sample-1.crt'), await read('HKD-sample-2.crt')],
  verify: {
    certificates: [await read('ibm-z-host-key-signing.crt'), await read('intermediate-ca.crt')],
    crls: [await read('ibm-z-host-key.crl'), await read('intermediate-ca.crl'), await read('root-ca.crl')],
    rootCa: await read('root-ca.crt'),
    offline: true,
  },
});
const info = parseAddSecretRequest(request);
if (info.keySlots.length !== 2 || request.length !== info.length) throw new Error('unexpected request');
console.log(\`built a \${request.length}-byte request with \${info.keySlots.length} key slots\`);
process.stdout.write(secretInfoYaml(secret).split('\\n')[0] + '\\n');
`,
  );
  run(process.execPath, ['smoke.mjs'], { cwd: app, stdio: 'inherit' });
  check(true, 'an ESM script builds a request from the installed package');
  const version = run(join(app, 'node_modules/.bin/se-secrets'), ['--version'], { cwd: app }).trim();
  check(version.includes(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version), `the installed command runs (${version})`);

  const blocks = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  check(blocks.length > 0, `README has ${blocks.length} TypeScript blocks`);
  for (const [i, b] of blocks.entries()) writeFileSync(join(app, `readme-${i + 1}.ts`), `${b}export {};\n`);
  for (const [module, moduleResolution] of [
    ['node16', 'node16'],
    ['esnext', 'bundler'],
  ]) {
    const tsconfig = `tsconfig.${moduleResolution}.json`;
    writeFileSync(
      join(app, tsconfig),
      JSON.stringify({
        compilerOptions: { module, moduleResolution, target: 'es2022', lib: ['es2022'], types: ['node'], strict: true, skipLibCheck: false, noEmit: true },
        include: ['readme-*.ts'],
      }),
    );
    run(process.execPath, [bin('typescript', 'bin/tsc'), '-p', tsconfig], { cwd: app, stdio: 'inherit' });
    check(true, `the README's TypeScript type-checks with moduleResolution ${moduleResolution}`);
  }
  console.log('package checks passed');
} catch (e) {
  console.error(`check-package: ${e.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
