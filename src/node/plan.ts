/**
 * Association plans from files (Node only): reads the plan file and the files it names.
 *
 * @module
 */
import { dirname } from 'node:path';
import { nodeBackend } from '../crypto/node.js';
import { parseAssociationPlan } from '../plan/parse.js';
import { type PlanOptions, type PlanResult, planAssociationsWith } from '../plan/plan.js';
import { readFileBytes } from './files.js';
import { readSeHeader } from './read-se-header.js';
import { nodeVerifyHostKeyDocuments } from './verify-defaults.js';

/** Node defaults for {@link planAssociations}: file reader, header reader, node:crypto. */
export const nodePlanOptions: Required<Pick<PlanOptions, 'readFile' | 'readSeHeader' | 'backend'>> = {
  readFile: readFileBytes,
  readSeHeader: (path) => readSeHeader(path),
  backend: nodeBackend,
};

/**
 * Reads a plan file (YAML or JSON) and plans it with the Node verification defaults
 * (platform roots, CRL download unless `offline`); paths in the plan are relative to the
 * plan file.
 *
 * @example
 * ```ts
 * const { files, warnings } = await planAssociationsFromFile('plan.yaml');
 * ```
 * @throws FileError `ERR_FILE`; everything `planAssociations` throws
 */
export async function planAssociationsFromFile(path: string, options: Omit<PlanOptions, 'readFile' | 'baseDir'> = {}): Promise<PlanResult> {
  const plan = parseAssociationPlan(await readFileBytes(path));
  return planAssociationsWith(nodeVerifyHostKeyDocuments, plan, { ...nodePlanOptions, ...options, baseDir: dirname(path) });
}
