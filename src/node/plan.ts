/**
 * Association plans from files (Node only): reads the plan file and the files it names,
 * and writes a plan's result all-or-nothing.
 *
 * @module
 */
import { realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { nodeBackend } from '../crypto/node.js';
import { FileError, InputError } from '../errors.js';
import { parseAssociationPlan } from '../plan/parse.js';
import { type PlanOptions, type PlanResult, planAssociationsWith } from '../plan/plan.js';
import { fsReason, INPUT_CAPS, readInputFile } from './input.js';
import { ensureDirectory, MODE_DEFAULT, Outputs, type OutputsOptions } from './output.js';
import { readSeHeader } from './read-se-header.js';
import { nodeVerifyHostKeyDocuments } from './verify-defaults.js';

/** Node defaults for {@link planAssociations}: file reader, header reader, node:crypto. */
export const nodePlanOptions: Required<Pick<PlanOptions, 'readFile' | 'readSeHeader' | 'backend'>> = {
  readFile: (path) => readInputFile(path),
  readSeHeader: (path) => readSeHeader(path),
  backend: nodeBackend,
};

/**
 * Reads a plan file (YAML or JSON, at most 1 MiB) and plans it with the Node
 * verification defaults (platform roots, CRL download unless `offline`); paths in the
 * plan are relative to the plan file.
 *
 * @example
 * ```ts
 * const { files, warnings } = await planAssociationsFromFile('plan.yaml');
 * ```
 * @throws FileError `ERR_FILE`, `ERR_INPUT_TOO_LARGE`; everything `planAssociations` throws
 */
export async function planAssociationsFromFile(path: string, options: Omit<PlanOptions, 'readFile' | 'baseDir'> = {}): Promise<PlanResult> {
  const plan = parseAssociationPlan(await readInputFile(path, { label: 'plan', maxSize: INPUT_CAPS.yaml }));
  return planAssociationsWith(nodeVerifyHostKeyDocuments, plan, { ...nodePlanOptions, ...options, baseDir: dirname(path) });
}

/** The real path of a directory; of one not made yet, its nearest existing parent's real path joined with the rest. */
async function realDir(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (cause) {
    const parent = dirname(path);
    if ((cause as { code?: string }).code === 'ENOENT' && parent !== path) return join(await realDir(parent), basename(path));
    throw new FileError('ERR_FILE', `cannot resolve directory '${path}': ${fsReason(cause)}`, { cause });
  }
}

/** Where {@link writePlanFiles} writes. */
export interface PlanOutputDirs {
  /** The directory copied into the guest: requests, pvapconfig.yaml, guest-setup.sh, manifest.json. */
  readonly dir: string;
  /**
   * Where secret values go (files marked `secret`), created with mode 0700. It must
   * not be `dir` or inside it, also not through a symbolic link (real paths are
   * compared). Without it, a result holding secret values is refused.
   */
  readonly secretsDir?: string;
}

/**
 * Writes a plan's files all-or-nothing: both directories are created if missing, every
 * file is staged, and only then are they renamed into place — a file that cannot be
 * written leaves every earlier output as it was. `result` is not changed (zero its
 * secret values when done with them).
 *
 * @example
 * ```ts
 * const written = await writePlanFiles(await planAssociationsFromFile('plan.yaml', { outputSecrets: true }), { dir: 'out', secretsDir: 'secrets' });
 * ```
 * @returns the paths written, in order
 * @throws InputError `ERR_INVALID_OPTION` (secrets directory inside the output
 *   directory, or missing); FileError `ERR_FILE`, `ERR_OUTPUT_CLASH`
 */
export async function writePlanFiles(result: PlanResult, dirs: PlanOutputDirs, options: OutputsOptions = {}): Promise<string[]> {
  const outputs = new Outputs(options);
  try {
    const hasSecrets = result.files.some((f) => f.secret);
    if (hasSecrets && dirs.secretsDir === undefined)
      throw new InputError('ERR_INVALID_OPTION', 'plan: the result holds secret values but no secrets directory was given');
    // Checked before anything is created (a refused plan leaves no directory behind) and again once both exist.
    const secretsDir = dirs.secretsDir;
    const apart = async () => {
      if (secretsDir === undefined) return;
      const [out, secrets] = await Promise.all([realDir(dirs.dir), realDir(secretsDir)]);
      const rel = relative(out, secrets);
      if (rel === '' || !(rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith(sep))) {
        throw new InputError(
          'ERR_INVALID_OPTION',
          `the secrets directory '${secretsDir}' is ${rel === '' ? 'the output directory' : 'inside the output directory'} '${dirs.dir}', which is copied into the guest: keep secret values apart`,
        );
      }
    };
    await apart();
    await ensureDirectory(dirs.dir);
    if (secretsDir !== undefined) await ensureDirectory(secretsDir, 0o700);
    await apart();
    const written: string[] = [];
    for (const f of result.files) {
      const path = join(f.secret ? (dirs.secretsDir as string) : dirs.dir, f.path);
      await outputs.file(path, f.bytes, f.label ?? (f.secret ? 'association secret' : 'plan output'), f.mode ?? MODE_DEFAULT);
      written.push(path);
    }
    await outputs.commit(async () => undefined);
    return written;
  } catch (e) {
    await outputs.abort();
    throw e;
  }
}
