// Shared launch code for the browser tests: a system Chromium driven by
// playwright-core (which never downloads a browser of its own).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const SCREENSHOT_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url));

/** The running app under test, without a trailing slash. Throws a clear message when unset. */
export function baseUrl(): string {
  const url = process.env.REGISTRY_E2E_URL;
  if (!url) {
    throw new Error(
      'REGISTRY_E2E_URL is not set. Start the app (e.g. `make run`) and run ' +
        '`REGISTRY_E2E_URL=http://127.0.0.1:8000 npm run test:e2e`.',
    );
  }
  try {
    new URL(url);
  } catch {
    throw new Error(`REGISTRY_E2E_URL is not a valid URL: ${JSON.stringify(url)}`);
  }
  return url.replace(/\/+$/, '');
}

export function checkChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}. Install it (apt-get install -y chromium) ` +
        'or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
  }
}

export async function launchBrowser(): Promise<Browser> {
  checkChromium();
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors seen on the page so far. */
  errors: string[];
}

/**
 * A fresh context (no shared storage) and page with relative URLs resolved against the app.
 * `options` adds to or overrides the context's settings (e.g. `bypassCSP` to test what the page
 * itself does without the Content-Security-Policy's safety net).
 */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<TestPage> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'UTC',
    ...options,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return { context, page, errors };
}

/** Save a full-page screenshot as e2e/screenshots/<name>.png and return its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}
