/**
 * Every rule of the association plan refuses a bad plan with its own clear error —
 * before anything is built or written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyHostKeyDocuments } from '../src/certs/verify.js';
import { nodeBackend } from '../src/crypto/node.js';
import { CertificateError } from '../src/errors.js';
import { parseAssociationPlan, parseTextData } from '../src/plan/parse.js';
import { planAssociationsWith } from '../src/plan/plan.js';
import { type AssociationPlan, type PlanQueue, validatePlan } from '../src/plan/validate.js';
import { hostKeysFromDocuments } from '../src/request/host-key.js';
import type { VerifyHostKeyDocumentsFn } from '../src/request/verified-host-keys.js';
import { parseCertificates } from '../src/certs/inputs.js';
import { sealSeHeader } from './fixtures/se-image.js';
import { planAssociations } from './helpers/api.js';
import { SAMPLE_MKVP, samplePlan } from './helpers/plans.js';
import { codeOf, hostPoint, SAMPLES, sample } from './helpers/samples.js';

const MKVP = SAMPLE_MKVP;
const base: AssociationPlan = samplePlan([
  { apqn: '16.001e', mode: 'EP11', mkvp: MKVP },
  { apqn: '17.001e', mode: 'EP11', mkvp: MKVP },
]);
const withQueues = (...queues: PlanQueue[]): AssociationPlan => ({ ...base, queues });

/** The error a plan is refused with (code and message). */
function refusal(plan: unknown): { code?: string; message: string } | undefined {
  try {
    validatePlan(plan as AssociationPlan);
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message };
  }
  return undefined;
}

