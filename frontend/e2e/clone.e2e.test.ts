// The clone flow in a real browser against the real API (DESIGN.md §4 "Clone, exactly").
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLONE_FORM_FILLED, CLONE_MEASURE } from '../src/features/items/cloneTiming.ts';
import * as api from './api.ts';
import { launchBrowser, openPage, screenshot } from './browser.ts';
import { docsScreenshot, field, itemIdFrom, openRecord, signInThroughTheForm } from './flows.ts';

/**
 * The API requests a page sends from now until `stop()`, as "GET /api/v1/items/{id}". Every request the
 * awaited moment depended on has been answered by then, so all are counted; a request sent just after
 * that moment may be counted too.
 */
function recordApiCalls(page: Page): { stop: () => string[] } {
  const calls: string[] = [];
  const onRequest = (request: Request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/v1/')) calls.push(`${request.method()} ${pathname.replace(/[0-9a-f-]{36}/g, '{id}')}`);
  };
  page.on('request', onRequest);
  return {
    stop: () => {
      page.off('request', onRequest);
      return calls;
    },
  };
}

/** Wait for the app's mark that the clone form is on screen, then check it shows the source's values. */
async function cloneFormFilled(page: Page, source: api.Item): Promise<void> {
  await page.waitForFunction((name) => performance.getEntriesByName(name, 'mark').length > 0, CLONE_FORM_FILLED);
  await expect(field(page, 'Display name').inputValue()).resolves.toBe(source.data.display_name);
  await expect(field(page, 'Description').inputValue()).resolves.toBe(source.data.description);
}

function callsText(calls: string[]): string {
  return `${calls.length} API call${calls.length === 1 ? '' : 's'}${calls.length ? ` (${calls.join(', ')})` : ''}`;
}

