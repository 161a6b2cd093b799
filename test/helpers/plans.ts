/**
 * The plans the plan tests start from: the sample SE image and its two sample hosts,
 * unverified, and the files a plan writes. One copy for every plan test.
 */
import type { AssociationPlan, PlanQueue } from '../../src/plan/validate.js';

/** The sample EP11 domains' master-key verification pattern (32 hex digits, no `0x`). */
export const SAMPLE_MKVP = '5a3ff2a8d3e1c4b79ad0e6f1c2b38475';

/** The white paper's setup: two EP11 queues on adapters 0x16 and 0x17, domain 0x1e. */
export const WHITE_PAPER_QUEUES: readonly PlanQueue[] = [
  { apqn: '16.001e', mode: 'EP11', mkvp: `0x${SAMPLE_MKVP}` },
  { apqn: '17.001e', mode: 'EP11', mkvp: `0x${SAMPLE_MKVP}` },
];

/** A plan for guest `seguest` of samples/sample-se.img on both sample hosts, `noVerify: true`; `more` overrides. */
export function samplePlan(queues: readonly PlanQueue[] = WHITE_PAPER_QUEUES, more: Partial<AssociationPlan> = {}): AssociationPlan {
  return { guest: 'seguest', hdr: 'sample-se.img', hostKeyDocuments: ['HKD-sample-1.crt', 'HKD-sample-2.crt'], noVerify: true, queues, ...more };
}

/** The files a plan for `seguest` writes, in the order `planAssociations` returns them: a request per EP11 queue, then the rest. */
export function planFileNames(ep11Apqns: readonly string[] = ['16.001e', '17.001e']): string[] {
  return [
    ...ep11Apqns.map((a) => `request-${a}.bin`),
    'pvapconfig.yaml',
    'guest-setup.sh',
    'se-guest-setup.service',
    'host-setup.sh',
    'seguest-hostdev.xml',
    'manifest.json',
  ];
}