describe('plan rules: refused with ERR_PLAN and a message naming the rule', () => {
  it('more than 12 queues (12 is fine)', () => {
    const queues = (n: number) => Array.from({ length: n }, (_, i) => ({ apqn: `${(0x10 + i).toString(16)}.0001`, mode: 'Accel' }));
    expect(refusal(withQueues(...queues(12)))).toBeUndefined();
    expect(refusal(withQueues(...queues(13)))).toEqual({ code: 'ERR_PLAN', message: 'plan: queues: 13 AP queues listed; an SE guest can use at most 12' });
    expect(refusal(withQueues())?.code).toBe('ERR_PLAN');
  });

  it('a mode other than EP11 or Accel (any case is fine)', () => {
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'ep11', mkvp: MKVP }, { apqn: '17.001e', mode: 'ACCEL' }))).toBeUndefined();
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'CCA' }))).toEqual({
      code: 'ERR_PLAN',
      message: 'plan: queues[0].mode: "CCA" is not supported (expected EP11 or Accel; SE guests cannot use CCA queues)',
    });
    expect(refusal(withQueues({ apqn: '16.001e' } as PlanQueue))?.message).toBe('plan: queues[0].mode: expected a non-empty string');
  });

  it('an EP11 queue without mkvp, or with a malformed one', () => {
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'EP11' }))?.message).toMatch(/^plan: queues\[0\]\.mkvp: required for EP11 queues/);
    for (const mkvp of [MKVP.slice(1), `${MKVP}00`, `0x${MKVP.slice(0, 31)}g`, `x${MKVP}`]) {
      expect(refusal(withQueues({ apqn: '16.001e', mode: 'EP11', mkvp }))?.message, mkvp).toBe(
        `plan: queues[0].mkvp: "${mkvp}" is not 32 or 64 hex digits (optionally with 0x)`,
      );
    }
    // as in pvapconfig: any case, optional 0x, and 64 digits (only the first 32 count)
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'EP11', mkvp: MKVP + MKVP }))).toBeUndefined();
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'EP11', mkvp: `0X${MKVP.toUpperCase()}` }))).toBeUndefined();
  });

  it('the same name on two queues, given or derived', () => {
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'EP11', mkvp: MKVP, name: 'hsm' }, { apqn: '17.001e', mode: 'EP11', mkvp: MKVP, name: 'hsm' }))).toEqual(
      {
        code: 'ERR_PLAN',
        message: 'plan: queues[1].name: "hsm" is also the name of queues[0] (each queue needs its own association secret)',
      },
    );
    expect(
      refusal(withQueues({ apqn: '16.001e', mode: 'EP11', mkvp: MKVP, name: 'seguest-17.001e' }, { apqn: '17.001e', mode: 'EP11', mkvp: MKVP }))?.code,
    ).toBe('ERR_PLAN');
  });

  it('names pvapconfig would read differently: outer whitespace, control characters', () => {
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'EP11', mkvp: MKVP, name: ' hsm' }))?.message).toMatch(/must not start or end with whitespace/);
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'EP11', mkvp: MKVP, name: 'a\nb' }))?.message).toMatch(/control characters/);
    expect(refusal({ ...base, guest: 'g\u0007' })?.message).toBe(
      'plan: guest: must not contain control characters or line separators (found U+0007; YAML readers such as libyaml break lines at U+0085, U+2028 and U+2029)',
    );
  });

  it('a malformed APQN', () => {
    for (const apqn of ['16.1e', '0x16.001e', '16.001g', '16001e', '16.0001e', '1.001e', '116.001e', '16:001e', '16.0100', ' 16.001e', '']) {
      const r = refusal(withQueues({ apqn, mode: 'Accel' }));
      expect(r?.code, apqn).toBe('ERR_PLAN');
      if (apqn)
        expect(r?.message, apqn).toBe(
          `plan: queues[0].apqn: malformed APQN "${apqn}" (expected adapter.domain in hex: two digits, a dot, four digits up to 00ff, e.g. 16.001e)`,
        );
    }
    expect(refusal(withQueues({ apqn: 16.001 as unknown as string, mode: 'Accel' }))?.message).toBe('plan: queues[0].apqn: expected a non-empty string');
    expect(refusal(withQueues({ apqn: 'FF.00ff', mode: 'Accel' }))).toBeUndefined();
  });

  it('duplicate queues, in any case', () => {
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'EP11', mkvp: MKVP }, { apqn: '16.001E', mode: 'EP11', mkvp: MKVP, name: 'other' }))).toEqual({
      code: 'ERR_PLAN',
      message: 'plan: queues[1]: APQN 16.001e is listed twice (also queues[0])',
    });
  });

  it('one adapter in two modes, or with two serial numbers', () => {
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'EP11', mkvp: MKVP }, { apqn: '16.001f', mode: 'Accel' }))?.message).toBe(
      'plan: queues[1]: adapter 16 is EP11 in queues[0] but Accel here (an adapter runs all its domains in one mode)',
    );
    expect(
      refusal(
        withQueues(
          { apqn: '16.001e', mode: 'EP11', mkvp: MKVP, serialnr: 'AAAAAAAAAAAAAAAA' },
          { apqn: '16.001f', mode: 'EP11', mkvp: MKVP, serialnr: 'BBBBBBBBBBBBBBBB' },
        ),
      )?.code,
    ).toBe('ERR_PLAN');
  });

  it('mingen and serialnr pvapconfig would refuse', () => {
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'EP11', mkvp: MKVP, mingen: 'CEX7' }))?.message).toBe(
      'plan: queues[0].mingen: "CEX7" is not valid for EP11 queues (expected CEX8)',
    );
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'Accel', mingen: 'cex3' }))?.message).toMatch(/expected CEX4, CEX5, CEX6, CEX7, CEX8/);
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'EP11', mkvp: MKVP, serialnr: '93AADFK71946008' }))?.message).toMatch(
      /serialnr: "93AADFK71946008" is not 16 non-blank/,
    );
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'EP11', mkvp: MKVP, serialnr: '93AADFK7 9460083' }))?.code).toBe('ERR_PLAN');
  });

  it('unknown keys, and verification given both ways or not at all', () => {
    expect(refusal({ ...base, hostkeys: [] })?.message).toMatch(/^plan: unknown key "hostkeys" \(known: guest, hdr, hostKeyDocuments/);
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'Accel', domain: 1 } as PlanQueue))?.message).toMatch(/^plan: queues\[0\]: unknown key "domain"/);
    expect(refusal({ ...base, certificates: ['ca.crt'] })?.message).toBe('plan: noVerify: true excludes certificates, crls, rootCa and offline');
    expect(refusal({ ...base, noVerify: undefined })?.message).toMatch(/^plan: certificates: required unless noVerify: true/);
    expect(refusal({ ...base, noVerify: undefined, crls: ['a.crl'] })?.message).toMatch(/^plan: certificates: required/);
    expect(refusal({ ...base, noVerify: 'yes' })?.message).toBe('plan: noVerify: expected true or false');
    expect(refusal({ ...base, hostKeyDocuments: [] })?.message).toBe('plan: hostKeyDocuments: expected at least 1 entry');
    expect(refusal({ ...base, noVerify: false, certificates: ['a.crt'], offline: 'true' })).toBeUndefined();
  });
});

