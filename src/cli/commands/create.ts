/**
 * `se-secrets create`: pvsecret create, step for step (s390-tools
 * `rust/pvsecret/src/cmd/create.rs`), but every output is written atomically and only
 * once everything has succeeded.
 *
 * @module
 */
import type { ParsedCommand } from '../args.js';
import { checkHostKeyMatch } from './host-match.js';
import { readInput } from '../files.js';
import { type CliSecret, createRequest, toHex as hex, policyReference, secretInfoYaml } from '../lib.js';
import type { Logger } from '../log.js';
import { MODE_SECRET, Outputs } from '../output.js';
import { refuseOnGuest } from '../guest.js';
import { secretInfoPath } from '../yaml-path.js';
import {
  type CreateArgs,
  createArgs,
  noteUseName,
  readCuid,
  readExtensionSecret,
  readHeader,
  readHostKeys,
  readSecret,
  requestFlags,
  validateNames,
} from './create-inputs.js';


/** User data, signing key and policy, combined as pvsecret does. */
async function readUserData(a: CreateArgs, log: Logger): Promise<{ userData?: Uint8Array; userSigningKey?: Uint8Array }> {
  const data = a.userData !== undefined ? await readInput(a.userData, 'user data') : undefined;
  if (data?.length === 0) log.warn(`the user-data file '${a.userData}' is empty; the request carries empty unsigned user data`);
  let reference: Uint8Array | undefined;
  if (a.policy !== undefined) {
    const policy = policyReference(await readInput(a.policy, 'policy'), a.policy);
    await log.streams.out(`${hex(policy.hash)}\n`);
    reference = policy.reference;
  }
  const key = a.userSignKey !== undefined ? await readInput(a.userSignKey, 'user-signing key') : undefined;
  if (data !== undefined || key !== undefined) {
    if (reference) log.warn('--policy is ignored because --user-sign-key is given (as in pvsecret)');
    return { userData: data ?? new Uint8Array(0), ...(key ? { userSigningKey: key } : {}) };
  }
  return reference ? { userData: reference } : {};
}

function secretValue(s: CliSecret): Uint8Array | undefined {
  return s.type === 'meta' ? undefined : s.value;
}

export async function runCreate(path: readonly ParsedCommand[], log: Logger): Promise<void> {
  const a = createArgs(path);
  validateNames(a);
  await refuseOnGuest(a.force, log);

  const outputs = new Outputs();
  let secret: CliSecret | undefined;
  const wipe: (Uint8Array | undefined)[] = [];
  try {
    secret = await readSecret(a);
    wipe.push(secretValue(secret));
    noteUseName(a, log);
    const flags = requestFlags(a);
    log.debug(`request flags: 0x${flags.toString(16).padStart(16, '0')}`);
    const seHeader = await readHeader(a.hdr, log);
    log.debug(`SE header found at offset 0x${seHeader.offset.toString(16)} of '${a.hdr}'`);
    const cuid = await readCuid(a);
    const extensionSecret = await readExtensionSecret(a);
    if (extensionSecret) wipe.push('value' in extensionSecret ? extensionSecret.value : extensionSecret.cck);
    const user = await readUserData(a, log);
    const hk = await readHostKeys(a, log);
    checkHostKeyMatch(seHeader, hk.hostKeys, { strict: a.strictHostMatch, warn: (m) => log.warn(m) });
    // Keep our own copy for --output-secret: the library may wipe what it is given.
    const secretCopy = secret.type === 'association' && a.outputSecret !== undefined ? secret.value.slice() : undefined;
    wipe.push(secretCopy);

    const request = await createRequest({
      secret, seHeader, hostKeys: hk.hostKeys, verify: hk.verify, flags,
      ...(cuid ? { cuid } : {}), ...(extensionSecret ? { extensionSecret } : {}), ...user,
    });
    for (const f of hk.files) log.info(`Use host-key document at '${f}'`);

    if (a.tocPolicy !== undefined) await outputs.append(a.tocPolicy, `${hex(request.subarray(request.length - 16))}\n`, 'TOC policy');
    await outputs.file(a.output, request, 'add-secret request');
    let yamlPath: string | undefined;
    if (secret.type === 'association' || secret.type === 'retrievable') {
      const text = secretInfoYaml(secret);
      if (a.stdout) await outputs.file('-', `${text}\n`, 'secret information');
      else {
        yamlPath = secretInfoPath(secret.name, a.output);
        await outputs.file(yamlPath, text, 'secret information');
      }
    }
    if (secretCopy && a.outputSecret !== undefined) {
      await outputs.file(a.outputSecret, secretCopy, 'association secret', MODE_SECRET);
    }
    await outputs.commit((chunk) => log.streams.out(chunk));
    // Only now, with every output in place (pvsecret 2.43 prints it before writing).
    log.success('Successfully generated the request');
    log.info(`Successfully wrote the request to '${a.output}'`);
    if (yamlPath !== undefined) log.success(`Successfully wrote secret info to '${yamlPath}'`);
    if (a.outputSecret !== undefined) log.info(`Wrote the association secret to '${a.outputSecret}' (mode 0600): destroy it when no longer needed`);
  } catch (e) {
    await outputs.abort();
    throw e;
  } finally {
    for (const b of wipe) b?.fill(0);
  }
}
