import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, openPage } from './browser.ts';
import { docsScreenshot } from './flows.ts';

describe('smoke', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('a deep link while signed out leads to sign-in and remembers where it was going', async () => {
    const { page, errors, context } = await openPage(browser);
    const response = await page.goto('/items/00000000-0000-0000-0000-000000000000?tab=history');
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toContain('text/html');
    await page.getByLabel('Username').waitFor();
    expect(new URL(page.url()).pathname).toBe('/signin');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/items/00000000-0000-0000-0000-000000000000?tab=history');
    await expect(page.getByLabel('Password').isVisible()).resolves.toBe(true);
    await expect(page.title()).resolves.toBe('Registry');
    await docsScreenshot(page, 'signin');
    expect(errors).toEqual([]);
    await context.close();
  });
});
