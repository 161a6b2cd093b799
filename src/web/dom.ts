/**
 * Small DOM helpers of the offline page: elements by id, reading dropped files (whole
 * only when small), drag and drop onto file inputs, and download links.
 *
 * @module
 */
import { FileError } from './lib.js';

/** The element with this id, which the page's HTML must have. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page: element #${id} is missing`);
  return el as T;
}

export function inputById(id: string): HTMLInputElement {
  return byId<HTMLInputElement>(id);
}

/** The files chosen in a file input, in order. */
export function filesOf(input: HTMLInputElement): File[] {
  return input.files ? Array.from(input.files) : [];
}

/** The one file chosen in a file input, if any. */
export function fileOf(input: HTMLInputElement): File | undefined {
  return filesOf(input)[0];
}

/** Largest certificate, CRL or key file read whole (CRLs of big CAs run to megabytes). */
export const MAX_SMALL_FILE = 32 * 1024 * 1024;

/**
 * The bytes of a small input file (certificate, CRL, key). Files larger than `limit`
 * are refused without reading them.
 *
 * @throws FileError `ERR_FILE`
 */
export async function readSmallFile(file: File, what: string, limit = MAX_SMALL_FILE): Promise<Uint8Array> {
  if (file.size > limit) throw new FileError('ERR_FILE', `${what} '${file.name}': ${file.size} bytes is too large (expected at most ${limit})`);
  try {
    return new Uint8Array(await file.arrayBuffer());
  } catch (cause) {
    throw new FileError('ERR_FILE', `${what} '${file.name}': cannot read (${cause instanceof Error ? cause.name : 'error'})`, { cause });
  }
}

/** Lowercase hex (the page reaches the library only through its published bundle, which exports no hex helper). */
export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * Lets files be dropped anywhere on each `.drop` box: they go to the box's file input
 * (the first one only, for a single-file input) as if chosen in its dialog.
 */
export function enableDropZones(root: ParentNode): void {
  for (const zone of Array.from(root.querySelectorAll<HTMLElement>('.drop'))) {
    const input = zone.querySelector<HTMLInputElement>('input[type="file"]');
    if (!input) continue;
    zone.addEventListener('dragover', (e) => {
      e.preventDefault();
      zone.classList.add('dragging');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('dragging');
      const dropped = e.dataTransfer ? Array.from(e.dataTransfer.files) : [];
      if (dropped.length === 0) return;
      const dt = new DataTransfer();
      for (const f of input.multiple ? dropped : dropped.slice(0, 1)) dt.items.add(f);
      input.files = dt.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
  }
}

/** Download links made for the last result, so their object URLs can be released. */
const liveUrls: string[] = [];

/** Removes the previous download links and releases their memory. */
export function clearDownloads(list: HTMLElement): void {
  for (const url of liveUrls.splice(0)) URL.revokeObjectURL(url);
  list.replaceChildren();
}

/** Adds a download link for `bytes` named `fileName`, described by `label`. */
export function addDownload(
  list: HTMLElement,
  fileName: string,
  bytes: Uint8Array | string,
  label: string,
  type = 'application/octet-stream',
): HTMLAnchorElement {
  const blob = new Blob([bytes as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  liveUrls.push(url);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.textContent = `Download ${fileName}`;
  a.dataset.file = fileName;
  const li = document.createElement('li');
  li.append(a, ` — ${label} (${blob.size} bytes)`);
  list.append(li);
  return a;
}

/** `code: message` of an error, for display. */
export function describeError(e: unknown): { code: string; message: string } {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string' && e instanceof Error) {
    return { code: e.code, message: e.message };
  }
  return { code: 'ERR_UNEXPECTED', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
}
