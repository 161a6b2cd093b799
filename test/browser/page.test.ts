/**
 * The offline page dist/web/index.html, opened from disk (file://) in headless Chromium
 * with the network off: files in, request out — the request opened here with
 * node:crypto and the host's private key, NAME.yaml compared with the library's — the
 * verification checklist on failures, the no-verify mode, the inspector, slice-wise
 * reading of a large image, keyboard access and labels, and the file's own promises
 * (one file, no URL, a CSP that forbids any network access).
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerReport, headerReportText, parseAddSecretRequest, parseSeHeader, requestReport, requestReportText, secretInfoFileName, secretInfoYaml } from '../../src/index.js';
import { independentHostKeyHash, openRequest } from '../helpers/independent.js';
import { hostPoint, hostScalar, SAMPLES, sample } from '../helpers/samples.js';
import { HAVE_UPSTREAM, UPSTREAM_DIR, UPSTREAM_SKIP_REASON } from '../helpers/upstream.js';
import { VECTOR_DIR } from '../helpers/vectors.js';
import { BROWSER_SKIP_REASON, launchChromium, type NetworkLog, offlineContext, PAGE, prerequisiteTest, suiteTitle } from './chromium.js';

const S = (f: string) => join(SAMPLES, f);
const VERIFY_FILES = {
  '#signing-key': S('ibm-z-host-key-signing.crt'),
  '#intermediate-ca': S('intermediate-ca.crt'),
  '#crls': [S('ibm-z-host-key.crl'), S('intermediate-ca.crl'), S('root-ca.crl')],
  '#root-ca': S('root-ca.crt'),
};

/** Init script: records the size of every Blob/File read, however it is read. */
function recordReads(): void {
  const reads: number[] = [];
  (globalThis as unknown as { __reads: number[] }).__reads = reads;
  const B = Blob.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const m of ['arrayBuffer', 'text', 'stream', 'bytes']) {
    const orig = B[m];
    if (typeof orig !== 'function') continue;
    B[m] = function (this: Blob, ...a: unknown[]) {
      reads.push(this.size);
      return orig.apply(this, a);
    };
  }
  const R = FileReader.prototype as unknown as Record<string, (b: Blob, ...a: unknown[]) => unknown>;
  for (const m of ['readAsArrayBuffer', 'readAsText', 'readAsDataURL', 'readAsBinaryString']) {
    const orig = R[m]!;
    R[m] = function (this: FileReader, b: Blob, ...a: unknown[]) {
      reads.push(b.size);
      return orig.call(this, b, ...a);
    };
  }
}

interface Opened {
  page: Page;
  network: NetworkLog;
  /** Console errors and uncaught exceptions (CSP violations show up here). */
  problems: string[];
}

const status = (page: Page, step: string) => page.locator(`#step-${step}`).getAttribute('data-status');
const reads = (page: Page) => page.evaluate(() => (globalThis as unknown as { __reads: number[] }).__reads.slice());

async function downloadAll(page: Page): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const links = page.locator('#downloads a');
  for (let i = 0; i < (await links.count()); i++) {
    const [d] = await Promise.all([page.waitForEvent('download'), links.nth(i).click()]);
    const path = await d.path();
    out.set(d.suggestedFilename(), readFileSync(path));
  }
  return out;
}

async function setVerifyFiles(page: Page, except: string[] = []): Promise<void> {
  for (const [sel, files] of Object.entries(VERIFY_FILES)) {
    await page.setInputFiles(sel, Array.isArray(files) ? files.filter((f) => !except.includes(f)) : except.includes(files) ? [] : files);
  }
}

prerequisiteTest();

