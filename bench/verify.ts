/**
 * Host-key verification: ms per chain (root → intermediate → IBM signing key → one
 * host-key document, with the three CRLs) and per additional host-key document, on the
 * fake PKI of test/fixtures/pki.ts (RSA-2048 CAs, P-521 host keys, like IBM's).
 *
 * Until `verifyHostKeyDocuments` is exported from src/node.ts (issue 3) this measures
 * its building blocks with pkijs — parsing each certificate and checking each
 * signature — which is the work verification cannot avoid. Once it is exported, the
 * whole function is measured as well (adapt `callVerify` to its final options).
 */
import 'reflect-metadata';
import * as pkijs from 'pkijs';
import { pem, samplePki } from '../test/fixtures/pki.js';
import { type Check, fmt, measure, table } from './lib.js';

const HOSTS = 8;
/** pkijs is measured here as the baseline; the library itself no longer uses it. */
const parseCertificateDer = (der: Uint8Array) => pkijs.Certificate.fromBER(der as Uint8Array<ArrayBuffer>);
const notBefore = new Date('2024-01-01T00:00:00Z');
const notAfter = new Date('2034-01-01T00:00:00Z');
const now = new Date('2026-01-01T00:00:00Z');

type Pki = Awaited<ReturnType<typeof samplePki>>;

/** The one place to adapt when the verification API lands. */
async function callVerify(mod: Record<string, unknown>, pki: Pki, hosts: number): Promise<unknown> {
  const enc = (s: string) => new TextEncoder().encode(s);
  const verify = mod.verifyHostKeyDocuments as (o: unknown) => Promise<unknown>;
  return verify({
    hostKeyDocuments: pki.hostKeyDocuments.slice(0, hosts).map((d) => enc(pem(d.cert))),
    certificates: [enc(pem(pki.intermediate.cert)), enc(pem(pki.signingKey.cert))],
    crls: [enc(pem(pki.rootCrl)), enc(pem(pki.intermediateCrl)), enc(pem(pki.signingKeyCrl))],
    rootCa: enc(pem(pki.root.cert)),
    offline: true,
    now,
  });
}

export async function benchVerify(): Promise<Check[]> {
  const pki = await samplePki({ notBefore, notAfter, hosts: HOSTS });
  const der = (c: { rawData: ArrayBuffer }): Uint8Array<ArrayBuffer> => new Uint8Array(c.rawData);
  const crls = [pki.rootCrl, pki.intermediateCrl, pki.signingKeyCrl].map((c) => der(c));
  const rootDer = der(pki.root.cert);
  const interDer = der(pki.intermediate.cert);
  const signDer = der(pki.signingKey.cert);
  const hkdDers = pki.hostKeyDocuments.map((d) => der(d.cert));

  const root = parseCertificateDer(rootDer);
  const inter = parseCertificateDer(interDer);
  const sign = parseCertificateDer(signDer);
  const hkd = parseCertificateDer(hkdDers[0] as Uint8Array);
  const crl = pkijs.CertificateRevocationList.fromBER(crls[2] as Uint8Array<ArrayBuffer>);
  const ok = await Promise.all([inter.verify(root), sign.verify(inter), hkd.verify(sign), crl.verify({ issuerCertificate: sign })]);
  if (!ok.every(Boolean)) throw new Error('bench/verify: the sample PKI does not verify with pkijs');

  const parse = await measure(() => parseCertificateDer(hkdDers[0] as Uint8Array));
  const certSig = await measure(() => hkd.verify(sign));
  const crlSig = await measure(() => crl.verify({ issuerCertificate: sign }));
  const chain = await measure(async () => {
    const [r, i, s, h] = [rootDer, interDer, signDer, hkdDers[0] as Uint8Array].map((d) => parseCertificateDer(d)) as pkijs.Certificate[];
    const [c0, c1, c2] = crls.map((c) => pkijs.CertificateRevocationList.fromBER(c));
    const all = await Promise.all([
      i!.verify(r!),
      s!.verify(i!),
      h!.verify(s!),
      c0!.verify({ issuerCertificate: r! }),
      c1!.verify({ issuerCertificate: i! }),
      c2!.verify({ issuerCertificate: s! }),
    ]);
    if (!all.every(Boolean)) throw new Error('verification failed');
  });
  const perHost = await measure(async () => {
    for (const d of hkdDers) if (!(await parseCertificateDer(d).verify(sign))) throw new Error('verification failed');
  });
  const rows = [
    ['parse one certificate (pkijs)', fmt(parse.ms)],
    ['one certificate signature (RSA-2048, SHA-512; pkijs over WebCrypto)', fmt(certSig.ms)],
    ['one CRL signature', fmt(crlSig.ms)],
    ['building blocks of one chain: parse 4 certificates + 3 CRLs, 6 signatures', fmt(chain.ms)],
    ['each additional host-key document: parse + signature', fmt(perHost.ms / HOSTS)],
  ];
  const mod = (await import('../src/node.js')) as Record<string, unknown>;
  if (typeof mod.verifyHostKeyDocuments === 'function') {
    try {
      const one = await measure(() => callVerify(mod, pki, 1), { rounds: 3 });
      const eight = await measure(() => callVerify(mod, pki, HOSTS), { rounds: 3 });
      rows.push(['verifyHostKeyDocuments, 1 host-key document', fmt(one.ms)]);
      rows.push([`verifyHostKeyDocuments, per additional document (${HOSTS} vs 1)`, fmt((eight.ms - one.ms) / (HOSTS - 1))]);
    } catch (e) {
      rows.push([
        'verifyHostKeyDocuments',
        `skipped: exported but callVerify's options do not fit (${(e as Error).message.split('\n')[0]}); adapt bench/verify.ts`,
      ]);
    }
  } else {
    rows.push(['verifyHostKeyDocuments', 'skipped: not exported from src/node.ts on this branch']);
  }
  console.log('## Host-key verification (ms)\n');
  table(['what', 'ms'], rows);
  return [];
}
