import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot, type TestPage } from './browser.ts';

describe('smoke', () => {
  let browser: Browser;
  let tab: TestPage;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the start page with a healthy API', async () => {
    tab = await openPage(browser);
    const { page } = tab;

    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    await page.getByText('API: ok').waitFor();

    await expect(page.title()).resolves.toBe('Registry');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Registry');
    await expect(page.getByRole('status').textContent()).resolves.toBe('API: ok · database: ok');
    await screenshot(page, 'home');
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });

  it('loads the app on a deep link (index.html fallback)', async () => {
    tab = await openPage(browser);
    const { page } = tab;

    const response = await page.goto('/items/00000000-0000-0000-0000-000000000000');
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);

    const header = page.getByRole('banner');
    await header.waitFor();
    await expect(header.textContent()).resolves.toContain('Registry');
    await screenshot(page, 'deep-link');
    expect(tab.errors).toEqual([]);
    await tab.context.close();
  });
});
