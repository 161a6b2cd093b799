/**
 * Headless Chromium for the browser tests: Debian's `chromium` package driven by
 * playwright-core. Without it, a developer's run skips these suites with a message
 * saying why; under CI (CI=true) they must run, so a missing browser fails them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { expect, it } from 'vitest';

export const CHROMIUM = process.env.SE_SECRETS_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const IN_CI = process.env.CI === 'true';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BUNDLE = join(ROOT, 'dist', 'browser', 'se-secrets.js');
export const PAGE = join(ROOT, 'dist', 'web', 'index.html');
export const HAVE_BUILD = existsSync(BUNDLE) && existsSync(PAGE);

/** Why the browser suites are skipped on this machine, or undefined when they run. */
export const BROWSER_SKIP_REASON = IN_CI
  ? undefined // CI runs them whatever is missing, and fails on it
  : !HAVE_CHROMIUM
    ? `no Chromium at ${CHROMIUM} (install Debian's chromium package: apt-get install chromium; or set SE_SECRETS_CHROMIUM)`
    : !HAVE_BUILD
      ? 'dist/browser/se-secrets.js or dist/web/index.html is missing (run npm run build; npm test does)'
      : undefined;

if (BROWSER_SKIP_REASON) console.warn(`SKIPPING browser tests: ${BROWSER_SKIP_REASON}`);

/** A suite title that says when and why it is skipped. */
export function suiteTitle(title: string): string {
  return BROWSER_SKIP_REASON ? `${title} — SKIPPED: ${BROWSER_SKIP_REASON}` : title;
}

/**
 * Fails loudly (under CI) when Chromium or the build is missing, instead of skipping.
 * Run as a test of its own (see {@link prerequisiteTest}) and again before each launch.
 */
export function assertPrerequisites(): void {
  expect(HAVE_CHROMIUM, `Chromium is missing at ${CHROMIUM}; .ci/run installs Debian's chromium package`).toBe(true);
  expect(HAVE_BUILD, 'dist/browser/se-secrets.js or dist/web/index.html is missing; run npm run build').toBe(true);
}

/** The suites' first test: under CI, or wherever the suites run, Chromium and the build are present. */
export function prerequisiteTest(): void {
  it.skipIf(BROWSER_SKIP_REASON !== undefined)('Chromium and the built bundle and page are present', assertPrerequisites);
}

/** Flags known to work headless as root in a container; the profile is a fresh temporary one. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  assertPrerequisites();
  // No launch timeout of its own: the hook's timeout bounds it (on a busy machine Chromium
  // may take long to start).
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 0 });
}

/** Every URL a context asked for that is not local (file:, blob:, data:, about:). */
export interface NetworkLog {
  readonly blocked: string[];
}

const LOCAL = /^(file|blob|data|about):/;

/**
 * A context with the network off: offline mode, every non-local request aborted and
 * recorded (tests assert that none was made).
 */
export async function offlineContext(browser: Browser): Promise<{ context: BrowserContext; network: NetworkLog }> {
  const context = await browser.newContext({ acceptDownloads: true, offline: true, serviceWorkers: 'block' });
  const network: NetworkLog = { blocked: [] };
  // Seen by both the router and the request event; recorded once per URL.
  const record = (url: string) => {
    if (!network.blocked.includes(url)) network.blocked.push(url);
  };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (LOCAL.test(url)) return route.continue();
    record(url);
    return route.abort('blockedbyclient');
  });
  context.on('request', (r) => {
    if (!LOCAL.test(r.url())) record(r.url());
  });
  return { context, network };
}