describe('registering and cloning', () => {
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

  test('sign in, register an organisation and a model, clone the model', async () => {
    const cloner = await api.createUser(admin, 'registry-write');
    const { page, context, errors } = await openPage(browser);
    await signInThroughTheForm(page, admin);
    expect(new URL(page.url()).pathname).toBe('/');

    await page.goto('/register/ORGANISATION');
    await field(page, 'Display name').fill(`Hydrology Institute ${tag}`);
    await field(page, 'Name').fill(`Hydrology Institute ${tag}`);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/items\/[0-9a-f-]{36}$/);
    // The address changes before the new page has rendered: wait for its heading, not any h1.
    await page.getByRole('heading', { level: 1, name: `Hydrology Institute ${tag}` }).waitFor();

    await page.goto('/register/MODEL');
    const source = api.model(`Catchment model ${tag}`);
    await field(page, 'Display name').fill(source.display_name as string);
    await field(page, 'Name').fill(source.name as string);
    await field(page, 'Description').fill(source.description as string);
    await field(page, 'Documentation address').fill(source.documentation_url as string);
    await field(page, 'Source code address').fill(source.source_url as string);
    await docsScreenshot(page, 'register-model-form');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/items\/[0-9a-f-]{36}$/);
    const sourceId = itemIdFrom(page);
    expect(errors).toEqual([]);
    await context.close();

    // The cloner: a registry-write user who does not own the model.
    const session = await openPage(browser);
    await signInThroughTheForm(session.page, cloner);
    await openRecord(session.page, sourceId);
    await docsScreenshot(session.page, 'clone-1-record');
    await session.page.getByRole('link', { name: 'Clone', exact: true }).click();
    await session.page.waitForURL(`**/register/MODEL?clone=${sourceId}`);
    await session.page.getByText('You are creating a new record from a copy of').waitFor();
    const displayName = field(session.page, 'Display name');
    await expect(displayName.inputValue()).resolves.toBe(source.display_name);
    await expect(field(session.page, 'Description').inputValue()).resolves.toBe(source.description);
    await displayName.fill(`Catchment model ${tag} (copy)`);
    await docsScreenshot(session.page, 'clone-2-form');
    await session.page.getByRole('button', { name: 'Submit' }).click();
    await session.page.waitForURL(/\/items\/[0-9a-f-]{36}$/);
    const cloneId = itemIdFrom(session.page);
    await session.page.getByRole('heading', { level: 1, name: `Catchment model ${tag} (copy)` }).waitFor();
    await docsScreenshot(session.page, 'clone-3-new-record');

    const clone = await api.getItem(cloner, cloneId);
    expect(clone.id).not.toBe(sourceId);
    expect(clone.owner).toBe(cloner.username);
    expect(clone.revision).toBe(1);
    expect(clone.data).toEqual({ ...source, display_name: `Catchment model ${tag} (copy)` });
    await expect(api.access(cloner, cloneId)).resolves.toEqual({ owner: cloner.username, general: ['metadata-read'], groups: {} });
    await expect(api.history(cloner, cloneId)).resolves.toMatchObject({ entries: [{ revision: 1, reason: 'Created' }] });
    expect(session.errors).toEqual([]);
    await session.context.close();
  });

  test('a registry-read user sees no Clone button', async () => {
    const item = await api.createItem(admin, 'MODEL', api.model(`Read-only view ${tag}`));
    const reader = await api.createUser(admin, 'registry-read');
    const { page, context } = await openPage(browser);
    await signInThroughTheForm(page, reader);
    await openRecord(page, item.id);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(`Read-only view ${tag}`);
    await expect(page.getByRole('link', { name: 'Clone', exact: true }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Edit', exact: true }).count()).resolves.toBe(0);
    await screenshot(page, 'reader-no-clone');
    await context.close();
  });

  test('a user without metadata-read cannot open the record', async () => {
    const secret = `Private model ${tag}`;
    const item = await api.createItem(admin, 'MODEL', api.model(secret));
    await api.setAccess(admin, item.id, []);
    const outsider = await api.createUser(admin, 'registry-write');
    const { page, context } = await openPage(browser);
    await signInThroughTheForm(page, outsider);
    await page.goto(`/items/${item.id}`);
    await page.getByRole('heading', { name: 'Access denied' }).waitFor();
    await page.getByText('You do not have permission to view this record.').waitFor();
    await expect(page.content()).resolves.not.toContain(secret);
    await screenshot(page, 'access-denied');
    // the clone form refuses too, showing nothing of the record
    await page.goto(`/register/MODEL?clone=${item.id}`);
    await page.getByRole('alert').first().waitFor();
    await expect(page.content()).resolves.not.toContain(secret);
    await context.close();
  });

  test('clone from an old revision', async () => {
    const first = await api.createItem(admin, 'MODEL', api.model(`Versioned model ${tag}`));
    await api.updateItem(admin, first, { ...first.data, description: 'The second description.' }, 'Rewrote the description');
    const cloner = await api.createUser(admin, 'registry-write');
    const { page, context } = await openPage(browser);
    await signInThroughTheForm(page, cloner);
    await openRecord(page, first.id);
    await page.getByRole('tab', { name: 'History' }).click();
    const cloneRevisionLinks = page.getByRole('link', { name: 'Clone this revision' });
    await cloneRevisionLinks.first().waitFor(); // the history loads when its tab opens
    await expect(cloneRevisionLinks.count()).resolves.toBe(2);
    await docsScreenshot(page, 'history');
    await cloneRevisionLinks.last().click(); // newest first: the last is revision 1
    await page.waitForURL(`**/register/MODEL?clone=${first.id}&revision=1`);
    await page.getByText('(revision 1)').waitFor();
    await expect(field(page, 'Description').inputValue()).resolves.toBe(first.data.description);
    await docsScreenshot(page, 'clone-4-revision-form');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/items\/[0-9a-f-]{36}$/);
    const clone = await api.getItem(cloner, itemIdFrom(page));
    expect(clone.data.description).toBe(first.data.description);
    expect(clone.owner).toBe(cloner.username);
    await context.close();
  });

  test('clone a dataset’s old revision from the datastore: that revision’s data, no files, nothing asked of the API about the source', async () => {
    const organisation = await api.createItem(admin, 'ORGANISATION', { display_name: `Rain office ${tag}`, name: `Rain office ${tag}` });
    const first = await api.createItem(admin, 'DATASET', api.dataset(organisation.id, `Versioned rainfall ${tag}`));
    const firstData = first.data as { dataset_info: Record<string, unknown> };
    await api.updateItem(admin, first, { ...first.data, dataset_info: { ...firstData.dataset_info, description: 'Hourly rainfall.' } }, 'Hourly now');
    await api.uploadFile(admin, first.id, 'rain.csv', 'hour,mm\n1,0.2\n');
    const cloner = await api.createUser(admin, 'registry-write');
    const { page, context, errors } = await openPage(browser);
    await signInThroughTheForm(page, cloner);
    await page.goto(`/datastore/${first.id}?tab=history`);
    const cloneRevisionLinks = page.getByRole('link', { name: 'Clone this revision' });
    await cloneRevisionLinks.first().waitFor();
    await expect(cloneRevisionLinks.count()).resolves.toBe(2);

    const aboutSource: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes(`/api/v1/items/${first.id}`)) aboutSource.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    await cloneRevisionLinks.last().click(); // newest first: the last is revision 1
    await page.waitForURL(`**/register/DATASET?clone=${first.id}&revision=1`);
    await page.waitForFunction((name) => performance.getEntriesByName(name, 'mark').length > 0, CLONE_FORM_FILLED);
    await page.getByText('(revision 1). Access settings, history and dataset files are not copied').waitFor();
    await expect(field(page, 'Description').inputValue()).resolves.toBe('Daily rainfall.');
    expect(aboutSource, 'the record and its history come from the cache').toEqual([]);

    await field(page, 'Display name').fill(`Versioned rainfall ${tag} (copy)`);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(/\/datastore\/[0-9a-f-]{36}$/);
    const cloneId = itemIdFrom(page, 'datastore');
    await page.getByText('No files yet').waitFor();
    const clone = await api.getItem(cloner, cloneId);
    expect(clone.data).toEqual({ ...first.data, display_name: `Versioned rainfall ${tag} (copy)` });
    expect(clone.owner).toBe(cloner.username);
    await expect(api.call<{ files: unknown[] }>('GET', `/items/${cloneId}/files`, cloner.token)).resolves.toEqual({ files: [] });
    await expect(api.access(cloner, cloneId)).resolves.toEqual({ owner: cloner.username, general: ['metadata-read'], groups: {} });
    await expect(api.history(cloner, cloneId)).resolves.toMatchObject({ entries: [{ revision: 1, reason: 'Created' }] });
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a double click on Submit creates one record', async () => {
    const writer = await api.createUser(admin, 'registry-write');
    const name = `Double click ${tag}`;
    const { page, context } = await openPage(browser);
    await signInThroughTheForm(page, writer);
    await page.goto('/register/STUDY');
    await field(page, 'Display name').fill(name);
    await field(page, 'Title').fill(name);
    await field(page, 'Description').fill('Does a double click make two?');
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/items')) posts.push(request.headers()['idempotency-key'] ?? '');
    });
    await page.getByRole('button', { name: 'Submit' }).dblclick();
    await page.waitForURL(/\/items\/[0-9a-f-]{36}$/);
    await screenshot(page, 'double-click-one-record');
    const mine = await api.listMine(writer, name);
    expect(mine.items).toHaveLength(1);
    expect(new Set(posts).size).toBe(1);
    await context.close();
  });

  // Speed: the time is printed, not asserted (timings vary with the machine); the API calls are counted.
  test('the clone path: from Clone to the filled form in at most two API calls, warm and cold', async () => {
    const source = await api.createItem(admin, 'MODEL', api.model(`Timed model ${tag}`));
    const cloner = await api.createUser(admin, 'registry-write');

    // Warm: Clone clicked on a loaded record view, whose cache holds the record already.
    const warm = await openPage(browser);
    await signInThroughTheForm(warm.page, cloner);
    await openRecord(warm.page, source.id);
    const warmRecorder = recordApiCalls(warm.page);
    await warm.page.getByRole('link', { name: 'Clone', exact: true }).click();
    await cloneFormFilled(warm.page, source);
    const warmCalls = warmRecorder.stop();
    const warmMs = await warm.page.evaluate((name) => performance.getEntriesByName(name, 'measure').at(-1)?.duration, CLONE_MEASURE);

    // Cold: the clone address opened in a new context, signed in (the same local storage) but with
    // empty memory and HTTP caches: the time runs from the page's start.
    const cold = await openPage(browser, { storageState: await warm.context.storageState() });
    const coldRecorder = recordApiCalls(cold.page);
    await cold.page.goto(`/register/MODEL?clone=${source.id}`);
    await cloneFormFilled(cold.page, source);
    const coldCalls = coldRecorder.stop();
    const coldMs = await cold.page.evaluate((name) => performance.getEntriesByName(name, 'mark').at(-1)?.startTime, CLONE_FORM_FILLED);

    console.log(`clone path: warm ${Math.round(warmMs ?? NaN)} ms, ${callsText(warmCalls)}; cold ${Math.round(coldMs ?? NaN)} ms, ${callsText(coldCalls)}`);
    expect(warmMs, 'the app measures the click to the filled form').toBeGreaterThan(0);
    expect(warmCalls.length, `warm: ${warmCalls.join(', ')}`).toBeLessThanOrEqual(2);
    expect(coldCalls.length, `cold: ${coldCalls.join(', ')}`).toBeLessThanOrEqual(2);
    expect([...warm.errors, ...cold.errors]).toEqual([]);
    await warm.context.close();
    await cold.context.close();
  });
});
