/**
 * The offline page's request builder: reads the form, verifies the host-key documents
 * step by step (shown as a checklist), builds the request and offers it, `NAME.yaml`
 * and optionally the secret value for download.
 *
 * @module
 */
import { addDownload, byId, clearDownloads, fileOf, filesOf, hex, inputById, readSmallFile } from './dom.js';
import {
  createAddSecretRequest,
  type HostKey,
  hostKeysFromDocuments,
  hostKeysNotInHeader,
  InputError,
  parseAddSecretRequest,
  parseCuidText,
  portableBackend,
  readSeHeaderFromBlob,
  type SecretSpec,
  type SeHeader,
  secretInfoFileName,
  secretInfoYaml,
  type VerificationStep,
  type VerifiedHostKey,
  verifyHostKeyDocuments,
} from './lib.js';
import { Checklist } from './steps.js';

/** Sizes of the fixed-size secret files (pvsecret `--input-secret`, `--extension-secret`, `--cck`). */
const SECRET_FILE_SIZE = 32;

/** Everything read from the form before any verification. */
interface BuildInputs {
  readonly header: SeHeader;
  readonly hostKeyFiles: readonly File[];
  readonly hostKeyDocuments: readonly Uint8Array[];
  readonly verify: false | { certificates: Uint8Array[]; crls: Uint8Array[]; rootCa: Uint8Array };
  readonly secret: SecretSpec;
  /** The association secret's value, kept by the page for its download (zeroed after). */
  readonly secretValue?: Uint8Array;
  readonly saveSecret: boolean;
  readonly cuid?: Uint8Array;
  readonly disableDump: boolean;
  readonly extensionSecret?: { value: Uint8Array } | { cck: Uint8Array };
  readonly requestName: string;
}

function optionError(message: string): InputError {
  return new InputError('ERR_INVALID_OPTION', message);
}

/** The CUID field: empty, or the library's one rule for a CUID option value (`--cuid-hex`). */
export function parseCuid(text: string): Uint8Array | undefined {
  const t = text.trim();
  return t === '' ? undefined : parseCuidText(t, 'cuid');
}

async function readFixedSecret(file: File, what: string): Promise<Uint8Array> {
  // Read at most a few bytes more than needed: a wrong file is refused without loading it.
  const bytes = await readSmallFile(file, what, 4096);
  if (bytes.length !== SECRET_FILE_SIZE)
    throw new InputError('ERR_SECRET_SIZE', `${what} '${file.name}': ${bytes.length} bytes (expected ${SECRET_FILE_SIZE})`);
  return bytes;
}

async function readInputs(): Promise<BuildInputs> {
  const image = fileOf(inputById('se-header'));
  if (!image) throw optionError('se header: no SE image or SE header chosen');
  const header = await readSeHeaderFromBlob(image);

  const hostKeyFiles = filesOf(inputById('host-key-documents'));
  if (hostKeyFiles.length === 0) throw optionError('host-key documents: none chosen (expected at least one)');
  const hostKeyDocuments = await Promise.all(hostKeyFiles.map((f) => readSmallFile(f, 'host-key document')));

  let verify: BuildInputs['verify'] = false;
  if (!inputById('no-verify').checked) {
    const rootFile = fileOf(inputById('root-ca'));
    if (!rootFile) {
      throw optionError('root CA: none chosen; a browser page has no store of trusted roots, so add the root CA file (or turn verification off, unsafely)');
    }
    const certFiles = [fileOf(inputById('signing-key')), fileOf(inputById('intermediate-ca'))].filter((f): f is File => f !== undefined);
    verify = {
      certificates: await Promise.all(certFiles.map((f) => readSmallFile(f, 'certificate'))),
      crls: await Promise.all(filesOf(inputById('crls')).map((f) => readSmallFile(f, 'CRL'))),
      rootCa: await readSmallFile(rootFile, 'root CA'),
    };
  }

  const association = inputById('type-association').checked;
  let secret: SecretSpec = { type: 'meta' };
  let secretValue: Uint8Array | undefined;
  if (association) {
    const name = inputById('secret-name').value;
    if (name === '') throw new InputError('ERR_SECRET_NAME', 'secret name: empty (an association secret needs a name)');
    const valueFile = fileOf(inputById('secret-value'));
    secretValue = valueFile ? await readFixedSecret(valueFile, 'secret value') : portableBackend.randomBytes(SECRET_FILE_SIZE);
    secret = { type: 'association', name, value: secretValue.slice() };
    secretInfoYaml(secret); // checks the name now, before any certificate work (pvsecret's order)
  }

  let extensionSecret: BuildInputs['extensionSecret'];
  const extKind = byId<HTMLSelectElement>('extension-kind').value;
  if (extKind !== 'none') {
    const f = fileOf(inputById('extension-file'));
    if (!f) throw optionError(`extension secret: no ${extKind === 'cck' ? 'CCK' : 'extension secret'} file chosen`);
    const bytes = await readFixedSecret(f, extKind === 'cck' ? 'customer communication key' : 'extension secret');
    extensionSecret = extKind === 'cck' ? { cck: bytes } : { value: bytes };
  }

  const requestName = inputById('request-name').value.trim();
  if (requestName === '') throw optionError('request file name: empty');
  const cuid = parseCuid(inputById('cuid').value);
  return {
    header,
    hostKeyFiles,
    hostKeyDocuments,
    verify,
    secret,
    ...(secretValue ? { secretValue } : {}),
    saveSecret: association && inputById('save-secret').checked,
    ...(cuid ? { cuid } : {}),
    disableDump: inputById('disable-dump').checked,
    ...(extensionSecret ? { extensionSecret } : {}),
    requestName,
  };
}

