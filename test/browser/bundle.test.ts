/**
 * The browser bundle dist/browser/se-secrets.js inside headless Chromium: it exports the
 * portable API, rebuilds the reference's known-answer vectors and the project's own
 * vectors byte for byte — with WebCrypto's P-521, with @noble/curves, and with
 * WebCrypto's P-521 taken away — verifies the sample host-key documents, and builds a
 * request that node:crypto opens with the host's private key. The network is off and
 * nothing may leave the page.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBackend } from '../../src/crypto/node.js';
import { createAddSecretRequest } from '../../src/request/create.js';
import { openRequest } from '../helpers/independent.js';
import { hostScalar, sample } from '../helpers/samples.js';
import { HAVE_UPSTREAM, UPSTREAM_DIR, UPSTREAM_INPUTS as I, UPSTREAM_SKIP_REASON, upstream } from '../helpers/upstream.js';
import { loadManifest, optionsOf, VECTOR_DIR } from '../helpers/vectors.js';
import { BROWSER_SKIP_REASON, BUNDLE, launchChromium, type NetworkLog, offlineContext, prerequisiteTest, ROOT, suiteTitle } from './chromium.js';
import { installWireHelpers, toWire, type Wire } from './wire.js';

/** The names the issue promises, beside the whole portable API. */
const CORE_API = [
  'createAddSecretRequest',
  'verifyHostKeyDocuments',
  'parseSeHeader',
  'parseAddSecretRequest',
  'verifyAddSecretRequest',
  'secretId',
  'secretInfoYaml',
  'planAssociations',
];

/** Page side: loads the bundle's source as a module into `globalThis.lib`; returns its export names. */
async function loadBundle(source: string): Promise<string[]> {
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  // Spelled as a string: the test runner rewrites a literal import() in this file.
  const importModule = new Function('u', 'return import(u)') as (u: string) => Promise<Record<string, unknown>>;
  const lib = await importModule(url);
  URL.revokeObjectURL(url);
  (globalThis as unknown as { lib: unknown }).lib = lib;
  return Object.keys(lib).sort();
}

/** Page side: builds a request from wire options with the named backend; returns hex. */
async function buildInPage([options, backendName]: [Wire, string]): Promise<string> {
  const g = globalThis as unknown as {
    lib: Record<string, unknown> & { createAddSecretRequest: (o: unknown) => Promise<Uint8Array> };
    fromWire: (x: Wire) => Record<string, unknown>;
    toHex: (b: Uint8Array) => string;
  };
  const backend = g.lib[backendName];
  const bytes = await g.lib.createAddSecretRequest({ ...g.fromWire(options), backend });
  return g.toHex(bytes);
}

const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

prerequisiteTest();