describe('plan files: YAML or JSON, scalars kept as text', () => {
  it('keeps APQNs and hex that YAML would read as numbers', () => {
    const plan = parseAssociationPlan(
      `guest: g\nhdr: h\nhostKeyDocuments: [a.crt]\nnoVerify: true\nqueues:\n  - { apqn: 12.00e1, mode: EP11, mkvp: ${'1'.repeat(32)} }\n  - apqn: 17.0010\n    mode: Accel\n`,
    );
    const p = validatePlan(plan);
    expect(p.queues.map((q) => q.apqn)).toEqual(['12.00e1', '17.0010']);
    expect(p.queues[0]?.mkvp).toBe('1'.repeat(32));
    expect(p.verify).toBe(false);
  });

  it('JSON works the same', () => {
    const p = validatePlan(parseAssociationPlan(JSON.stringify(base)));
    expect(p.queues.map((q) => q.name)).toEqual(['seguest-16.001e', 'seguest-17.001e']);
  });

  it('refuses text that is not YAML, duplicate keys, and a plan that is not a mapping', async () => {
    expect(await codeOf(() => parseAssociationPlan('guest: [unclosed\n'))).toBe('ERR_PLAN');
    expect(() => parseAssociationPlan('guest: a\nguest: b\n')).toThrow('plan: not valid YAML or JSON at line 2 (duplicate key)');
    expect(() => parseAssociationPlan('- a\n- b\n')).toThrow('plan: expected a mapping with guest, hdr, hostKeyDocuments and queues');
  });

  it('refuses aliases without an anchor and alias bombs with ERR_PLAN / ERR_BATCH (found by fuzzing)', async () => {
    // minimal fuzz input: the yaml package's ReferenceError escaped from toJS()
    expect(() => parseAssociationPlan('<<: *a')).toThrow('plan: not valid YAML or JSON (an alias without an anchor before it)');
    expect(await codeOf(() => parseTextData('a: *a\n', 'batch', 'ERR_BATCH'))).toBe('ERR_BATCH');
    const tens = (ref: string) => `[${Array(10).fill(ref).join(', ')}]`;
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', `b: &b ${tens('*a')}`, `c: &c ${tens('*b')}`, `d: ${tens('*c')}`, ''].join('\n');
    expect(() => parseAssociationPlan(bomb)).toThrow('plan: not valid YAML or JSON (too many alias expansions)');
    // an alias after its anchor is fine
    expect(parseAssociationPlan('guest: &g seguest\nhdr: *g\n')).toEqual({ guest: 'seguest', hdr: 'seguest' });
  });
});

