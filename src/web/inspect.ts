/**
 * The offline page's inspector: the non-confidential fields of a dropped add-secret
 * request, SE header or SE image, in the report `se-secrets inspect` prints. Images are
 * read a slice at a time.
 *
 * @module
 */
import { byId, describeError, fileOf, inputById, readSmallFile } from './dom.js';
import { InputError, hasRequestMagic, headerReport, headerReportText, isSeSecretsError, parseAddSecretRequest, readSeHeaderFromBlob, requestReport, requestReportText } from './lib.js';

/** Bytes read to tell a request from an image: its magic, and the user-data type after it. */
const REQUEST_MAGIC_READ = 8;
/** Far above any request (header, key slots and an 8 KiB secret): larger files are refused unread. */
const MAX_REQUEST_FILE = 1024 * 1024;

async function report(file: File, warnings: string[]): Promise<string> {
  const head = new Uint8Array(await file.slice(0, REQUEST_MAGIC_READ).arrayBuffer());
  if (hasRequestMagic(head)) {
    const info = parseAddSecretRequest(await readSmallFile(file, 'add-secret request', MAX_REQUEST_FILE));
    return requestReportText(requestReport(info, file.name, file.size));
  }
  try {
    const hdr = await readSeHeaderFromBlob(file, { onWarning: (m) => warnings.push(m) });
    return headerReportText(headerReport(hdr, file.name, file.size));
  } catch (e) {
    if (isSeSecretsError(e, 'ERR_HEADER_NOT_FOUND')) {
      throw new InputError('ERR_INVALID_OPTION', `'${file.name}' is neither an add-secret request nor an SE header or SE image`, { cause: e });
    }
    throw e;
  }
}

/** Counts runs, so that only the latest one (the file chosen last) shows its result. */
let generation = 0;

/** Inspects the file chosen in the inspect form. */
export async function inspectFromForm(): Promise<void> {
  const run = ++generation;
  const status = byId('inspect-status');
  const out = byId('inspect-output');
  const file = fileOf(inputById('inspect-file'));
  out.hidden = true;
  out.textContent = '';
  status.className = '';
  status.textContent = file ? `Reading ${file.name}…` : 'Choose or drop a file to inspect.';
  if (!file) return;
  const warnings: string[] = [];
  let text: string | undefined;
  let error: { code: string; message: string } | undefined;
  try {
    text = await report(file, warnings);
  } catch (e) {
    error = describeError(e);
  }
  if (run !== generation) return;
  if (text !== undefined) {
    out.textContent = text;
    out.hidden = false;
    status.textContent = `Inspected ${file.name}.${warnings.length ? ` Warning: ${warnings.join('; ')}` : ''}`;
  } else if (error) {
    status.className = 'bad';
    status.textContent = `${error.code}: ${error.message}`;
  }
}
