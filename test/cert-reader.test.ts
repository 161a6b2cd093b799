/**
 * One certificate reader, one decision: every encoding of a certificate file, given as
 * the host-key document (`-k`), the IBM Z signing key (`-C`) or the root CA
 * (`--root-ca`), is accepted or refused as pvsecret 2.43 decides (measured with the real
 * pvsecret, issue 11 §2) — on every path: the library with and without verification,
 * `create` (verified and `--no-verify`), `verify-hkd`, `plan` and `create --batch`, the
 * CLI run in-process through `main(argv, streams)`.
 *
 * Without verification only `-k` is read (pvsecret does not read `-C` or `--root-ca`
 * then), so those paths have only the `-k` rows.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createAddSecretRequest, hostKeysFromDocuments, readSeHeader, verifyHostKeyDocuments } from '../src/node.js';
import { parseCertificates } from '../src/certs/index.js';
import { parseAddSecretRequest } from '../src/request/asrcb.js';
import { runMain } from './helpers/cli.js';
import { SAMPLES } from './helpers/samples.js';

type Option = '-k' | '-C' | '--root-ca';
const OPTIONS: readonly Option[] = ['-k', '-C', '--root-ca'];
/** The file each option's row encodes; the others stay as shipped. */
const SUBJECT: Record<Option, string> = { '-k': 'HKD-sample-1.crt', '-C': 'ibm-z-host-key-signing.crt', '--root-ca': 'root-ca.crt' };

const text = (f: string) => readFileSync(join(SAMPLES, f), 'latin1');
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const body = (pem: string) => pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s/g, '');
const derOf = (pem: string) => new Uint8Array(Buffer.from(body(pem), 'base64'));
const lines = (b64: string) => b64.match(/.{1,64}/g) as string[];
const block = (label: string, b64: string, sep = '\n') => `-----BEGIN ${label}-----${sep}${lines(b64).join(sep)}${sep}-----END ${label}-----${sep}`;

/** A certificate's DER with its outer length in a non-minimal form (one extra zero octet). */
function nonMinimalOuter(der: Uint8Array): Uint8Array {
  const n = der[1] as number;
  if (n !== 0x82) throw new Error('expected a two-octet outer length');
  return Uint8Array.from([0x30, 0x83, 0x00, ...der.subarray(2)]);
}

interface Encoding {
  readonly name: string;
  readonly make: (pem: string) => Uint8Array;
  /** pvsecret's decision under each option. */
  readonly accepted: Record<Option, boolean>;
}
const all = (accepted: boolean): Record<Option, boolean> => ({ '-k': accepted, '-C': accepted, '--root-ca': accepted });

const ENCODINGS: readonly Encoding[] = [
  { name: 'DER', make: derOf, accepted: all(true) },
  { name: 'DER with trailing bytes', make: (p) => Uint8Array.from([...derOf(p), 0, 0]), accepted: all(true) },
  { name: 'DER with a non-minimal outer length', make: (p) => nonMinimalOuter(derOf(p)), accepted: all(true) },
  { name: 'PEM with CRLF', make: (p) => bytes(p.replace(/\n/g, '\r\n')), accepted: all(true) },
  { name: 'PEM after a UTF-8 BOM', make: (p) => bytes(`\xef\xbb\xbf${p}`), accepted: all(true) },
  { name: 'PEM after text', make: (p) => bytes(`subject=C = US, O = IBM\nissuer=whoever\n${p}`), accepted: all(true) },
  { name: 'PEM before text', make: (p) => bytes(`${p}some notes\n`), accepted: all(true) },
  { name: 'PEM, base64 on one line', make: (p) => bytes(`-----BEGIN CERTIFICATE-----\n${body(p)}\n-----END CERTIFICATE-----\n`), accepted: all(true) },
  { name: 'PEM, indented base64 lines', make: (p) => bytes(block('CERTIFICATE', body(p)).replace(/^(?!-----)/gm, '   ').replace(/ +$/, '')), accepted: all(true) },
  { name: 'PEM without a final newline', make: (p) => bytes(p.trimEnd()), accepted: all(true) },
  { name: 'PEM labelled X509 CERTIFICATE', make: (p) => bytes(block('X509 CERTIFICATE', body(p))), accepted: all(true) },
  { name: 'PEM labelled TRUSTED CERTIFICATE', make: (p) => bytes(block('TRUSTED CERTIFICATE', body(p))), accepted: { '-k': false, '-C': false, '--root-ca': true } },
  { name: 'PEM with an indented BEGIN line', make: (p) => bytes(` ${p}`), accepted: all(false) },
  { name: 'PEM with an indented END line', make: (p) => bytes(p.replace('-----END', ' -----END')), accepted: all(false) },
  { name: 'PEM without an END line', make: (p) => bytes(p.replace(/-----END CERTIFICATE-----\n?/, '')), accepted: all(false) },
  { name: 'PEM with bad base64', make: (p) => bytes(p.replace(/\n[A-Za-z0-9+/]{10}/, (m) => `${m.slice(0, 5)}*${m.slice(6)}`)), accepted: all(false) },
  { name: 'truncated DER', make: (p) => derOf(p).subarray(0, derOf(p).length - 10), accepted: all(false) },
  { name: 'an empty file', make: () => new Uint8Array(0), accepted: all(false) },
  {
    name: 'a PUBLIC KEY block',
    make: (p) => bytes(block('PUBLIC KEY', new X509Certificate(p).publicKey.export({ type: 'spki', format: 'der' }).toString('base64'))),
    accepted: all(false),
  },
];

