// The datastore in a real browser: register a dataset, upload files, clone it — the clone gets
// the metadata and never the files.
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as api from './api.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';
import { docsScreenshot, field, itemIdFrom, pick, signInThroughTheForm } from './flows.ts';

interface FileList {
  files: { path: string; size: number }[];
}

describe('datastore', () => {
  let browser: Browser;
  let admin: api.Account;
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await api.signIn('admin', api.adminPassword());
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('register a dataset, upload two files, clone it: the clone has the metadata and no files', async () => {
    const writer = await api.createUser(admin, 'registry-write');
    const organisation = `Rain Gauging Service ${tag}`;
    await api.createItem(writer, 'ORGANISATION', { display_name: organisation, name: organisation });
    const { page, context, errors } = await openPage(browser);
    await signInThroughTheForm(page, writer);

    await page.goto('/register/DATASET');
    const name = `Daily rainfall ${tag}`;
    await field(page, 'Display name').fill(name);
    await pick(page, 'Organisation', 'Rain Gauging', organisation);
    await field(page, 'Ethics registration relevant').check();
    await field(page, 'Ethics registration obtained').check();
    await field(page, 'Name').fill(name);
    await field(page, 'Description').first().fill('Gauged daily rainfall for the catchment.');
    await pick(page, 'Publisher', 'Rain Gauging', organisation);
    await field(page, 'Licence').fill('https://creativecommons.org/licenses/by/4.0/');
    await field(page, 'Date created').fill('2024-12-31');
    await field(page, 'Date published').fill('2025-01-15');
    await field(page, 'Data reposited in the Registry').check();
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/datastore\/[0-9a-f-]{36}$/);
    const sourceId = itemIdFrom(page, 'datastore');
    await page.getByRole('heading', { level: 1, name }).waitFor();

    // ready for upload: two files through the file chooser
    // the chooser is enabled once the file list has loaded
    await page.locator('input[type=file]:enabled').setInputFiles([
      { name: 'rain.csv', mimeType: 'text/csv', buffer: Buffer.from('day,mm\n1,3.2\n2,0.0\n') },
      { name: 'README.txt', mimeType: 'text/plain', buffer: Buffer.from('Daily rainfall, millimetres.\n') },
    ]);
    await page.getByRole('link', { name: 'rain.csv' }).waitFor();
    await page.getByRole('link', { name: 'README.txt' }).waitFor();
    await docsScreenshot(page, 'datastore-1-files');
    // A download is a plain link: the session cookie alone lets the browser fetch it.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'rain.csv' }).click()]);
    expect(download.suggestedFilename()).toBe('rain.csv');
    await expect(readFile(await download.path(), 'utf8')).resolves.toBe('day,mm\n1,3.2\n2,0.0\n');
    const sourceFiles = await api.call<FileList>('GET', `/items/${sourceId}/files`, writer.token);
    expect(sourceFiles.files.map((f) => f.path)).toEqual(['README.txt', 'rain.csv']);

    // clone it
    await page.getByRole('link', { name: 'Clone Dataset' }).click();
    await page.waitForURL(`**/register/DATASET?clone=${sourceId}`);
    await page.getByText('You are creating a new record from a copy of').waitFor();
    await expect(page.getByText('dataset files').count()).resolves.toBeGreaterThan(0);
    await expect(field(page, 'Ethics registration obtained').isChecked()).resolves.toBe(false); // must be confirmed again
    await expect(field(page, 'Ethics registration relevant').isChecked()).resolves.toBe(true);
    await field(page, 'Display name').fill(`${name} (2025)`);
    await field(page, 'Ethics registration obtained').check();
    await docsScreenshot(page, 'datastore-2-clone-form');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/datastore\/[0-9a-f-]{36}$/);
    const cloneId = itemIdFrom(page, 'datastore');
    expect(cloneId).not.toBe(sourceId);
    await page.getByText('No files yet').waitFor();
    await docsScreenshot(page, 'datastore-3-clone-files');

    const source = await api.getItem(writer, sourceId);
    const clone = await api.getItem(writer, cloneId);
    expect(clone.data).toEqual({ ...source.data, display_name: `${name} (2025)` });
    expect((await api.call<FileList>('GET', `/items/${cloneId}/files`, writer.token)).files).toEqual([]);
    expect((await api.call<FileList>('GET', `/items/${sourceId}/files`, writer.token)).files).toHaveLength(2);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the registry view of a dataset offers View in Datastore, not Clone', async () => {
    const organisation = await api.createItem(admin, 'ORGANISATION', { display_name: `Org ${tag}`, name: `Org ${tag}` });
    const dataset = await api.createItem(admin, 'DATASET', api.dataset(organisation.id, `Dataset view ${tag}`));
    const writer = await api.createUser(admin, 'registry-write');
    const { page, context } = await openPage(browser);
    await signInThroughTheForm(page, writer);
    const permissions = page.waitForResponse((r) => r.url().endsWith(`/api/v1/items/${dataset.id}/permissions`));
    await page.goto(`/items/${dataset.id}`);
    await permissions;
    await page.getByRole('link', { name: 'View in Datastore' }).waitFor();
    await expect(page.getByRole('link', { name: 'Clone', exact: true }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'View in Datastore' }).click();
    await page.waitForURL(`**/datastore/${dataset.id}`);
    await page.getByRole('link', { name: 'Clone Dataset' }).waitFor();
    await screenshot(page, 'dataset-from-registry-view');
    await context.close();
  });
});
