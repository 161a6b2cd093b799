/**
 * CRL download over real HTTP: a node:http server on 127.0.0.1 serves the CRLs of a
 * PKI whose distribution points name it. Uses the Node entry's default fetcher.
 */
import 'reflect-metadata';
import { type Server, createServer } from 'node:http';
import { type Server as TlsServer, createServer as createHttpsServer } from 'node:https';
import * as x509 from '@peculiar/x509';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpCrlFetcher, verifyHostKeyDocuments, CRL_FETCH_TIMEOUT_MS } from './helpers/api.js';
import { type SamplePki, generateKeys, hostKeyDocumentName, issue, pem, privateKeyPkcs8Pem, samplePki } from './fixtures/pki.js';

const NOW = new Date('2030-01-01T00:00:00Z');
const enc = new TextEncoder();
let server: Server;
let base: string;
let pki: SamplePki;
const requests: { path: string; agent: string | undefined }[] = [];
const bodies = new Map<string, Uint8Array>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, agent: req.headers['user-agent'] });
    if (path === '/hang') return; // never answers
    if (path.startsWith('/r/')) {
      res.writeHead(302, { location: `/${path.slice(3)}` });
      return res.end();
    }
    const body = bodies.get(path);
    if (!body) {
      res.writeHead(404);
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': 'application/pkix-crl' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const window = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2045-01-01T00:00:00Z') };
  pki = await samplePki({ ...window, hosts: 1, crlBase: base });
  bodies.set('/root.crl', new Uint8Array(pki.rootCrl.rawData));
  bodies.set('/intermediate.crl', enc.encode(pem(pki.intermediateCrl)));
  bodies.set('/signing-key.crl', new Uint8Array(pki.signingKeyCrl.rawData));
  bodies.set('/garbage', enc.encode('no CRL here'));
}, 60_000);

afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const der = (x: { cert: { rawData: ArrayBuffer } }) => new Uint8Array(x.cert.rawData);

function options(p: SamplePki, hostKeyDocuments: Uint8Array[]) {
  return {
    hostKeyDocuments,
    certificates: [der(p.signingKey), der(p.intermediate)],
    rootCa: der(p.root),
    now: NOW,
  };
}

describe('CRL download over HTTP (default Node fetcher)', () => {
  it('downloads the chain CRLs and the host-key CRL from the distribution points', async () => {
    requests.length = 0;
    const keys = await verifyHostKeyDocuments(options(pki, [der(pki.hostKeyDocuments[0]!)]));
    expect(keys).toHaveLength(1);
    expect(requests.map((r) => r.path).sort()).toEqual(['/intermediate.crl', '/root.crl', '/signing-key.crl']);
    expect(new Set(requests.map((r) => r.agent))).toEqual(new Set(['se-secrets-crl']));
  });

  it('offline: downloads nothing, so the chain lacks its CRLs', async () => {
    requests.length = 0;
    await expect(verifyHostKeyDocuments({ ...options(pki, [der(pki.hostKeyDocuments[0]!)]), offline: true })).rejects.toMatchObject({
      code: 'ERR_SIGNING_KEY_UNTRUSTED',
      reason: 'crl-missing',
      depth: 0,
    });
    expect(requests).toHaveLength(0);
  });

  it('follows redirects', async () => {
    const hkd = await issue(pki.signingKey, {
      name: hostKeyDocumentName('redirected-dp'),
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2045-01-01T00:00:00Z'),
      keyAlg: 'p521',
      crlUrls: [`${base}/r/r/signing-key.crl`],
    });
    requests.length = 0;
    const keys = await verifyHostKeyDocuments({ ...options(pki, [der(hkd)]), crls: [new Uint8Array(pki.intermediateCrl.rawData), new Uint8Array(pki.rootCrl.rawData)], fetchCrl: createHttpCrlFetcher() });
    expect(keys).toHaveLength(1);
    expect(requests.map((r) => r.path)).toEqual(expect.arrayContaining(['/r/r/signing-key.crl', '/r/signing-key.crl', '/signing-key.crl']));
  });

  it('skips a missing and an unparsable distribution point; the first CRL wins', async () => {
    const hkd = await issue(pki.signingKey, {
      name: hostKeyDocumentName('multi-dp'),
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2045-01-01T00:00:00Z'),
      keyAlg: 'p521',
      crlUrls: [`${base}/missing.crl`, `${base}/garbage`, 'ldap://127.0.0.1/not-fetched', `${base}/signing-key.crl`, `${base}/never-reached.crl`],
    });
    requests.length = 0;
    const keys = await verifyHostKeyDocuments(options(pki, [der(hkd)]));
    expect(keys).toHaveLength(1);
    const paths = requests.map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining(['/missing.crl', '/garbage', '/signing-key.crl']));
    expect(paths).not.toContain('/never-reached.crl');
  });

  it(`gives up on a distribution point after ${CRL_FETCH_TIMEOUT_MS} ms and takes the next`, async () => {
    const hkd = await issue(pki.signingKey, {
      name: hostKeyDocumentName('slow-dp'),
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2045-01-01T00:00:00Z'),
      keyAlg: 'p521',
      crlUrls: [`${base}/hang`, `${base}/signing-key.crl`],
    });
    const t0 = Date.now();
    const keys = await verifyHostKeyDocuments(options(pki, [der(hkd)]));
    const elapsed = Date.now() - t0;
    expect(keys).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(CRL_FETCH_TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(CRL_FETCH_TIMEOUT_MS + 2000);
  }, 15_000);

  it('no CRL anywhere for the host-key document → ERR_NO_VALID_CRL', async () => {
    const hkd = await issue(pki.signingKey, {
      name: hostKeyDocumentName('no-dp'),
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2045-01-01T00:00:00Z'),
      keyAlg: 'p521',
      crlUrls: [`${base}/missing.crl`],
    });
    await expect(verifyHostKeyDocuments(options(pki, [der(hkd)]))).rejects.toMatchObject({ code: 'ERR_NO_VALID_CRL' });
  });
});