describe('plan inputs: host keys that are not verified, not usable, or not in the SE header', () => {
  const readFile = async (p: string) => {
    if (p.endsWith('one-host.hdr')) return oneHostHeader;
    return new Uint8Array(readFileSync(p));
  };
  let oneHostHeader: Uint8Array;

  it('a host-key document the image was not built for (ERR_HOST_KEY_MISMATCH, no request built)', async () => {
    oneHostHeader = await sealSeHeader(nodeBackend, { hostKeys: [new Uint8Array(hostPoint(sample('HKD-sample-1.crt')))] });
    const err = await planAssociations({ ...base, hdr: 'one-host.hdr' }, { baseDir: SAMPLES, readFile }).catch((e) => e);
    expect(err).toBeInstanceOf(CertificateError);
    expect(err.code).toBe('ERR_HOST_KEY_MISMATCH');
    const [hk2] = hostKeysFromDocuments([sample('HKD-sample-2.crt')]);
    expect(err.message).toBe(
      `plan: host-key match: host key ${hk2?.subject} (hash ${Buffer.from(hk2!.hash).toString('hex')}) is not among the 1 host key(s) the SE header was built for; the guest can never run on that host`,
    );
    // the host the header was built for alone is fine
    const ok = await planAssociations({ ...base, hdr: 'one-host.hdr', hostKeyDocuments: ['HKD-sample-1.crt'] }, { baseDir: SAMPLES, readFile });
    expect(ok.files).toHaveLength(8);
  });

  it('verification on this branch: the chain options reach the verifier; its failure stops the plan', async () => {
    const seen: unknown[] = [];
    const revoked: VerifyHostKeyDocumentsFn = async (o) => {
      seen.push({ ...o, hostKeyDocuments: o.hostKeyDocuments.map((c) => c.der) });
      throw new CertificateError('ERR_HKD_REVOKED', 'host-key verification failed: host-key document is revoked');
    };
    const plan = {
      ...base,
      noVerify: undefined,
      certificates: ['ibm-z-host-key-signing.crt', 'intermediate-ca.crt'],
      crls: ['ibm-z-host-key.crl'],
      rootCa: 'root-ca.crt',
      offline: true,
    };
    const now = new Date('2030-01-01T00:00:00Z');
    expect(await codeOf(planAssociationsWith(revoked, plan, { baseDir: SAMPLES, readFile, now, backend: nodeBackend }))).toBe('ERR_HKD_REVOKED');
    expect(seen).toEqual([
      {
        // the documents as read once by the one certificate reader
        hostKeyDocuments: [...parseCertificates(sample('HKD-sample-1.crt')), ...parseCertificates(sample('HKD-sample-2.crt'))].map((c) => c.der),
        certificates: [sample('ibm-z-host-key-signing.crt'), sample('intermediate-ca.crt')],
        crls: [sample('ibm-z-host-key.crl')],
        rootCa: sample('root-ca.crt'),
        offline: true,
        // every input named by its file for messages, each document's certificate too
        names: { certificates: plan.certificates, crls: plan.crls, rootCa: plan.rootCa, hostKeyDocuments: ['HKD-sample-1.crt', 'HKD-sample-2.crt'] },
        now,
      },
    ]);
    // The real verifier: without the CRLs of the intermediate and the root the chain is untrusted …
    expect(await codeOf(planAssociations(plan, { baseDir: SAMPLES }))).toBe('ERR_SIGNING_KEY_UNTRUSTED');
    // … with them the plan verifies
    const full = { ...plan, crls: ['ibm-z-host-key.crl', 'intermediate-ca.crl', 'root-ca.crl'] };
    expect((await planAssociations(full, { baseDir: SAMPLES })).manifest.hostKeysVerified).toBe(true);
  });

  it('a verified plan records it; verified host keys must cover every document', async () => {
    const accept: VerifyHostKeyDocumentsFn = (o) => verifyHostKeyDocuments(o);
    const plan = {
      ...base,
      noVerify: undefined,
      certificates: ['ibm-z-host-key-signing.crt', 'intermediate-ca.crt'],
      crls: ['ibm-z-host-key.crl', 'intermediate-ca.crl', 'root-ca.crl'],
      rootCa: 'root-ca.crt',
      offline: true,
    };
    const r = await planAssociationsWith(accept, plan, { baseDir: SAMPLES, readFile, backend: nodeBackend });
    expect(r.manifest.hostKeysVerified).toBe(true);
    expect(r.warnings).toEqual([
      'queues[1] (17.001e): pvapconfig matches queues by mode, MKVP and serial number, not by APQN, so this entry may land on 16.001e and that entry on 17.001e; give each entry its card serialnr to pin it to its adapter',
    ]);
    const onlyFirst: VerifyHostKeyDocumentsFn = async (o) => (await verifyHostKeyDocuments(o)).slice(0, 1);
    expect(await codeOf(planAssociationsWith(onlyFirst, plan, { baseDir: SAMPLES, readFile, backend: nodeBackend }))).toBe('ERR_VERIFY_REQUIRED');
  });

  it('a host-key document that is not a certificate, or not P-521; a missing file; a bad header', async () => {
    expect(await codeOf(planAssociations({ ...base, hostKeyDocuments: ['ibm-z-host-key.crl'] }, { baseDir: SAMPLES }))).toBe('ERR_CERT_PARSE');
    expect(await codeOf(planAssociations({ ...base, hostKeyDocuments: ['root-ca.crt'] }, { baseDir: SAMPLES }))).toBe('ERR_HOST_KEY_NOT_P521');
    const missing = await planAssociations({ ...base, hostKeyDocuments: ['nope.crt'] }, { baseDir: SAMPLES }).catch((e) => e);
    expect(missing.code).toBe('ERR_FILE');
    expect(missing.message).toBe(`hostKeyDocuments nope.crt: cannot read '${join(SAMPLES, 'nope.crt')}': no such file or directory`);
    const badHdr = await planAssociations({ ...base, hdr: 'HKD-sample-1.crt' }, { baseDir: SAMPLES }).catch((e) => e);
    expect(badHdr.code).toBe('ERR_HEADER_NOT_FOUND');
    expect(badHdr.message).toMatch(/^hdr HKD-sample-1\.crt: /);
  });

  it('the portable core needs a reader', async () => {
    const { planAssociations: portable } = await import('../src/plan/plan.js');
    expect(await codeOf(portable(base))).toBe('ERR_INVALID_OPTION');
  });
});