describe.skipIf(BROWSER_SKIP_REASON !== undefined)(suiteTitle('the offline page in Chromium'), () => {
  let browser: Browser;
  let dir: string;
  const opened: Opened[] = [];

  async function openPage(): Promise<Opened> {
    const { context, network } = await offlineContext(browser);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    await page.addInitScript(recordReads);
    await page.goto(pathToFileURL(PAGE).href);
    await expect.poll(() => page.locator('#js-status').getAttribute('data-ready')).toBe('true');
    const o = { page, network, problems };
    opened.push(o);
    return o;
  }

  async function build(page: Page, expectOk = true): Promise<void> {
    // By keyboard: focus the button and press Enter.
    await page.focus('#build-button');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#outcome').textContent()).toMatch(expectOk ? /^Request built\./ : /^No request was built\./);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'se-secrets-page-'));
    writeFileSync(join(dir, 'value.bin'), new Uint8Array(32).fill(0x33));
    writeFileSync(join(dir, 'ext.bin'), new Uint8Array(32).fill(0x44));
    browser = await launchChromium();
  }, 30_000);

  afterAll(async () => {
    // Nothing left any page, and no page logged an error (a CSP violation would).
    for (const o of opened) {
      expect(o.network.blocked).toEqual([]);
      expect(o.problems).toEqual([]);
    }
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('builds an association request from dropped files that the host key opens, and NAME.yaml as pvsecret writes it', async () => {
    const { page } = await openPage();
    await page.setInputFiles('#se-header', S('sample-se.img'));
    await expect.poll(() => page.locator('#se-header-info').textContent()).toMatch(/header at offset 0x14000: version 0x100, 2 host-key hash/);
    await page.setInputFiles('#host-key-documents', S('HKD-sample-1.crt'));
    await setVerifyFiles(page);
    await page.fill('#secret-name', 'my secret');
    await page.setInputFiles('#secret-value', join(dir, 'value.bin'));
    await page.check('#save-secret');
    await page.fill('#cuid', '0x00112233445566778899aabbccddeeff');
    await page.check('#disable-dump');
    await page.selectOption('#extension-kind', 'value');
    await page.setInputFiles('#extension-file', join(dir, 'ext.bin'));
    await build(page);

    for (const step of ['read', 'inputs', 'signing-key', 'chain', 'hkd-0', 'build']) expect(await status(page, step), step).toBe('passed');
    // Focus moved to the results, so a screen reader reads them next.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('steps-heading');
    expect(await page.locator('#step-chain .detail').textContent()).toMatch(/IBM Z Host Key Signing Service → .*Code Signing CA → .*Root CA G4/);
    expect(await page.locator('#host-keys-body td').nth(3).textContent()).toBe('yes');

    const files = await downloadAll(page);
    expect([...files.keys()].sort()).toEqual(['assoc.req', 'my_secret.secret', 'my_secret.yaml']);
    const req = files.get('assoc.req')!;
    const o = openRequest(req, hostScalar(1));
    expect(o.secretType).toBe(2);
    expect(o.secretId).toEqual(createHash('sha256').update('my secret').digest());
    expect(o.plaintext).toEqual(Buffer.concat([Buffer.alloc(32, 0x33), Buffer.alloc(32, 0x44)]));
    expect(o.flags).toBe(0x8000000000000000n);
    expect(o.cuid.toString('hex')).toBe('00112233445566778899aabbccddeeff');
    expect(o.nks).toBe(1);
    expect(o.slots[0]!.hash).toEqual(independentHostKeyHash(hostPoint(sample('HKD-sample-1.crt'))));
    const hdr = parseSeHeader(sample('sample-se.img'));
    for (const k of ['pld', 'ald', 'tld', 'tag'] as const) expect(o[k].toString('hex'), k).toBe(Buffer.from(hdr[k]).toString('hex'));
    expect(files.get('my_secret.yaml')!.toString('utf8')).toBe(secretInfoYaml({ type: 'association', name: 'my secret' }));
    expect(secretInfoFileName('my secret')).toBe('my_secret.yaml');
    expect(files.get('my_secret.secret')).toEqual(Buffer.alloc(32, 0x33));

    // Every read was a slice or a small file: the 96 KiB image was never read whole.
    const sizes = await reads(page);
    expect(sizes.length).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThan(8192);
  });

  it('builds a meta request for two hosts; each host key opens its own slot', async () => {
    const { page } = await openPage();
    await page.check('#type-meta');
    expect(await page.inputValue('#request-name')).toBe('meta.req');
    expect(await page.isHidden('#secret-name')).toBe(true);
    await page.setInputFiles('#se-header', S('sample.hdr'));
    await page.setInputFiles('#host-key-documents', [S('HKD-sample-1.crt'), S('HKD-sample-2.crt')]);
    await setVerifyFiles(page);
    await build(page);
    expect(await status(page, 'hkd-1')).toBe('passed');
    const files = await downloadAll(page);
    expect([...files.keys()]).toEqual(['meta.req']);
    const req = files.get('meta.req')!;
    expect(parseAddSecretRequest(new Uint8Array(req)).secret.type).toBe(1);
    expect(openRequest(req, hostScalar(1)).slotIndex).toBe(0);
    expect(openRequest(req, hostScalar(2)).slotIndex).toBe(1);
  });

  it('marks the step that failed, with its code, and builds nothing', async () => {
    const { page } = await openPage();
    await page.setInputFiles('#se-header', S('sample-se.img'));
    await page.setInputFiles('#host-key-documents', S('HKD-sample-1.crt'));
    await page.fill('#secret-name', 'x');

    // No CRL for the intermediate CA's issuer (the root's CRL): the chain cannot be checked.
    await setVerifyFiles(page, [S('root-ca.crl')]);
    await build(page, false);
    expect(await status(page, 'read')).toBe('passed');
    expect(await status(page, 'inputs')).toBe('passed');
    expect(await status(page, 'signing-key')).toBe('passed');
    expect(await status(page, 'chain')).toBe('failed');
    expect(await page.locator('#step-chain .detail').textContent()).toMatch(/^ERR_SIGNING_KEY_UNTRUSTED: host-key verification: .*level 1/);
    expect(await status(page, 'hkd-0')).toBe('not-run');
    expect(await status(page, 'build')).toBe('not-run');
    expect(await page.locator('#downloads a').count()).toBe(0);
    expect(await page.locator('#step-chain .status').textContent()).toBe('✗ Failed');

    // No root CA: a browser has no root store, so the page says what to add.
    await setVerifyFiles(page, [S('root-ca.crt')]);
    await build(page, false);
    expect(await status(page, 'read')).toBe('failed');
    expect(await page.locator('#step-read .detail').textContent()).toMatch(
      /^ERR_INVALID_OPTION: root CA: none chosen; a browser page has no store of trusted roots/,
    );

    // Input errors come before any certificate work, as in pvsecret.
    await setVerifyFiles(page);
    await page.fill('#cuid', '0x1234');
    await build(page, false);
    expect(await page.locator('#step-read .detail').textContent()).toMatch(/^ERR_CUID: /);
    expect(await status(page, 'inputs')).toBe('not-run');
  });

  it('builds without verification only behind the loud checkbox', async () => {
    const { page } = await openPage();
    expect(await page.isChecked('#no-verify')).toBe(false);
    expect(await page.isHidden('#no-verify-warning')).toBe(true);
    await page.check('#no-verify');
    expect(await page.isVisible('#no-verify-warning')).toBe(true);
    expect(await page.getAttribute('#no-verify-warning', 'role')).toBe('alert');
    await page.setInputFiles('#se-header', S('sample-se.img'));
    await page.setInputFiles('#host-key-documents', S('HKD-sample-2.crt'));
    await page.fill('#secret-name', 'unverified');
    await build(page);
    expect(await status(page, 'no-verify')).toBe('skipped');
    expect(await page.locator('#outcome').textContent()).toMatch(/not verified/);
    const files = await downloadAll(page);
    expect(openRequest(files.get('assoc.req')!, hostScalar(2)).secretType).toBe(2);
  });

  describe('inspect', () => {
    async function inspect(page: Page, file: string): Promise<string> {
      await page.setInputFiles('#inspect-file', file);
      const name = basename(file);
      await expect
        .poll(() => page.locator('#inspect-status').textContent())
        .toSatisfy((t: string | null) => t === `Inspected ${name}.` || (t?.startsWith('ERR_') && t.includes(name)) === true);
      return (await page.locator('#inspect-output').textContent()) ?? '';
    }

    it('shows a request and an SE image as `se-secrets inspect` does, and refuses other files', async () => {
      const { page } = await openPage();
      const vector = join(VECTOR_DIR, 'assoc_none_default_ncuid_one');
      const bytes = new Uint8Array(readFileSync(vector));
      expect(await inspect(page, vector)).toBe(requestReportText(requestReport(parseAddSecretRequest(bytes), 'assoc_none_default_ncuid_one', bytes.length)));
      const img = sample('sample-se.img');
      expect(await inspect(page, S('sample-se.img'))).toBe(headerReportText(headerReport(parseSeHeader(img), 'sample-se.img', img.length)));
      expect(await inspect(page, S('root-ca.crt'))).toBe('');
      expect(await page.locator('#inspect-status').textContent()).toBe(
        "ERR_INVALID_OPTION: 'root-ca.crt' is neither an add-secret request nor an SE header or SE image",
      );
    });

    it.skipIf(!HAVE_UPSTREAM)(
      `shows the reference's request exp/asrcb/assoc_none_default_cuid_one${HAVE_UPSTREAM ? '' : ` — SKIPPED: ${UPSTREAM_SKIP_REASON}`}`,
      async () => {
        const { page } = await openPage();
        const file = join(UPSTREAM_DIR, 'exp/asrcb/assoc_none_default_cuid_one');
        const text = await inspect(page, file);
        expect(text).toMatch(/^Secret type: +0x02 \(Association\)$/m);
        expect(text).toMatch(/^CUID: +0x42424242424242424242424242424242$/m);
        const bytes = new Uint8Array(readFileSync(file));
        expect(text).toBe(requestReportText(requestReport(parseAddSecretRequest(bytes), 'assoc_none_default_cuid_one', bytes.length)));
      },
    );
  });

  it('reads a 2 GiB image a slice at a time', async () => {
    // Sparse: image metadata at 0xc000 points at the sample header near the end.
    const big = join(dir, 'big-se.img');
    const size = 2 * 1024 ** 3;
    const offset = size - 0x10000;
    const meta = Buffer.alloc(28);
    meta.write('SeImgLnx', 0, 'latin1');
    meta.writeBigUInt64BE(BigInt(offset), 8);
    meta.writeUInt32BE(1, 16);
    const fd = openSync(big, 'w');
    writeSync(fd, meta, 0, meta.length, 0xc000);
    writeSync(fd, sample('sample.hdr'), 0, 720, offset);
    writeSync(fd, Buffer.alloc(1), 0, 1, size - 1);
    closeSync(fd);

    const { page } = await openPage();
    await page.setInputFiles('#se-header', big);
    await expect
      .poll(() => page.locator('#se-header-info').textContent())
      .toMatch(new RegExp(`SE image \\(${size} bytes\\), header at offset 0x${offset.toString(16)}: version 0x100, 2 host-key hash`));
    await page.setInputFiles('#host-key-documents', S('HKD-sample-1.crt'));
    await setVerifyFiles(page);
    await page.fill('#secret-name', 'big');
    await build(page);
    const req = (await downloadAll(page)).get('assoc.req')!;
    expect(openRequest(req, hostScalar(1)).tag).toEqual(Buffer.from(parseSeHeader(sample('sample.hdr')).tag));
    expect(Math.max(...(await reads(page)))).toBeLessThan(8192);
  });

  it('is usable by keyboard: every control has a label and is reached with Tab', async () => {
    const { page } = await openPage();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const controls = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('input, select, button, textarea')).map((el) => ({
        id: el.id,
        labelled:
          ((el as HTMLInputElement).labels?.length ?? 0) > 0 || !!el.getAttribute('aria-label') || (el.tagName === 'BUTTON' && !!el.textContent?.trim()),
        visible: el.offsetParent !== null,
        tabbable: !(el as HTMLInputElement).disabled && el.tabIndex >= 0 && !((el as HTMLInputElement).type === 'radio' && !(el as HTMLInputElement).checked),
      })),
    );
    for (const c of controls) expect(c.labelled, `#${c.id} has a label`).toBe(true);
    const expected = controls.filter((c) => c.visible && c.tabbable).map((c) => c.id);
    expect(expected.length).toBeGreaterThan(15);

    const reached = new Set<string>();
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => document.activeElement?.id ?? '');
      if (id) reached.add(id);
    }
    for (const id of expected) expect(reached.has(id), `#${id} is reached with Tab`).toBe(true);

    // The radio group works with the arrow keys and switches the form.
    await page.focus('#type-association');
    await page.keyboard.press('ArrowDown');
    expect(await page.isChecked('#type-meta')).toBe(true);
    expect(await page.isHidden('#secret-name')).toBe(true);
  });

  it('refuses network access itself: its CSP stops a fetch before it reaches the network', async () => {
    const o = await openPage();
    const outcome = await o.page.evaluate(() =>
      fetch('https://example.invalid/probe').then(
        () => 'fetched',
        (e: Error) => e.name,
      ),
    );
    expect(outcome).toBe('TypeError');
    expect(o.network.blocked).toEqual([]); // refused by the page, not by the test's network block
    expect(o.problems.some((p) => /Refused to connect .*Content Security Policy/.test(p))).toBe(true);
    o.problems.length = 0;
  });

  it('is one self-contained file: inline script and style only, no URL, network forbidden by its CSP', () => {
    const html = readFileSync(PAGE, 'utf8');
    // The licence notices (one comment before <html>) may name their authors' sites; nothing else may.
    const notices = html.match(/^<!doctype html>\n(<!--\n[\s\S]*?\n-->)\n<html lang="en">/)?.[1] ?? '';
    expect(notices).toContain('@noble/curves');
    // match() rather than toMatch(): a failure prints the offending text, not 800 KiB.
    expect(html.replace(notices, '').match(/\b(?:https?|wss?|ftp):\/\/[^\s"'<>]*/gi)).toBeNull();
    expect(html.match(/<(?:link|iframe|object|embed|img|base)\b[^>]*>/gi)).toBeNull();
    const style = html.slice(html.indexOf('<style>') + 7, html.indexOf('</style>'));
    expect(style.match(/@import|url\(/gi)).toBeNull();
    expect(html.match(/<script\b[^>]*>/gi)).toEqual(['<script type="module">']);
    expect(html.match(/<style\b[^>]*>/gi)).toEqual(['<style>']);
    const csp = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)?.[1] ?? '';
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'; style-src 'sha256-[A-Za-z0-9+/=]+'; connect-src 'none';/);
    const scriptStart = html.indexOf('<script type="module">') + 22;
    const scriptEnd = html.lastIndexOf('</script>');
    const script = html.slice(scriptStart, scriptEnd);
    // The markup links nowhere but inside itself.
    const markup = html.slice(0, scriptStart) + html.slice(scriptEnd);
    for (const m of markup.matchAll(/\s(?:src|href|action|formaction|srcset|poster|data|ping)=["']?([^"'\s>]*)/gi)) expect(m[1], m[0]).toMatch(/^#/);
    expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    const published = readFileSync(`${PAGE}.sha256`, 'utf8');
    expect(published).toBe(`${createHash('sha256').update(readFileSync(PAGE)).digest('hex')}  index.html\n`);
  });
});