describe('createHttpCrlFetcher', () => {
  const fetchCrl = createHttpCrlFetcher({ timeoutMs: 300 });
  it('returns the body of a 200 answer', async () => {
    const body = await fetchCrl(`${base}/signing-key.crl`);
    expect(body && Buffer.from(body).equals(Buffer.from(pki.signingKeyCrl.rawData))).toBe(true);
  });
  it('returns undefined for 404, a hanging server, a refused connection and other schemes', async () => {
    expect(await fetchCrl(`${base}/missing.crl`)).toBeUndefined();
    const t0 = Date.now();
    expect(await fetchCrl(`${base}/hang`)).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await fetchCrl('http://127.0.0.1:1/x.crl')).toBeUndefined();
    expect(await fetchCrl('ftp://127.0.0.1/x.crl')).toBeUndefined();
    expect(await fetchCrl('not a url')).toBeUndefined();
  });
  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const pending = createHttpCrlFetcher({ timeoutMs: 10_000 })(`${base}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toBeUndefined();
  });
});

describe('CRL download over HTTPS', () => {
  let tls: TlsServer;
  let tlsBase: string;
  let caPem: string;
  beforeAll(async () => {
    const keys = await generateKeys('p256');
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=127.0.0.1',
      keys,
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 86_400_000),
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }]), new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    caPem = pem(cert);
    tls = createHttpsServer({ key: await privateKeyPkcs8Pem(keys), cert: caPem }, (req, res) => {
      const body = bodies.get(req.url ?? '/');
      res.writeHead(body ? 200 : 404);
      res.end(body ?? 'not found');
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    tlsBase = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    tls.closeAllConnections();
    return new Promise<void>((resolve) => tls.close(() => resolve()));
  });

  it('fetches from an https distribution point whose server is trusted', async () => {
    const hkd = await issue(pki.signingKey, {
      name: hostKeyDocumentName('https-dp'),
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2045-01-01T00:00:00Z'),
      keyAlg: 'p521',
      crlUrls: [`${tlsBase}/signing-key.crl`],
    });
    const chainCrls = [new Uint8Array(pki.intermediateCrl.rawData), new Uint8Array(pki.rootCrl.rawData)];
    const keys = await verifyHostKeyDocuments({ ...options(pki, [der(hkd)]), crls: chainCrls, fetchCrl: createHttpCrlFetcher({ ca: caPem }) });
    expect(keys).toHaveLength(1);
    // An untrusted server certificate is a failed download, like any other.
    await expect(verifyHostKeyDocuments({ ...options(pki, [der(hkd)]), crls: chainCrls })).rejects.toMatchObject({ code: 'ERR_NO_VALID_CRL' });
  });
});