describe("pvapconfig's own rules, caught at plan time", () => {
  it('two EP11 domains of one adapter with the same MKVP: refused; with pvapconfig: false only a warning (64-digit MKVPs compare by their first 32)', () => {
    const clash = withQueues({ apqn: '16.001e', mode: 'EP11', mkvp: MKVP }, { apqn: '16.0020', mode: 'EP11', mkvp: `0x${MKVP}${'ab'.repeat(16)}` });
    expect(refusal(clash)).toEqual({
      code: 'ERR_PLAN',
      message:
        'plan: queues[1]: 16.0020 and 16.001e (queues[0]) are EP11 domains of adapter 16 with the same MKVP; pvapconfig refuses to run when two EP11 domains of one adapter share a master key (give each domain its own EP11 master key, or set pvapconfig: false to bind with chzcrypt only)',
    });
    const optedOut = validatePlan({ ...clash, pvapconfig: 'false' });
    expect(optedOut.pvapconfig).toBe(false);
    expect(optedOut.warnings[0]).toBe(
      'queues[1]: 16.0020 and 16.001e (queues[0]) are EP11 domains of adapter 16 with the same MKVP; pvapconfig refuses to run when two EP11 domains of one adapter share a master key; pvapconfig: false, so the guest binds with chzcrypt only',
    );
    expect(refusal(withQueues({ apqn: '16.001e', mode: 'EP11', mkvp: MKVP }, { apqn: '16.0020', mode: 'EP11', mkvp: 'ff'.repeat(16) }))).toBeUndefined();
  });

  it('pvapconfig: false writes no pvapconfig.yaml and a guest script without --pvapconfig', async () => {
    const r = await planAssociations({ ...base, pvapconfig: false }, { baseDir: SAMPLES });
    expect(r.files.map((f) => f.path)).not.toContain('pvapconfig.yaml');
    expect(r.manifest.pvapconfig).toBe(false);
    const script = new TextDecoder().decode(r.files.find((f) => f.path === 'guest-setup.sh')?.bytes);
    expect(script).toContain('--pvapconfig) echo "guest-setup: this plan does not use pvapconfig (pvapconfig: false)" >&2; exit 2 ;;');
    expect(refusal({ ...base, pvapconfig: 'no' })?.message).toBe('plan: pvapconfig: expected true or false');
  });

  it('mingen below CEX8 warns (it acts as a maximum); entries that can match the same queue warn', () => {
    const p = validatePlan(withQueues({ apqn: '18.0005', mode: 'Accel', mingen: 'CEX7' }, { apqn: '19.0005', mode: 'Accel' }));
    expect(p.warnings).toEqual([
      'queues[0] (18.0005): mingen CEX7 acts as a maximum in pvapconfig (an entry does not match a card newer than its mingen), so a CEX8 card will not match this entry',
      'queues[1] (19.0005): pvapconfig matches queues by mode, not by APQN, so this entry may land on 18.0005 and that entry on 19.0005',
      'host-key verification is disabled (noVerify: true); the secrets may not be protected',
    ]);
    // serial numbers pin EP11 entries to their cards: no overlap
    const pinned = validatePlan(
      withQueues(
        { apqn: '16.001e', mode: 'EP11', mkvp: MKVP, serialnr: 'AAAAAAAAAAAAAAAA' },
        { apqn: '17.001e', mode: 'EP11', mkvp: MKVP, serialnr: 'BBBBBBBBBBBBBBBB' },
      ),
    );
    expect(pinned.warnings).toEqual(['host-key verification is disabled (noVerify: true); the secrets may not be protected']);
  });

  it('controlDomains and mdevUuid must be well-formed', () => {
    expect(validatePlan({ ...base, controlDomains: ['1e', '0x1F', '00ff'] }).host.controlDomains).toEqual([0x1e, 0x1f, 0xff]);
    expect(refusal({ ...base, controlDomains: ['100'] })?.message).toBe(
      'plan: controlDomains[0]: "100" is not a domain number in hex (e.g. 1e, 0x1e or 001e; at most ff)',
    );
    expect(refusal({ ...base, controlDomains: [] })?.message).toBe('plan: controlDomains: expected a list of domain numbers in hex');
    expect(refusal({ ...base, mdevUuid: 'not-a-uuid' })?.message).toBe('plan: mdevUuid: "not-a-uuid" is not a UUID (8-4-4-4-12 hex digits)');
  });
});