/** Host-key verification with each step ticked off as the library reports it. */
async function verifyWithSteps(steps: Checklist, inputs: BuildInputs): Promise<VerifiedHostKey[]> {
  if (!inputs.verify) return [];
  const names = inputs.hostKeyFiles.map((f) => f.name);
  steps.set('inputs', 'running');
  const onStep = (s: VerificationStep): void => {
    switch (s.step) {
      case 'inputs':
        steps.set('inputs', 'passed', `${s.certificates} certificate(s), ${s.crls} CRL(s), ${s.roots} trusted root(s); offline: no CRL is downloaded`);
        steps.set('signing-key', 'running');
        break;
      case 'signing-key':
        steps.set('signing-key', 'passed', s.subject);
        steps.set('chain', 'running');
        break;
      case 'chain':
        steps.set('chain', 'passed', s.subjects.join(' → '));
        steps.set('hkd-0', 'running');
        break;
      case 'host-key-document':
        steps.set(`hkd-${s.index}`, 'passed', `${names[s.index]}: ${s.keys.map((k) => k.subject).join('; ')}`);
        if (s.index + 1 < names.length) steps.set(`hkd-${s.index + 1}`, 'running');
        break;
    }
  };
  return verifyHostKeyDocuments({ hostKeyDocuments: [...inputs.hostKeyDocuments], ...inputs.verify, offline: true, now: new Date(), onStep });
}

function showHostKeys(keys: readonly HostKey[], documentOf: (i: number) => string, header: SeHeader): number {
  const body = byId('host-keys-body');
  body.replaceChildren();
  let missing = 0;
  keys.forEach((k, i) => {
    const inHeader = hostKeysNotInHeader(header, [k]).length === 0;
    if (!inHeader) missing++;
    const tr = document.createElement('tr');
    for (const [text, cls] of [
      [documentOf(i), ''],
      [k.subject ?? '', ''],
      [hex(k.hash), 'hash'],
      [inHeader ? 'yes' : 'NO: the guest was not built for this host', inHeader ? '' : 'bad'],
    ] as const) {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls) td.className = cls;
      tr.append(td);
    }
    body.append(tr);
  });
  byId('host-keys').hidden = keys.length === 0;
  return missing;
}

function setOutcome(text: string, ok: boolean): void {
  const out = byId('outcome');
  out.textContent = text;
  out.className = ok ? 'ok' : 'bad';
}

