/**
 * Every YAML file a plan writes, read by a libyaml-based parser (Debian's python3-yaml,
 * the rules pvapconfig's YAML reader follows: U+0085, U+2028 and U+2029 break lines) and
 * compared entry by entry with what was planned; names that libyaml would read otherwise
 * are refused.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pvapconfigEntries } from '../src/plan/pvapconfig.js';
import { type AssociationPlan, validatePlan } from '../src/plan/validate.js';
import { planAssociations } from './helpers/api.js';
import { SAMPLE_MKVP, samplePlan } from './helpers/plans.js';
import { SAMPLES } from './helpers/samples.js';

const MKVP = SAMPLE_MKVP;
const base: AssociationPlan = samplePlan([
  { apqn: '16.001e', mode: 'EP11', mkvp: MKVP, serialnr: '93AADFK719460083' },
  { apqn: '17.001e', mode: 'EP11', mkvp: MKVP, name: `quote ' "double" # not a comment: {x} [y] & *z !tag %p @q \`r\``, serialnr: '93AADHZU42082261' },
  { apqn: '18.0005', mode: 'Accel', name: 'null', mingen: 'cex8' },
]);

/** The files read by PyYAML's libyaml loader (CSafeLoader), as JSON. */
function readWithLibyaml(files: Record<string, Uint8Array>): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'se-plan-yaml-'));
  for (const [f, b] of Object.entries(files)) writeFileSync(join(dir, f), b);
  const py = [
    'import json, sys, yaml',
    'assert yaml.__with_libyaml__, "python3-yaml without libyaml"',
    'out = {}',
    'for f in sys.argv[1:]:',
    '    with open(f, "rb") as h:',
    '        out[f.rsplit("/", 1)[-1]] = yaml.load(h, Loader=yaml.CSafeLoader)',
    'print(json.dumps(out))',
  ].join('\n');
  const r = spawnSync('python3', ['-c', py, ...Object.keys(files).map((f) => join(dir, f))], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

describe('generated YAML as libyaml reads it', () => {
  it('pvapconfig.yaml reads back entry by entry as planned; manifest.json (JSON is YAML) as written', async () => {
    const r = await planAssociations(base, { baseDir: SAMPLES });
    const yamlFiles = Object.fromEntries(r.files.filter((f) => /\.(ya?ml|json)$/.test(f.path)).map((f) => [f.path, f.bytes]));
    expect(Object.keys(yamlFiles)).toEqual(['pvapconfig.yaml', 'manifest.json']);
    const read = readWithLibyaml(yamlFiles);
    const planned = pvapconfigEntries('seguest', validatePlan(base).queues);
    expect(read['pvapconfig.yaml']).toEqual(planned);
    expect(planned).toHaveLength(3);
    expect(read['manifest.json']).toEqual(JSON.parse(JSON.stringify(r.manifest)));
  });

  it.each([
    ['U+2028 in the guest name (would inject an entry through the header comment)', { guest: 'g\u2028- name: injected\u2028  mode: Accel' }, 'guest', 'U+2028'],
    ['U+2029 in the guest name', { guest: 'g\u2029x' }, 'guest', 'U+2029'],
    [
      'U+0085 in a queue name (would read back changed, its secretid no longer matching)',
      { queues: [{ apqn: '16.001e', mode: 'EP11', mkvp: MKVP, name: 'hsm\u0085a' }] },
      'queues[0].name',
      'U+0085',
    ],
    [
      'U+2028 in a queue name (would inject keys)',
      { queues: [{ apqn: '16.001e', mode: 'EP11', mkvp: MKVP, name: 'a\u2028  mingen: cex8' }] },
      'queues[0].name',
      'U+2028',
    ],
    ['a C1 control character', { queues: [{ apqn: '18.0005', mode: 'Accel', name: 'x\u009by' }] }, 'queues[0].name', 'U+009B'],
    ['a tab', { guest: 'a\tb' }, 'guest', 'U+0009'],
  ] as const)('refuses %s with ERR_PLAN', async (_what, change, where, cp) => {
    const err = await planAssociations({ ...base, ...change } as AssociationPlan, { baseDir: SAMPLES }).catch((e) => e);
    expect(err.code).toBe('ERR_PLAN');
    expect(err.message).toBe(
      `plan: ${where}: must not contain control characters or line separators (found ${cp}; YAML readers such as libyaml break lines at U+0085, U+2028 and U+2029)`,
    );
  });

  it('a serial number must be printable ASCII (U+0085 is not blank to JavaScript, but is to pvapconfig)', () => {
    expect(() => validatePlan({ ...base, queues: [{ apqn: '16.001e', mode: 'EP11', mkvp: MKVP, serialnr: '93AADFK71946008\u0085' }] })).toThrow(
      /serialnr: .* is not 16 non-blank ASCII characters/,
    );
  });

  it('no plan text in a comment of any generated file (the hostdev file name is the guest name with only [A-Za-z0-9._+-])', async () => {
    const r = await planAssociations({ ...base, guest: 'GUEST NAME' }, { baseDir: SAMPLES });
    expect(r.files.map((f) => f.path)).toContain('GUEST_NAME-hostdev.xml');
    for (const f of r.files) {
      const text = new TextDecoder().decode(f.bytes);
      const comments = text.split('\n').filter((l) => /^\s*(#|<!--)/.test(l) || /^\s+[^<]*-->$/.test(l));
      expect(comments.join('\n'), f.path).not.toContain('GUEST NAME');
    }
  });
});