const dir = mkdtempSync(join(tmpdir(), 'se-cert-reader-'));
const path = (e: Encoding, o: Option) => join(dir, `${ENCODINGS.indexOf(e)}${o}.crt`);
for (const e of ENCODINGS) for (const o of OPTIONS) writeFileSync(path(e, o), e.make(text(SUBJECT[o])));

const s = (f: string) => join(SAMPLES, f);
const CRLS = ['ibm-z-host-key.crl', 'intermediate-ca.crl', 'root-ca.crl'].map(s);
/** The verification files with the encoded one in its place. */
function files(e: Encoding, o: Option) {
  const k = o === '-k' ? path(e, o) : s(SUBJECT['-k']);
  const certs = [o === '-C' ? path(e, o) : s(SUBJECT['-C']), s('intermediate-ca.crt')];
  const rootCa = o === '--root-ca' ? path(e, o) : s(SUBJECT['--root-ca']);
  return { k, certs, rootCa };
}
const read = (f: string) => new Uint8Array(readFileSync(f));

interface Path {
  readonly name: string;
  readonly verified: boolean;
  /** Resolves to true when the inputs were accepted. */
  readonly run: (e: Encoding, o: Option) => Promise<boolean>;
}

const ok = (p: Promise<unknown>) =>
  p.then(
    () => true,
    (err: { code?: string }) => {
      expect(err.code, String(err)).toMatch(/^ERR_/);
      return false;
    },
  );
async function cliOk(argv: string[], cwd = dir): Promise<boolean> {
  const r = await runMain(argv, { cwd });
  if (r.code !== 0) expect(r.stderr).toMatch(/^se-secrets: error: /m);
  return r.code === 0;
}

const hdr = await readSeHeader(s('sample.hdr'));
const seHeader = { pld: hdr.pld, ald: hdr.ald, tld: hdr.tld, tag: hdr.tag };
const queue = { apqn: '16.001e', mode: 'EP11', mkvp: '0x5a3ff2a8d3e1c4b79ad0e6f1c2b38475' };
let n = 0;

const PATHS: readonly Path[] = [
  {
    name: 'library, verified',
    verified: true,
    run: (e, o) => {
      const f = files(e, o);
      const verify = { certificates: f.certs.map(read), crls: CRLS.map(read), rootCa: read(f.rootCa), offline: true };
      return ok(createAddSecretRequest({ secret: { type: 'meta' }, seHeader, hostKeys: [read(f.k)], verify }));
    },
  },
  {
    name: 'library, verify: false',
    verified: false,
    run: (e, o) => ok(createAddSecretRequest({ secret: { type: 'meta' }, seHeader, hostKeys: [read(files(e, o).k)], verify: false })),
  },
  {
    name: 'create',
    verified: true,
    run: (e, o) => {
      const f = files(e, o);
      const chain = [...f.certs.flatMap((c) => ['-C', c]), ...CRLS.flatMap((c) => ['--crl', c]), '--root-ca', f.rootCa, '--offline'];
      return cliOk(['create', '-k', f.k, ...chain, '--hdr', s('sample.hdr'), '-o', join(dir, `r${n++}.bin`), 'meta']);
    },
  },
  {
    name: 'create --no-verify',
    verified: false,
    run: (e, o) => cliOk(['create', '-k', files(e, o).k, '--no-verify', '--hdr', s('sample.hdr'), '-o', join(dir, `r${n++}.bin`), 'meta']),
  },
  {
    name: 'verify-hkd',
    verified: true,
    run: (e, o) => {
      const f = files(e, o);
      return cliOk(['verify-hkd', '-k', f.k, ...f.certs.flatMap((c) => ['-C', c]), ...CRLS.flatMap((c) => ['--crl', c]), '--root-ca', f.rootCa, '--offline']);
    },
  },
  {
    name: 'plan',
    verified: true,
    run: (e, o) => {
      const f = files(e, o);
      const plan = join(dir, `plan${n++}.yaml`);
      writeFileSync(plan, stringify({ guest: 'g', hdr: s('sample-se.img'), hostKeyDocuments: [f.k], certificates: f.certs, crls: CRLS, rootCa: f.rootCa, offline: true, queues: [queue] }));
      return cliOk(['plan', plan, '-o', join(dir, `plan-out${n++}`)]);
    },
  },
  {
    name: 'create --batch',
    verified: true,
    run: (e, o) => {
      const f = files(e, o);
      const batch = join(dir, `batch${n++}.yaml`);
      const request = { output: join(dir, `b${n++}.bin`), hdr: s('sample.hdr'), hostKeyDocuments: [f.k], certificates: f.certs, crls: CRLS, rootCa: f.rootCa, offline: true, secret: { type: 'meta' } };
      writeFileSync(batch, stringify({ requests: [request] }));
      return cliOk(['create', '--batch', batch]);
    },
  },
];

