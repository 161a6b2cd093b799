/**
 * `plan` and `create --batch` download CRLs when not offline, as `create` does: a
 * node:http server on 127.0.0.1 serves the CRLs of a PKI whose distribution points name
 * it; the plan and the batch give no CRL file.
 */
import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBackend } from '../src/crypto/node.js';
import { type SamplePki, samplePki } from './fixtures/pki.js';
import { sealSeHeader } from './fixtures/se-image.js';
import { runCli } from './helpers/cli.js';
import { hostPoint } from './helpers/samples.js';

let server: Server;
let pki: SamplePki;
let dir: string;
const requests: string[] = [];

beforeAll(async () => {
  const bodies = new Map<string, Uint8Array>();
  server = createServer((req, res) => {
    requests.push(req.url ?? '/');
    const body = bodies.get(req.url ?? '/');
    if (!body) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/pkix-crl' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // valid around the real clock: the CLI verifies at the current time
  pki = await samplePki({ notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 365 * 86_400_000), hosts: 1, crlBase: base });
  bodies.set('/root.crl', new Uint8Array(pki.rootCrl.rawData));
  bodies.set('/intermediate.crl', new Uint8Array(pki.intermediateCrl.rawData));
  bodies.set('/signing-key.crl', new Uint8Array(pki.signingKeyCrl.rawData));

  dir = mkdtempSync(join(tmpdir(), 'se-plan-crl-'));
  const der = (x: { cert: { rawData: ArrayBuffer } }) => new Uint8Array(x.cert.rawData);
  const hkd = der(pki.hostKeyDocuments[0] as SamplePki['root']);
  writeFileSync(join(dir, 'hkd.crt'), hkd);
  writeFileSync(join(dir, 'signing.crt'), der(pki.signingKey));
  writeFileSync(join(dir, 'intermediate.crt'), der(pki.intermediate));
  writeFileSync(join(dir, 'root.crt'), der(pki.root));
  writeFileSync(join(dir, 'se.hdr'), await sealSeHeader(nodeBackend, { hostKeys: [new Uint8Array(hostPoint(hkd))] }));
  const chain = { hostKeyDocuments: ['hkd.crt'], certificates: ['signing.crt', 'intermediate.crt'], rootCa: 'root.crt' };
  const plan = { guest: 'g', hdr: 'se.hdr', ...chain, queues: [{ apqn: '16.001e', mode: 'EP11', mkvp: '5a3ff2a8d3e1c4b79ad0e6f1c2b38475' }] };
  writeFileSync(join(dir, 'plan.yaml'), stringify(plan));
  writeFileSync(join(dir, 'plan-offline.yaml'), stringify({ ...plan, offline: true }));
  const batch = { defaults: chain, requests: [{ output: 'batch/meta.bin', hdr: 'se.hdr', secret: { type: 'meta' } }] };
  writeFileSync(join(dir, 'batch.yaml'), stringify(batch));
  writeFileSync(join(dir, 'batch-offline.yaml'), stringify({ ...batch, defaults: { ...chain, offline: true } }));
}, 120_000);

afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('CRL download in plan and create --batch (real HTTP on 127.0.0.1)', () => {
  it('plan downloads the chain and host-key CRLs and verifies; offline: true downloads nothing and fails', async () => {
    requests.length = 0;
    const r = await runCli('plan', ['plan.yaml', '-o', 'out', '-q'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect([...new Set(requests)].sort()).toEqual(['/intermediate.crl', '/root.crl', '/signing-key.crl']);
    requests.length = 0;
    const offline = await runCli('plan', ['plan-offline.yaml', '-o', 'out2', '-q'], { cwd: dir });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/crl/i);
    expect(requests).toEqual([]);
  });

  it('create --batch downloads them too; offline: true downloads nothing and fails', async () => {
    requests.length = 0;
    const r = await runCli('create-batch', ['--batch', 'batch.yaml', '-q'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect([...new Set(requests)].sort()).toEqual(['/intermediate.crl', '/root.crl', '/signing-key.crl']);
    requests.length = 0;
    const offline = await runCli('create-batch', ['--batch', 'batch-offline.yaml', '-q'], { cwd: dir });
    expect(offline.code).toBe(1);
    expect(requests).toEqual([]);
  });
});