describe.skipIf(BROWSER_SKIP_REASON !== undefined)(suiteTitle('the browser bundle in Chromium'), () => {
  let browser: Browser;
  let context: BrowserContext;
  let network: NetworkLog;
  let page: Page;
  let dir: string;
  const source = () => readFileSync(BUNDLE, 'utf8');

  /** A fresh file:// page (a secure context, as the offline page is) with the bundle loaded. */
  async function bundlePage(initScript?: () => void): Promise<Page> {
    const p = await context.newPage();
    if (initScript) await p.addInitScript(initScript);
    await p.goto(pathToFileURL(join(dir, 'blank.html')).href);
    await p.evaluate(installWireHelpers);
    await p.evaluate(loadBundle, source());
    return p;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'se-secrets-bundle-'));
    writeFileSync(join(dir, 'blank.html'), '<!doctype html><meta charset="utf-8"><title>bundle test</title>');
    browser = await launchChromium();
    ({ context, network } = await offlineContext(browser));
    page = await bundlePage();
  }, 30_000);

  afterAll(async () => {
    expect(network?.blocked ?? []).toEqual([]);
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the network is off and watched: a request from the page is refused and recorded', async () => {
    const p = await context.newPage();
    await p.goto(pathToFileURL(join(dir, 'blank.html')).href);
    const outcome = await p.evaluate(() =>
      fetch('http://192.0.2.1/probe').then(
        () => 'fetched',
        (e: Error) => e.name,
      ),
    );
    await p.close();
    expect(outcome).toBe('TypeError');
    expect(network.blocked).toEqual(['http://192.0.2.1/probe']);
    network.blocked.length = 0; // the suite then asserts nothing else left any page
  });

  it('is one self-contained module: no import of any kind, no node: module, no network API', () => {
    const src = source();
    expect(src).not.toMatch(/^\s*import\s/m);
    expect(src).not.toMatch(/\bimport\s*\(/);
    expect(src).not.toMatch(/\brequire\s*\(/);
    expect(src).not.toMatch(/["']node:[a-z]/);
    expect(src).not.toMatch(/\bfetch\s*\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon/);
  });

  it('exports exactly the portable API of the package (dist/index.js), the core names included', async () => {
    const names = await page.evaluate(() => Object.keys((globalThis as unknown as { lib: object }).lib).sort());
    const portable = Object.keys(await import(join(ROOT, 'dist', 'index.js'))).sort();
    expect(names).toEqual(portable);
    for (const n of [...CORE_API, 'portableBackend', 'webCryptoBackend', 'nobleBackend', 'readSeHeaderFromBlob']) expect(names).toContain(n);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.exports['.'])).toEqual(['types', 'node', 'browser', 'default']);
    expect(pkg.exports['./browser'].default).toBe('./dist/browser/se-secrets.js');
  });

  it('this Chromium has P-521 in WebCrypto, so the webcrypto path really runs', async () => {
    const has = await page.evaluate(async () => {
      try {
        await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-521' }, false, ['deriveBits']);
        return true;
      } catch {
        return false;
      }
    });
    expect(has).toBe(true);
  });

  describe.skipIf(!HAVE_UPSTREAM)(`upstream known-answer vectors${HAVE_UPSTREAM ? '' : ` — SKIPPED: ${UPSTREAM_SKIP_REASON}`}`, () => {
    const CASES = [
      { file: 'null_none_default_cuid_one', secret: { type: 'meta' } },
      { file: 'assoc_none_default_cuid_one', secret: { type: 'association', name: I.associationName, value: I.associationValue } },
      { file: 'null_simple_default_cuid_one', secret: { type: 'meta' }, extensionSecret: { value: I.extensionSimple } },
    ];
    const optionsFor = (c: (typeof CASES)[number]) =>
      toWire({
        secret: c.secret,
        seHeader: I.tags,
        hostKeys: [upstream('keys/host.pem.crt')],
        verify: false,
        cuid: I.cuid,
        ...(c.extensionSecret ? { extensionSecret: c.extensionSecret } : {}),
        deterministic: { iv: I.iv, protectionKey: I.protectionKey, customerPrivateKey: upstream('keys/private_cust.bin') },
      });
    let ran = 0;

    for (const backend of ['portableBackend', 'webCryptoBackend', 'nobleBackend']) {
      it(`rebuilds exp/asrcb/* byte for byte (${backend})`, async () => {
        for (const c of CASES) {
          const got = await page.evaluate(buildInPage, [optionsFor(c), backend] as [Wire, string]);
          expect(got, c.file).toBe(hexOf(upstream(`exp/asrcb/${c.file}`)));
          // The key slot inside is exp/keyslot.bin (one host key: slot at 0x4b8).
          expect(got.slice(0x4b8 * 2, (0x4b8 + 80) * 2)).toBe(hexOf(upstream('exp/keyslot.bin')));
          ran++;
        }
      });
    }

    it('attestation (#14): rebuilds pvattest/arcb.bin byte for byte, a measurement known answer, an exchange round trip', async () => {
      const kat = JSON.parse(readFileSync(join(UPSTREAM_DIR, 'pvattest/kat.json'), 'utf8'));
      const h = (x: string) => new Uint8Array(Buffer.from(x, 'hex'));
      const wire = toWire({
        create: {
          hostKeys: [upstream('keys/host.pem.crt')],
          verify: false,
          flags: { imagePhkh: true, attestPhkh: true },
          deterministic: { iv: h(kat.arcb.iv), customerPrivateKey: upstream('keys/private_cust.bin'), protectionKey: h(kat.arcb.arpk), nonce: h(kat.arcb.nonce), measurementKey: h(kat.arcb.measurementKey) },
        },
        measure: {
          seHeader: { pld: h(kat.tags.pld), ald: h(kat.tags.ald), tld: h(kat.tags.tld), tag: h(kat.tags.tag) },
          cuid: h(kat.cuid), userData: h(kat.userData), nonce: h(kat.nonce), additionalData: h(kat.additionalData), measurementKey: h(kat.measurementKey),
        },
        exchange: upstream('pvattest/exchange/full_resp.bin'),
      });
      const got = await page.evaluate(async (w: Wire) => {
        const g = globalThis as unknown as { lib: Record<string, (...a: unknown[]) => unknown>; fromWire: (x: Wire) => Record<string, unknown>; toHex: (b: Uint8Array) => string };
        const o = g.fromWire(w);
        const created = (await g.lib.createAttestationRequest!(o.create)) as { request: Uint8Array };
        const exchange = g.lib.encodeAttestationExchange!(g.lib.parseAttestationExchange!(o.exchange)) as Uint8Array;
        return { arcb: g.toHex(created.request), hmac: g.toHex(g.lib.attestationMeasurement!(o.measure) as Uint8Array), exchange: g.toHex(exchange) };
      }, wire);
      expect(got.arcb).toBe(hexOf(upstream('pvattest/arcb.bin')));
      expect(got.hmac).toBe(kat.cases.measurement_all.hmac);
      expect(got.exchange).toBe(hexOf(upstream('pvattest/exchange/full_resp.bin')));
    });

    it('reads exp/secure_guest.hdr, and finds it by the page scan in a Blob read a slice at a time', async () => {
      const hdr = upstream('exp/secure_guest.hdr');
      const found = await page.evaluate(async (h: string) => {
        const { lib, fromWire, toHex } = globalThis as unknown as {
          lib: {
            parseSeHeader: (b: Uint8Array) => { tag: Uint8Array; pld: Uint8Array; size: number };
            readSeHeaderFromBlob: (b: Blob, o: object) => Promise<{ tag: Uint8Array; offset: number }>;
          };
          fromWire: (x: string) => Uint8Array;
          toHex: (b: Uint8Array) => string;
        };
        const bytes = fromWire(JSON.stringify({ $bytes: h }));
        const parsed = lib.parseSeHeader(bytes);
        const image = new Uint8Array(0x13000);
        image.set(bytes, 0x12000);
        const stats = { bytesRead: 0, reads: 0 };
        const inImage = await lib.readSeHeaderFromBlob(new Blob([image]), { stats });
        const shifted = new Uint8Array(0x13000);
        shifted.set(bytes, 0x8);
        let notFound = '';
        try {
          await lib.readSeHeaderFromBlob(new Blob([shifted]), {});
        } catch (e) {
          notFound = (e as { code: string }).code;
        }
        return { tag: toHex(parsed.tag), pld: toHex(parsed.pld), size: parsed.size, offset: inImage.offset, imageTag: toHex(inImage.tag), stats, notFound };
      }, hexOf(hdr));
      expect(found.size).toBe(640);
      expect(found.tag).toBe('92309d4589b9a85b427f8753171d1520');
      expect(found.pld).toBe(
        'be94b5eab3c1b118c757d7db7ea0f65d9b64823a8dc55bf8a8725b58072d9d4258c53e8a5da82dfb2192d91d07bc1c39b95d6321d3ba16a751a6e3e32f3e0161',
      );
      expect(found.offset).toBe(0x12000);
      expect(found.imageTag).toBe(found.tag);
      expect(found.stats.bytesRead).toBeLessThan(2048); // metadata probe, page starts, header
      expect(found.notFound).toBe('ERR_HEADER_NOT_FOUND');
      ran++;
    });

    afterAll(() => {
      // 3 backends × 3 requests, and the header: nothing silently skipped.
      expect(ran).toBe(10);
    });
  });

  it("rebuilds every one of the project's own vectors (test/vectors) byte for byte", async () => {
    const m = loadManifest();
    const ok = m.vectors.filter((v) => v.expected.outcome === 'ok');
    expect(ok.length).toBe(36);
    for (const v of ok) {
      const got = await page.evaluate(buildInPage, [toWire(optionsOf(m, v)), 'portableBackend'] as [Wire, string]);
      expect(got, v.file).toBe(hexOf(readFileSync(join(VECTOR_DIR, v.file as string))));
    }
  });

  it('without P-521 in WebCrypto the portable backend falls back to @noble/curves, with identical bytes', async () => {
    // Before the bundle loads: any P-521 key import or generation fails, as in a browser without the curve.
    const p = await bundlePage(() => {
      const subtle = crypto.subtle;
      const refuse = (alg: unknown) => typeof alg === 'object' && alg !== null && (alg as { namedCurve?: string }).namedCurve === 'P-521';
      const importKey = subtle.importKey.bind(subtle);
      const generateKey = subtle.generateKey.bind(subtle);
      const fail = () => Promise.reject(new DOMException('P-521 is not supported', 'NotSupportedError'));
      (subtle as { importKey: unknown }).importKey = (...a: Parameters<SubtleCrypto['importKey']>) => (refuse(a[2]) ? fail() : importKey(...a));
      (subtle as { generateKey: unknown }).generateKey = (...a: Parameters<SubtleCrypto['generateKey']>) => (refuse(a[0]) ? fail() : generateKey(...a));
    });
    try {
      const m = loadManifest();
      for (const v of m.vectors.filter((x) => x.file === 'assoc_simple_dump_cuid_two' || x.file === 'null_none_default_cuid_seven')) {
        const opts = toWire(optionsOf(m, v));
        expect(await p.evaluate(buildInPage, [opts, 'portableBackend'] as [Wire, string]), v.file).toBe(
          hexOf(readFileSync(join(VECTOR_DIR, v.file as string))),
        );
        // The WebCrypto-only backend really has no P-521 here.
        const webOnly = await p.evaluate(async (o: Wire) => {
          const g = globalThis as unknown as {
            lib: Record<string, unknown> & { createAddSecretRequest: (x: unknown) => Promise<unknown> };
            fromWire: (x: Wire) => object;
          };
          try {
            await g.lib.createAddSecretRequest({ ...g.fromWire(o), backend: g.lib.webCryptoBackend });
            return 'built';
          } catch (e) {
            return String((e as Error).name);
          }
        }, opts);
        expect(webOnly).toBe('NotSupportedError');
      }
    } finally {
      await p.close();
    }
  });

  it('verifies the sample host-key documents, and refuses without a root CA (no root store in a browser)', async () => {
    const verifyOptions = {
      hostKeyDocuments: [sample('HKD-sample-1.crt'), sample('HKD-sample-2.crt')],
      certificates: [sample('ibm-z-host-key-signing.crt'), sample('intermediate-ca.crt')],
      crls: [sample('ibm-z-host-key.crl'), sample('intermediate-ca.crl'), sample('root-ca.crl')],
      rootCa: sample('root-ca.crt'),
      now: new Date('2030-01-01T00:00:00Z').getTime(),
    };
    const run = (o: object) =>
      page.evaluate(async (w: Wire) => {
        const g = globalThis as unknown as {
          lib: { verifyHostKeyDocuments: (o: object) => Promise<{ subject: string; documentIndex: number }[]> };
          fromWire: (x: Wire) => Record<string, unknown>;
        };
        const o = g.fromWire(w);
        const steps: string[] = [];
        try {
          const keys = await g.lib.verifyHostKeyDocuments({ ...o, now: new Date(o.now as number), onStep: (s: { step: string }) => steps.push(s.step) });
          return { ok: keys.map((k) => `${k.documentIndex} ${k.subject}`), steps };
        } catch (e) {
          return { error: (e as { code: string }).code, message: (e as Error).message, steps };
        }
      }, toWire(o));
    const good = await run(verifyOptions);
    expect(good.ok).toHaveLength(2);
    expect(good.ok?.[1]).toMatch(/^1 .*IBM Z Host Key Document/);
    expect(good.steps).toEqual(['inputs', 'signing-key', 'chain', 'host-key-document', 'host-key-document']);
    const { rootCa: _, ...noRoot } = verifyOptions;
    const bad = await run(noRoot);
    expect(bad.error).toBe('ERR_INVALID_OPTION');
    expect(bad.message).toMatch(/rootCa/);
    expect(bad.steps).toEqual([]);
  });

  it('builds a verified, random request in the page that node:crypto opens with the host private key', async () => {
    const value = new Uint8Array(32).fill(0x5a);
    const opts = toWire({
      secret: { type: 'association', name: 'browser secret', value },
      seHeader: sample('sample.hdr'),
      hostKeys: [sample('HKD-sample-2.crt')],
      verify: {
        certificates: [sample('ibm-z-host-key-signing.crt'), sample('intermediate-ca.crt')],
        crls: [sample('ibm-z-host-key.crl'), sample('intermediate-ca.crl'), sample('root-ca.crl')],
        rootCa: sample('root-ca.crt'),
      },
      flags: { disableDump: true },
    });
    const got = Buffer.from(await page.evaluate(buildInPage, [opts, 'portableBackend'] as [Wire, string]), 'hex');
    const opened = openRequest(got, hostScalar(2));
    expect(opened.secretType).toBe(2);
    expect(opened.plaintext.subarray(0, 32)).toEqual(Buffer.from(value));
    expect(opened.flags).toBe(0x8000000000000000n);
  });

  it('a bundler\'s tree-shaken `createAddSecretRequest` (the `browser` condition) builds the same bytes and verifies with the verifier passed in', async () => {
    // What a bundler makes of docs/browser.md's example: the root's `browser` condition, minified.
    const built = await build({
      stdin: { contents: "export { createAddSecretRequest, verifyHostKeyDocuments } from 'se-secrets';", resolveDir: ROOT },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    const lean = await context.newPage();
    await lean.goto(pathToFileURL(join(dir, 'blank.html')).href);
    await lean.evaluate(installWireHelpers);
    expect(await lean.evaluate(loadBundle, built.outputFiles[0]!.text)).toEqual(['createAddSecretRequest', 'verifyHostKeyDocuments']);
    const hkd = sample('HKD-sample-2.crt');
    const verify = {
      certificates: [sample('ibm-z-host-key-signing.crt'), sample('intermediate-ca.crt')],
      crls: [sample('ibm-z-host-key.crl'), sample('intermediate-ca.crl'), sample('root-ca.crl')],
      rootCa: sample('root-ca.crt'),
    };
    const deterministic = { iv: new Uint8Array(12).fill(1), protectionKey: new Uint8Array(32).fill(2), customerPrivateKey: new Uint8Array(66).fill(3, 1) };
    const base = { secret: { type: 'association', name: 'lean', value: new Uint8Array(32).fill(4) }, seHeader: sample('sample.hdr'), deterministic };
    const run = (o: Wire, withVerifier: boolean) =>
      lean.evaluate(
        async ([w, v]: [Wire, boolean]) => {
          const g = globalThis as unknown as { lib: Record<string, (o: unknown) => Promise<Uint8Array>>; fromWire: (x: Wire) => Record<string, unknown>; toHex: (b: Uint8Array) => string };
          const options = { ...g.fromWire(w), ...(v ? { verifier: g.lib.verifyHostKeyDocuments } : {}) };
          return g.lib.createAddSecretRequest!(options).then(g.toHex, (e: { code?: string; message: string }) => `${e.code}: ${e.message}`);
        },
        [o, withVerifier] as [Wire, boolean],
      );
    // The default backend (no `backend` option) gives the bytes node:crypto gives.
    const expected = hexOf(await createAddSecretRequest({ ...base, hostKeys: [hkd], verify: false, backend: nodeBackend } as never));
    expect(await run(toWire({ ...base, hostKeys: [hkd], verify: false }), false)).toBe(expected);
    expect(await run(toWire({ ...base, hostKeys: [hkd], verify }), true)).toBe(expected);
    expect(await run(toWire({ ...base, hostKeys: [hkd], verify }), false)).toMatch(/^ERR_INVALID_OPTION: options\.verifier: /);
    await lean.close();
  });
});
