import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

import { ROOT } from '../../support/tessera.ts';

/** Debian's Chromium, or the one CHROMIUM_PATH names. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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
/** Where a failing browser test leaves a screenshot of its page (git-ignored). */
export const ARTIFACTS = join(ROOT, 'test-artifacts');

/** Options of one browser session. */
export interface BrowserOptions {
  /** Run the pages without JavaScript, as a user who turned it off. Default true. */
  readonly javaScriptEnabled?: boolean;
  /** The browser binary; default {@link CHROMIUM}. */
  readonly executablePath?: string;
}

/**
 * Runs `body` with a page of a fresh headless Chromium (a new, empty profile, so no cookies are
 * shared between tests). When `body` fails, a screenshot of the page is kept in test-artifacts/
 * under `name`, and the error says where.
 */
export async function withBrowser(name: string, options: BrowserOptions, body: (page: Page, context: BrowserContext) => Promise<void>): Promise<void> {
  const executablePath = options.executablePath ?? CHROMIUM;
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium is not installed at ${executablePath}: the browser tests need it. Install it ` +
        '(Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'tessera-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    args: ARGS,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    timeout: 30_000,
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  try {
    await body(page, context);
  } catch (err) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, `${name.replace(/[^\w-]+/g, '-').slice(0, 100)}.png`);
    const kept = await page.screenshot({ path: file, fullPage: true }).then(
      () => true,
      () => false,
    );
    if (kept && err instanceof Error) err.message += `\n(screenshot of the page at failure: ${file}; it was at ${page.url()})`;
    throw err;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Every visible form control of the page that has no label (by `for`/`id` or by nesting), by name. */
export async function unlabelledControls(page: Page): Promise<string[]> {
  const missing: string[] = [];
  for (const control of await page.locator('input:not([type=hidden]), select, textarea').all()) {
    const id = await control.getAttribute('id');
    const name = (await control.getAttribute('name')) ?? '(no name)';
    const byFor = id ? await page.locator(`label[for="${id}"]`).count() : 0;
    const nested = await control.locator('xpath=ancestor::label').count();
    if (byFor + nested === 0) missing.push(name);
  }
  return missing;
}
