/**
 * The offline page (dist/web/index.html): wires the forms to the builder and the
 * inspector. Built by scripts/build-web.mjs into the page's one inline module script.
 *
 * @module
 */
import { buildFromForm } from './build.js';
import { byId, describeError, enableDropZones, inputById } from './dom.js';
import { inspectFromForm } from './inspect.js';
import { readSeHeaderFromBlob } from './lib.js';

const DEFAULT_REQUEST_NAMES = { association: 'assoc.req', meta: 'meta.req' } as const;

let headerGeneration = 0;

/** Shows what the chosen SE image or header holds as soon as it is chosen (the latest choice wins). */
async function describeHeader(): Promise<void> {
  const run = ++headerGeneration;
  const info = byId('se-header-info');
  const file = inputById('se-header').files?.[0];
  info.className = 'info';
  info.textContent = file ? `Reading ${file.name}…` : '';
  if (!file) return;
  let text: string;
  let bad = false;
  try {
    const h = await readSeHeaderFromBlob(file);
    const where = h.offset === 0 ? 'SE header' : `SE image (${file.size} bytes), header at offset 0x${h.offset.toString(16)}`;
    text = `${where}: version 0x${h.version.toString(16)}, ${h.hostKeyHashes.length} host-key hash(es).`;
  } catch (e) {
    const err = describeError(e);
    text = `${err.code}: ${err.message}`;
    bad = true;
  }
  if (run !== headerGeneration) return;
  info.className = bad ? 'info bad' : 'info';
  info.textContent = text;
}

function syncSecretType(): void {
  const association = inputById('type-association').checked;
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('.association-only'))) {
    el.hidden = !association;
  }
  const name = inputById('request-name');
  const values: string[] = Object.values(DEFAULT_REQUEST_NAMES);
  if (values.includes(name.value)) name.value = association ? DEFAULT_REQUEST_NAMES.association : DEFAULT_REQUEST_NAMES.meta;
}

function syncVerification(): void {
  byId('no-verify-warning').hidden = !inputById('no-verify').checked;
}

function syncExtension(): void {
  byId('extension-file-field').hidden = byId<HTMLSelectElement>('extension-kind').value === 'none';
}

/** Tasks running per button: it stays disabled until the last one ends. */
const running = new WeakMap<HTMLButtonElement, number>();

/** Runs `task` with `button` disabled, so a slow build is not started twice by accident. */
async function busy(button: HTMLButtonElement, task: () => Promise<void>): Promise<void> {
  running.set(button, (running.get(button) ?? 0) + 1);
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    await task();
  } finally {
    const left = (running.get(button) ?? 1) - 1;
    running.set(button, left);
    if (left === 0) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }
}

function start(): void {
  enableDropZones(document);
  inputById('se-header').addEventListener('change', () => void describeHeader());
  for (const id of ['type-association', 'type-meta']) inputById(id).addEventListener('change', syncSecretType);
  inputById('no-verify').addEventListener('change', syncVerification);
  byId('extension-kind').addEventListener('change', syncExtension);
  byId<HTMLFormElement>('build-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const button = byId<HTMLButtonElement>('build-button');
    if (!button.disabled) void busy(button, buildFromForm);
  });
  byId<HTMLFormElement>('inspect-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void busy(byId<HTMLButtonElement>('inspect-button'), inspectFromForm);
  });
  inputById('inspect-file').addEventListener('change', () => void busy(byId<HTMLButtonElement>('inspect-button'), inspectFromForm));
  syncSecretType();
  syncVerification();
  syncExtension();
  const status = byId('js-status');
  status.textContent = 'Ready. Everything happens in this page; nothing is sent anywhere.';
  status.dataset.ready = 'true';
}

start();