describe('one certificate reader: pvsecret 2.43 decisions on every path', () => {
  for (const p of PATHS) {
    describe(p.name, () => {
      for (const o of p.verified ? OPTIONS : (['-k'] as const)) {
        it(`${o}: ${ENCODINGS.filter((e) => e.accepted[o]).length} encodings accepted, ${ENCODINGS.filter((e) => !e.accepted[o]).length} refused`, async () => {
          const got: Record<string, boolean> = {};
          const want: Record<string, boolean> = {};
          for (const e of ENCODINGS) {
            got[e.name] = await p.run(e, o);
            want[e.name] = e.accepted[o];
          }
          expect(got).toEqual(want);
        });
      }
    });
  }
});

describe('two certificates in one -k file', () => {
  const two = join(dir, 'two.crt');
  writeFileSync(two, text('HKD-sample-1.crt') + text('HKD-sample-2.crt'));

  it('the CLI warns and uses the first, as pvsecret (create and verify-hkd, verified or not)', async () => {
    const chain = ['-C', s('ibm-z-host-key-signing.crt'), '-C', s('intermediate-ca.crt'), ...CRLS.flatMap((c) => ['--crl', c]), '--root-ca', s('root-ca.crt'), '--offline'];
    for (const v of [chain, ['--no-verify']]) {
      const out = join(dir, `two${n++}.bin`);
      const r = await runMain(['create', '-k', two, ...v, '--hdr', s('sample.hdr'), '-o', out, 'meta'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`host-key document '${two}' holds 2 certificates; only the first one is used`);
      const single = join(dir, `one${n++}.bin`);
      expect((await runMain(['create', '-k', s('HKD-sample-1.crt'), ...v, '--hdr', s('sample.hdr'), '-o', single, 'meta'], { cwd: dir })).code).toBe(0);
      expect(readFileSync(out).length).toBe(readFileSync(single).length); // one key slot, not two
      const h = await runMain(['verify-hkd', '-k', two, ...v], { cwd: dir });
      expect(h.code, h.stderr).toBe(0);
      expect(h.stderr).toContain('holds 2 certificates; only the first one is used');
      expect(h.stdout.match(/host-key hash/g)).toHaveLength(1);
    }
  });

  it('plan and create --batch warn and use the first too (one key slot), verified or not', async () => {
    const verify = { certificates: [s('ibm-z-host-key-signing.crt'), s('intermediate-ca.crt')], crls: CRLS, rootCa: s('root-ca.crt'), offline: true };
    for (const v of [verify, { noVerify: true }]) {
      const plan = join(dir, `plan-two${n++}.yaml`);
      const out = join(dir, `plan-two-out${n++}`);
      writeFileSync(plan, stringify({ guest: 'g', hdr: s('sample.hdr'), hostKeyDocuments: [two], ...v, queues: [queue] }));
      const p = await runMain(['plan', plan, '-o', out], { cwd: dir });
      expect(p.code, p.stderr).toBe(0);
      expect(p.stderr).toContain(`warning: host-key document '${two}' holds 2 certificates; only the first one is used`);
      expect(parseAddSecretRequest(read(join(out, 'request-16.001e.bin'))).keySlots).toHaveLength(1);

      const batch = join(dir, `batch-two${n++}.yaml`);
      const outputs = [join(dir, `bt${n++}.bin`), join(dir, `bt${n++}.bin`)];
      writeFileSync(batch, stringify({ requests: outputs.map((output) => ({ output, hdr: s('sample.hdr'), hostKeyDocuments: [two], ...v, secret: { type: 'meta' } })) }));
      const b = await runMain(['create', '--batch', batch], { cwd: dir });
      expect(b.code, b.stderr).toBe(0);
      // said once, although two entries read the file
      expect(b.stderr.split(`host-key document '${two}' holds 2 certificates; only the first one is used`)).toHaveLength(2);
      for (const o of outputs) expect(parseAddSecretRequest(read(o)).keySlots).toHaveLength(1);
    }
  });

  it('the library keeps returning each certificate', async () => {
    const doc = read(two);
    expect(parseCertificates(doc)).toHaveLength(2);
    expect(hostKeysFromDocuments([doc])).toHaveLength(2);
    const verify = { certificates: [read(s('ibm-z-host-key-signing.crt')), read(s('intermediate-ca.crt'))], crls: CRLS.map(read), rootCa: read(s('root-ca.crt')), offline: true };
    expect(await verifyHostKeyDocuments({ hostKeyDocuments: [doc], ...verify })).toHaveLength(2);
  });
});
