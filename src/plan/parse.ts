/**
 * Reading plan and batch files: YAML or JSON (JSON is YAML).
 *
 * Scalars are read as text (YAML's failsafe schema), never guessed: an APQN such as
 * `17.0010` or `12.3e45` would otherwise become a number and lose its digits. The
 * validators turn `true`/`false` into booleans where a boolean is expected.
 *
 * @module
 */
import { InputError } from '../errors.js';
import { MAX_YAML_SIZE, parseYaml } from '../internal/yaml-read.js';
import type { AssociationPlan } from './validate.js';

/**
 * Parses YAML or JSON text with every scalar kept as a string.
 *
 * @throws InputError with `code` when the text is not YAML (duplicate keys and unresolved or
 *   excessive aliases included) or longer than `MAX_YAML_SIZE` (1 MiB)
 */
export function parseTextData(text: string | Uint8Array, area: string, code: 'ERR_PLAN' | 'ERR_BATCH'): unknown {
  if (text.length > MAX_YAML_SIZE)
    throw new InputError(code, `${area}: too large (${text.length} ${typeof text === 'string' ? 'characters' : 'bytes'}; at most ${MAX_YAML_SIZE})`);
  const s = typeof text === 'string' ? text : new TextDecoder('utf-8', { fatal: false }).decode(text);
  const parsed = parseYaml(s);
  if ('problem' in parsed) {
    throw new InputError(code, `${area}: not valid YAML or JSON at line ${parsed.problem.line} (${parsed.problem.reason})`);
  }
  const { doc } = parsed;
  try {
    // Aliases resolve only here: an alias before its anchor, or more alias expansions than
    // `maxAliasCount` (a "billion laughs" document), throws the yaml package's own errors.
    return doc.toJS();
  } catch (e) {
    const why = e instanceof Error && /alias count/i.test(e.message) ? 'too many alias expansions' : 'an alias without an anchor before it';
    throw new InputError(code, `${area}: not valid YAML or JSON (${why})`, { cause: e });
  }
}

/**
 * Parses a plan file (YAML or JSON). The result still has to pass `planAssociations`'
 * checks.
 *
 * @example
 * ```ts
 * const plan = parseAssociationPlan(await readFile('plan.yaml'));
 * ```
 * @throws InputError `ERR_PLAN`
 */
export function parseAssociationPlan(text: string | Uint8Array): AssociationPlan {
  const data = parseTextData(text, 'plan', 'ERR_PLAN');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError('ERR_PLAN', 'plan: expected a mapping with guest, hdr, hostKeyDocuments and queues');
  }
  return data as AssociationPlan;
}