/** Runs one build from the form's current state. */
export async function buildFromForm(): Promise<void> {
  const result = byId('result');
  const downloads = byId('downloads');
  clearDownloads(downloads);
  byId('host-keys').hidden = true;
  setOutcome('', true);
  result.hidden = false;

  const noVerify = inputById('no-verify').checked;
  const hkdNames = filesOf(inputById('host-key-documents')).map((f) => f.name);
  const steps = new Checklist(byId<HTMLOListElement>('steps'));
  steps.add('read', 'Read the SE header, the files and the options');
  if (noVerify) {
    steps.add('no-verify', 'Verify the host-key documents');
  } else {
    steps.add('inputs', 'Read the certificates, CRLs and root CA');
    steps.add('signing-key', 'Find the one IBM Z signing key among the certificates');
    steps.add('chain', "Verify the signing key's chain up to the root CA, with a valid CRL for every link");
    const names = hkdNames.length ? hkdNames : ['(none chosen)'];
    for (const [i, n] of names.entries()) steps.add(`hkd-${i}`, `Host-key document ${n}: signed by the IBM Z signing key, valid now, not revoked`);
  }
  steps.add('build', 'Build and encrypt the request');
  byId('steps-heading').focus();

  let inputs: BuildInputs | undefined;
  try {
    steps.set('read', 'running');
    inputs = await readInputs();
    const h = inputs.header;
    steps.set(
      'read',
      'passed',
      `${h.offset === 0 ? 'SE header' : `SE image, header at offset 0x${h.offset.toString(16)}`}; ${h.hostKeyHashes.length} host-key hash(es) in it; ${inputs.hostKeyDocuments.length} host-key document(s)`,
    );
    if (noVerify) steps.set('no-verify', 'skipped', 'verification turned off: the host-key documents were NOT checked against the IBM Z signing key');

    const verified = await verifyWithSteps(steps, inputs);
    const hostKeys: HostKey[] = noVerify ? hostKeysFromDocuments([...inputs.hostKeyDocuments]) : verified;
    const documentOf = (i: number) => (noVerify ? (hkdNames[i] ?? `#${i + 1}`) : (hkdNames[verified[i]?.documentIndex ?? i] ?? ''));
    const missing = showHostKeys(hostKeys, documentOf, h);

    steps.set('build', 'running');
    const { pld, ald, tld, tag } = h;
    const request = await createAddSecretRequest({
      secret: inputs.secret,
      seHeader: { pld, ald, tld, tag },
      hostKeys: noVerify ? [...inputs.hostKeyDocuments] : verified,
      ...(noVerify ? { verify: false as const } : {}),
      flags: { disableDump: inputs.disableDump },
      ...(inputs.cuid ? { cuid: inputs.cuid } : {}),
      ...(inputs.extensionSecret ? { extensionSecret: inputs.extensionSecret } : {}),
    });
    const info = parseAddSecretRequest(request);
    steps.set('build', 'passed', `${request.length} bytes, ${info.keySlots.length} key slot(s), bound to SE-header tag ${hex(info.tag)}`);

    addDownload(downloads, inputs.requestName, request, 'the add-secret request: copy it into the guest and run pvsecret add');
    if (inputs.secret.type === 'association') {
      const yamlName = secretInfoFileName(inputs.secret.name);
      addDownload(downloads, yamlName, secretInfoYaml(inputs.secret), "the secret's name and id, for the guest's configuration", 'text/yaml');
      if (inputs.saveSecret && inputs.secretValue) {
        addDownload(downloads, yamlName.replace(/\.yaml$/, '.secret'), inputs.secretValue, 'the secret value: keep it safe, destroy it when done');
      }
    }
    const warn = missing > 0 ? ` Warning: ${missing} host key(s) are not in the SE header; the guest cannot run on those hosts.` : '';
    const unsafe = noVerify ? ' The host-key documents were not verified.' : '';
    setOutcome(`Request built.${unsafe}${warn}`, missing === 0 && !noVerify);
  } catch (e) {
    const err = steps.fail(e);
    setOutcome(`No request was built. ${err.code}: ${err.message}`, false);
  } finally {
    inputs?.secretValue?.fill(0);
    if (inputs?.secret.type === 'association') inputs.secret.value?.fill(0);
    if (inputs?.extensionSecret) ('cck' in inputs.extensionSecret ? inputs.extensionSecret.cck : inputs.extensionSecret.value).fill(0);
  }
}
