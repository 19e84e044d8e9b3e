// Steps that several browser tests take: signing in, opening records, filling forms.
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { Account } from './api.ts';
import { screenshot } from './browser.ts';

const DOCS_IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));

/**
 * A screenshot that also illustrates the user guide (docs/images/<name>.png): the whole page, or
 * only `part` of it where the page also lists what other tests made.
 */
export async function docsScreenshot(page: Page, name: string, part?: Locator): Promise<void> {
  // A picture of the product with an error on screen would teach users that errors are normal.
  const errorAlerts = await page.locator('.alert--error:visible').allInnerTexts();
  if (errorAlerts.length > 0) throw new Error(`docs/images/${name}.png would show an error: ${errorAlerts.join(' | ')}`);
  const path = await screenshot(page, name);
  await mkdir(DOCS_IMAGES, { recursive: true });
  if (part) await part.screenshot({ path: `${DOCS_IMAGES}${name}.png` });
  else await copyFile(path, `${DOCS_IMAGES}${name}.png`);
}

export async function signInThroughTheForm(page: Page, account: Account, start = '/'): Promise<void> {
  await page.goto(start);
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/signin');
}

/**
 * Sign in without the form: POST /api/v1/auth/session from inside the browser context, so the
 * session cookies land in the browser as they would after the form.
 */
export async function startSession(context: BrowserContext, account: Account): Promise<void> {
  const response = await context.request.post('/api/v1/auth/session', { data: { username: account.username, password: account.password } });
  if (response.status() !== 204) throw new Error(`signing in ${account.username} → ${response.status()}: ${await response.text()}`);
}

/** Wait until the record view has its permissions answer (the action buttons depend on it). */
export async function openRecord(page: Page, id: string): Promise<void> {
  const permissions = page.waitForResponse((r) => r.url().endsWith(`/api/v1/items/${id}/permissions`));
  await page.goto(`/items/${id}`);
  await permissions;
  await page.getByRole('heading', { level: 1 }).waitFor();
}

/** A form field by its exact title (a required field's label may end in "*"). */
export function field(page: Page, title: string) {
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByLabel(new RegExp(`^\\s*${escaped}\\s*\\*?\\s*$`));
}

/** The record id of the page shown: /items/{id}, or /datastore/{id} for `section: 'datastore'`. */
export function itemIdFrom(page: Page, section: 'items' | 'datastore' = 'items'): string {
  const match = new URL(page.url()).pathname.match(new RegExp(`^/${section}/([0-9a-f-]{36})$`));
  if (!match?.[1]) throw new Error(`not on a ${section} page: ${page.url()}`);
  return match[1];
}

/** Choose a record in a record picker (a combobox labelled by the field's title). */
export async function pick(page: Page, title: string, search: string, choice: string): Promise<void> {
  const box = page.getByRole('combobox', { name: new RegExp(`^\\s*${title}`) });
  await box.fill(search);
  await page.getByRole('option', { name: new RegExp(choice) }).first().click();
}
