/**
 * End to end: `se-secrets attest create`, a simulated Ultravisor (test/attest-uv.ts,
 * node:crypto only) answering for the sealed sample SE header, `attest verify` and
 * `attest check`, then `create --cuid result.yaml` binding a secret to that guest.
 */
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAttestation } from '../src/attest/index.js';
import { isSeSecretsError } from '../src/errors.js';
import { performAttestation } from './attest-uv.js';
import { HAVE_UPSTREAM, UPSTREAM_DIR, UPSTREAM_SKIP_REASON } from './helpers/upstream.js';
import { cli, listDir, openRequest, sample, tempDir } from './cli/helpers.js';

const CUID = Buffer.from('0123456789abcdef0011223344556677', 'hex');
const USER = Buffer.from('guest nonce 42\n');
const hostKeyPem = () => readFileSync(sample('HKD-sample-1.key'));

describe('attest create / perform (simulated) / verify / check', () => {
  it('verifies the answer, prints the CUID, writes result.yaml that create --cuid reads', async () => {
    const d = tempDir();
    const req = join(d, 'attreq.bin');
    const arpk = join(d, 'arpk.key');
    const c = await cli(['attest', 'create', '-k', sample('HKD-sample-1.crt'), '--no-verify', '-o', req, '--arpk', arpk, '--add-data', 'phkh-img,phkh-att']);
    expect(c.err).toContain('verification is disabled');
    expect(c.code).toBe(0);
    expect(c.out).toBe('');
    expect(statSync(arpk).mode & 0o777).toBe(0o600);
    expect(statSync(arpk).size).toBe(32);

    const resp = join(d, 'attresp.bin');
    writeFileSync(resp, performAttestation(readFileSync(req), readFileSync(sample('sample.hdr')), hostKeyPem(), { cuid: CUID, userData: USER }));
    const result = join(d, 'result.yaml');
    const user = join(d, 'user.bin');
    const v = await cli(['attest', 'verify', '-i', resp, '--hdr', sample('sample.hdr'), '--arpk', arpk, '--format', 'yaml', '-o', result, '-u', user]);
    expect(v.err).toContain('Attestation measurement verified');
    expect(v.err).toContain(`0x${CUID.toString('hex')}`);
    expect(v.code).toBe(0);
    const yaml = readFileSync(result, 'utf8');
    expect(yaml.split('\n')[0]).toBe(`cuid: '0x${CUID.toString('hex')}'`);
    expect(yaml).toMatch(/^add_fields:\n {2}image_phkh: 0x[0-9a-f]{64}\n {2}attestation_phkh: 0x[0-9a-f]{64}$/m);
    // 15 bytes of user data read back as a YAML integer (< 2^128): serde_yaml quotes it; 32-byte hashes it does not.
    expect(yaml).toContain(`user_data: '0x${USER.toString('hex')}'\n`);
    expect(readFileSync(user).equals(USER)).toBe(true);

    // The CUID flows into an add-secret request.
    const out = join(d, 'secret.bin');
    const cr = await cli(['create', '-k', sample('HKD-sample-1.crt'), '--hdr', sample('sample.hdr'), '-o', out, '--no-verify', '--cuid', result, 'meta']);
    expect(cr.code).toBe(0);
    expect(openRequest(readFileSync(out)).cuid.equals(CUID)).toBe(true);

    // check: the sample host key ran both steps; the other sample host did not.
    const ok = await cli(['attest', 'check', resp, join(d, 'check.yaml'), '-k', sample('HKD-sample-1.crt'), '--host-key-check', 'att-key-hash,boot-key-hash', '-u', user]);
    expect(ok.code).toBe(0);
    expect(readFileSync(join(d, 'check.yaml'), 'utf8')).toBe(
      `successful: true\nimage_host_key:\n  check_enforced: true\n  hash: ${sample('HKD-sample-1.crt')}\nattest_host_key:\n  check_enforced: true\n  hash: ${sample('HKD-sample-1.crt')}\nuser_data: '0x${USER.toString('hex')}'\n`,
    );
    const bad = await cli(['attest', 'check', '-i', resp, '-o', join(d, 'check2.yaml'), '-k', sample('HKD-sample-2.crt')]);
    expect(bad.code).toBe(2);
    expect(readFileSync(join(d, 'check2.yaml'), 'utf8')).toMatch(/^successful: false\nissues:\n- no given host-key document matches/);
  });

  it('refuses a response with any one byte flipped; attest verify exits 2 on a measurement mismatch', async () => {
    const d = tempDir();
    const req = join(d, 'attreq.bin');
    const arpk = join(d, 'arpk.key');
    expect((await cli(['attest', 'create', '-k', sample('HKD-sample-1.crt'), '--no-verify', '-o', req, '-a', arpk, '--add-data', 'secret-store-hash'])).code).toBe(0);
    const secretReq = join(d, 'assoc.bin');
    expect((await cli(['create', '-k', sample('HKD-sample-1.crt'), '--hdr', sample('sample.hdr'), '-o', secretReq, '--no-verify', 'association', 'x', '--stdout'])).code).toBe(0);
    const hdr = readFileSync(sample('sample.hdr'));
    const resp = performAttestation(readFileSync(req), hdr, hostKeyPem(), { cuid: CUID, userData: USER, secrets: [readFileSync(secretReq)], locked: true });
    const protectionKey = new Uint8Array(readFileSync(arpk));
    const good = await verifyAttestation({ exchange: resp, protectionKey, seHeader: hdr });
    expect(good.additional?.secretStoreHash).toHaveLength(64);
    let refused = 0;
    for (let i = 0; i < resp.length; i++) {
      const t = Buffer.from(resp);
      t[i] = (t[i] as number) ^ 0x01;
      try {
        await verifyAttestation({ exchange: t, protectionKey, seHeader: hdr });
      } catch (e) {
        if (isSeSecretsError(e)) refused++;
        else throw e;
      }
    }
    expect(refused).toBe(resp.length);

    // The secret store: these requests, locked; not unlocked, not in another order.
    const respFile = join(d, 'attresp.bin');
    writeFileSync(respFile, resp);
    const chk = (...extra: string[]) => cli(['attest', 'check', respFile, join(d, 'c.yaml'), ...extra]);
    expect((await chk('--secret', secretReq, '--secret-store-locked', 'true')).code).toBe(0);
    expect(readFileSync(join(d, 'c.yaml'), 'utf8')).toBe(`successful: true\nsecret_store:\n  add_secret_requests:\n  - ${secretReq}\n  locked: true\n`);
    expect((await chk('--secret', secretReq, '--secret-store-locked', 'false')).code).toBe(2);
    expect((await chk('--secret-store-locked', 'true')).code).toBe(2);
    expect((await chk('--secret', secretReq)).code).toBe(1); // usage: needs --secret-store-locked

    // verify: a changed measurement exits 2, a wrong key 1; nothing is written either way.
    const t = Buffer.from(resp);
    t[resp.length - 1] = (t[resp.length - 1] as number) ^ 0x80; // the CUID
    writeFileSync(join(d, 'bad.bin'), t);
    const before = listDir(d);
    const v = await cli(['attest', 'verify', '-i', join(d, 'bad.bin'), '--hdr', sample('sample.hdr'), '--arpk', arpk, '-o', join(d, 'r.yaml')]);
    expect(v.code).toBe(2);
    expect(v.err).toContain('measurement');
    writeFileSync(join(d, 'wrong.key'), Buffer.alloc(32, 1));
    const w = await cli(['attest', 'verify', '-i', respFile, '--hdr', sample('sample.hdr'), '--arpk', join(d, 'wrong.key'), '-o', join(d, 'r.yaml')]);
    expect(w.code).toBe(1);
    expect(w.err).toContain('protection key');
    expect(listDir(d)).toEqual([...before, 'wrong.key'].sort());
    expect(existsSync(join(d, 'r.yaml'))).toBe(false);
  });

  it('attest create --verify-time verifies the host-key documents as of that time, like create (the sample PKI is valid 2025 to 2045)', async () => {
    const d = tempDir();
    const pki = ['-C', sample('ibm-z-host-key-signing.crt'), '-C', sample('intermediate-ca.crt'), '--root-ca', sample('root-ca.crt'), '--offline',
      '--crl', sample('ibm-z-host-key.crl'), '--crl', sample('intermediate-ca.crl'), '--crl', sample('root-ca.crl')];
    const run = (time: string, out: string) => cli(['attest', 'create', '-v', '-k', sample('HKD-sample-1.crt'), ...pki, '--verify-time', time, '-o', join(d, out), '--arpk', join(d, `${out}.arpk`)]);
    const ok = await run('2030-03-12T00:00:00Z', 'ok.bin');
    expect(ok.code, ok.err).toBe(0);
    expect(ok.err).toContain('Verifying as of 2030-03-12T00:00:00.000Z (--verify-time)\n');
    const early = await run('2024-03-12', 'early.bin');
    expect(early.code).toBe(1);
    expect(early.err).toMatch(/^se-secrets: error: .*(not yet valid|not valid before|before)/im);
    expect(listDir(d)).toEqual(['ok.bin', 'ok.bin.arpk']);
    const bad = await run('yesterday', 'bad.bin');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^se-secrets: error: invalid value 'yesterday' for '--verify-time <TIME>'/m);
    const noCert = await cli(['attest', 'create', '-k', sample('HKD-sample-1.crt'), '--no-verify', '--verify-time', '2030-01-01', '-o', join(d, 'x'), '--arpk', join(d, 'y')]);
    expect(noCert.err).toMatch(/the argument '--verify-time <TIME>' requires '--cert <FILE>'/);
  });

  it('inspect recognises exchange files and bare attestation requests', async () => {
    const d = tempDir();
    const req = join(d, 'attreq.bin');
    expect((await cli(['attest', 'create', '-k', sample('HKD-sample-1.crt'), '--no-verify', '-o', req, '-a', join(d, 'k')])).code).toBe(0);
    const r = await cli(['inspect', req]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('attestation request (exchange file)');
    expect(r.out).not.toMatch(/ $/m);
    const resp = join(d, 'resp.bin');
    writeFileSync(resp, performAttestation(readFileSync(req), readFileSync(sample('sample.hdr')), hostKeyPem(), { cuid: CUID }));
    const j = JSON.parse((await cli(['inspect', '--json', resp])).out);
    expect(j.kind).toBe('attestation-response');
    expect(j.cuid).toBe(`0x${CUID.toString('hex')}`);
    const bare = join(d, 'arcb.bin');
    const x = readFileSync(req);
    writeFileSync(bare, x.subarray(x.readUInt32BE(0x1c), x.readUInt32BE(0x1c) + x.readUInt32BE(0x18)));
    const b = JSON.parse((await cli(['inspect', '--json', bare])).out);
    expect(b.kind).toBe('attestation-request');
    expect(b.keySlots).toHaveLength(1);
  });

  it.skipIf(!HAVE_UPSTREAM)(`inspect shows every exchange file pvattest wrote, its dummy request marked unreadable${HAVE_UPSTREAM ? '' : ` — SKIPPED: ${UPSTREAM_SKIP_REASON}`}`, async () => {
    const dir = join(UPSTREAM_DIR, 'pvattest', 'exchange');
    const files = readdirSync(dir).filter((f) => f.endsWith('.bin')).sort();
    expect(files).toHaveLength(9);
    for (const f of files) {
      const file = join(dir, f);
      const bytes = readFileSync(file);
      const j = JSON.parse((await cli(['inspect', '--json', file])).out);
      const response = f === 'full.bin' || f.includes('resp');
      expect(j.kind, f).toBe(response ? 'attestation-response' : 'attestation-request-exchange');
      expect(j.size, f).toBe(bytes.length);
      // The measurement entry (size at 0x20, offset at 0x24) read independently of the library.
      const mSize = bytes.readUInt32BE(0x20);
      const mOffset = bytes.readUInt32BE(0x24);
      expect(j.measurement, f).toEqual(response ? `0x${bytes.subarray(mOffset, mOffset + mSize).toString('hex')}` : { expectedSize: mSize });
      if (response) expect(j.cuid, f).toBe(`0x${bytes.subarray(bytes.readUInt32BE(0x3c), bytes.readUInt32BE(0x3c) + 16).toString('hex')}`);
      expect(j.request, f).toEqual({ size: bytes.readUInt32BE(0x18), unreadable: expect.stringMatching(/^attestation request: /) });
      const t = await cli(['inspect', file]);
      expect(t.code, f).toBe(0);
      expect(t.out, f).toMatch(/request:\n {4}size: 16\n {4}unreadable: attestation request: /);
    }
  });
});

describe('attest check --firmware, against a firmware verification service on 127.0.0.1', () => {
  it('posts the firmware state as pvattest does and turns the answer into valid_firmware; errors exit 1, invalid firmware 2', async () => {
    const seen: { url: string; method: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        seen.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers, body });
        const answer: Record<string, [number, string]> = {
          '/ibm/hmrs/firmware/attestation/v1/verify': [200, '{"version":"1.0","valid":true,"referenceId":"ref-1"}'],
          '/ibm/hmrs/firmware/attestation/v2/verify': [200, '{"version":"2.0","valid":false,"reason":"firmware\\nwithdrawn","verifiedHashes":[]}'],
        };
        const [status, text] = answer[req.url ?? ''] ?? [503, 'unavailable'];
        res.writeHead(status, { 'content-type': 'application/json' }).end(text);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const d = tempDir();
      const req = join(d, 'attreq.bin');
      const arpk = join(d, 'arpk.key');
      expect((await cli(['attest', 'create', '-k', sample('HKD-sample-1.crt'), '--no-verify', '-o', req, '--arpk', arpk, '--add-data', 'firmware-state'])).code).toBe(0);
      const state = Buffer.alloc(320, 0x5f);
      const resp = join(d, 'attresp.bin');
      writeFileSync(resp, performAttestation(readFileSync(req), readFileSync(sample('sample.hdr')), hostKeyPem(), { cuid: CUID, firmwareState: state }));
      const url = `http://127.0.0.1:${port}/ibm/`;

      const ok = await cli(['attest', 'check', resp, join(d, 'ok.yaml'), '--firmware', '--firmware-verify-url', url]);
      expect(ok.code, ok.err).toBe(0);
      expect(ok.err).toContain('✓ the firmware is in a valid state (reference id: ref-1)');
      expect(readFileSync(join(d, 'ok.yaml'), 'utf8')).toBe('successful: true\nvalid_firmware: true\n');
      expect(seen[0]).toMatchObject({ url: '/ibm/hmrs/firmware/attestation/v1/verify', method: 'POST' });
      expect(seen[0]?.headers['content-type']).toBe('application/json');
      expect(seen[0]?.headers['x-client-id']).toBe('X');
      expect(JSON.parse(seen[0]?.body as string)).toEqual({ version: '1.0', payload: state.toString('base64') });

      const invalid = await cli(['attest', 'check', resp, join(d, 'bad.yaml'), '--firmware', '--fw-ver', '2', '--firmware-verify-url', url]);
      expect(invalid.code).toBe(2);
      expect(seen[1]?.url).toBe('/ibm/hmrs/firmware/attestation/v2/verify');
      expect(JSON.parse(seen[1]?.body as string).version).toBe('1.0'); // as the reference sends it to v2 too
      expect(readFileSync(join(d, 'bad.yaml'), 'utf8')).toBe(
        "successful: false\nissues:\n- 'the firmware is not in a valid state (reason: firmware withdrawn)'\nvalid_firmware: false\n",
      );

      const down = await cli(['attest', 'check', resp, join(d, 'down.yaml'), '--firmware', '--firmware-verify-url', `http://127.0.0.1:${port}/other`]);
      expect(down.code).toBe(1);
      expect(down.err).toMatch(/^se-secrets: error: firmware check: the firmware verification server answered with HTTP status 503 \(expected 200\)$/m);
      expect(existsSync(join(d, 'down.yaml'))).toBe(false);

      // A response without firmware state fails the policy without asking anyone.
      const req2 = join(d, 'attreq2.bin');
      expect((await cli(['attest', 'create', '-k', sample('HKD-sample-1.crt'), '--no-verify', '-o', req2, '--arpk', join(d, 'arpk2.key')])).code).toBe(0);
      const resp2 = join(d, 'attresp2.bin');
      writeFileSync(resp2, performAttestation(readFileSync(req2), readFileSync(sample('sample.hdr')), hostKeyPem(), { cuid: CUID }));
      const none = await cli(['attest', 'check', resp2, join(d, 'none.yaml'), '--firmware', '--firmware-verify-url', url]);
      expect(none.code).toBe(2);
      expect(readFileSync(join(d, 'none.yaml'), 'utf8')).toContain('valid_firmware: false\n');
      expect(seen).toHaveLength(3);

      const usage = await cli(['attest', 'check', resp, join(d, 'u.yaml'), '--firmware-verify-url', url]);
      expect(usage.code).toBe(1);
      expect(usage.err).toMatch(/the argument '--firmware-verify-url <URL>' requires '--firmware'/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('docs/attestation.md', () => {
  it('its se-secrets attest commands run as shown (the sample PKI standing in for IBM\'s, the simulated Ultravisor for pvattest perform)', async () => {
    const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'attestation.md'), 'utf8');
    const lines = [...doc.matchAll(/^\$ (se-secrets attest .*)$/gm)].map((m) => (m[1] as string).split(' ').slice(1));
    expect(lines.map((l) => l[1])).toEqual(['create', 'verify', 'check']);
    const d = tempDir();
    const copy = (from: string, to: string) => writeFileSync(join(d, to), readFileSync(sample(from)));
    copy('HKD-sample-1.crt', 'HKD.crt');
    copy('ibm-z-host-key-signing.crt', 'ibm-z-host-key-signing.crt');
    copy('intermediate-ca.crt', 'DigiCertCA.crt');
    copy('ibm-z-host-key.crl', 'ibm-z-host-key.crl');
    copy('sample.hdr', 'guest.hdr');
    const pki = ['--crl', sample('intermediate-ca.crl'), '--crl', sample('root-ca.crl'), '--root-ca', sample('root-ca.crt'), '--offline'];
    const [create, verify, check] = lines as [string[], string[], string[]];
    const c = await cli([...create, ...pki], { cwd: d });
    expect(c.code, c.err).toBe(0);
    writeFileSync(join(d, 'attresp.bin'), performAttestation(readFileSync(join(d, 'attreq.bin')), readFileSync(join(d, 'guest.hdr')), hostKeyPem(), { cuid: CUID }));
    const v = await cli(verify, { cwd: d });
    expect(v.code, v.err).toBe(0);
    expect(v.err).toContain(`Attestation measurement verified\nConfig UID:\n0x${CUID.toString('hex')}`);
    expect(readFileSync(join(d, 'result.yaml'), 'utf8')).toMatch(/^cuid: '0x[0-9a-f]{32}'\n/);
    const k = await cli(check, { cwd: d });
    expect(k.code, k.err).toBe(0);
  });
});
