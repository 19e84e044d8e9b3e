// Identity in a real browser: signing in at the organisation's own provider (the test OpenID
// Connect provider that `tests/with_server.py --oidc` starts), personal access tokens made on the
// account page and used from outside, and a deactivated account's open session ending.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as api from './api.ts';
import { baseUrl, launchBrowser, openPage } from './browser.ts';
import { signInThroughTheForm, startSession } from './flows.ts';

/** The provider's address; with_server.py --oidc sets it (so does `make test-e2e`). */
function providerIssuer(): string {
  const issuer = process.env.REGISTRY_E2E_OIDC_ISSUER;
  if (!issuer) throw new Error('REGISTRY_E2E_OIDC_ISSUER is not set: run the browser tests through `tests/with_server.py --oidc` (as `make test-e2e` does).');
  return issuer;
}

/** GET /api/v1/me from outside the browser with a personal access token: its status, and the user when 200. */
async function meWithToken(token: string): Promise<{ status: number; username?: string }> {
  const response = await fetch(`${baseUrl()}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  const body = (await response.json()) as { username?: string };
  return { status: response.status, username: response.status === 200 ? body.username : undefined };
}

describe('identity', () => {
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

  test("a signed-out visitor signs in at the organisation's provider and comes back to the record they opened", async () => {
    const issuer = new URL(providerIssuer());
    const name = `Federated catchment model ${tag}`;
    const record = await api.createItem(admin, 'MODEL', api.model(name));
    const { page, context, errors } = await openPage(browser);

    await page.goto(`/items/${record.id}`);
    await page.waitForURL((url) => url.pathname === '/signin');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/items/${record.id}`);
    expect(errors).toEqual([]);
    await page.getByRole('button', { name: 'Sign in with Test Provider' }).click();

    // The provider's own pages: its login form, then its consent page.
    await page.waitForURL((url) => url.origin === issuer.origin);
    await page.locator('input[name=login]').fill('alice');
    await page.locator('input[name=password]').fill('any password at all');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.waitForURL((url) => url.origin === new URL(baseUrl()).origin && url.pathname === `/items/${record.id}`);
    // What the provider's own pages logged (it has no favicon) is not the app's to answer for.
    errors.length = 0;
    await page.getByRole('heading', { level: 1, name }).waitFor();
    await page.getByRole('banner').getByText('Alice Federated').waitFor();
    // Her roles came from the provider's claim: registry-write shows Register.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Register' }).waitFor();
    expect(errors).toEqual([]);

    // Signing out ends the session: the record asks to sign in again.
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/signin');
    await openRecordSignedOut(page, record.id);
    await context.close();
  });

  test('a personal access token made on the account page works as a bearer token until it is revoked', async () => {
    const writer = await api.createUser(admin, 'registry-write');
    const { page, context, errors } = await openPage(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signInThroughTheForm(page, writer, '/account');
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();

    const tokenName = `Nightly export ${tag}`;
    await page.getByRole('textbox', { name: 'Name' }).fill(tokenName);
    await page.getByRole('button', { name: 'Create token' }).click();
    const dialog = page.getByRole('dialog', { name: `Your new token “${tokenName}”` });
    await dialog.getByText('you will not see it again').waitFor();
    await dialog.getByRole('button', { name: 'Copy token' }).click();
    await dialog.getByText('The token is copied to the clipboard.').waitFor();
    const secret = await page.evaluate(() => navigator.clipboard.readText());
    expect(secret).toMatch(/^rgt_/);
    await expect(dialog.getByRole('textbox', { name: 'Token' }).inputValue()).resolves.toBe(secret);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Shown once: the list has the token's name, never its secret.
    await page.getByRole('rowheader', { name: tokenName }).waitFor();
    await expect(page.content()).resolves.not.toContain(secret);

    await expect(meWithToken(secret)).resolves.toEqual({ status: 200, username: writer.username });

    await page.getByRole('button', { name: `Revoke ${tokenName}` }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await page.getByText(`Token “${tokenName}” revoked.`).waitFor();
    await page.getByRole('rowheader', { name: tokenName }).waitFor({ state: 'detached' });

    await expect(meWithToken(secret)).resolves.toEqual({ status: 401 });
    expect(errors).toEqual([]);
    await context.close();
  });

  test("an administrator deactivates a user, and the user's open session ends at its next request", async () => {
    const reader = await api.createUserNamed(admin, `Deactivated Reader ${tag}`, ['registry-read']);
    const readerSession = await openPage(browser);
    await startSession(readerSession.context, reader);
    await readerSession.page.goto('/');
    await readerSession.page.getByRole('heading', { level: 1, name: 'Explore' }).waitFor();
    await readerSession.page.getByRole('banner').getByText(`Deactivated Reader ${tag}`).waitFor();

    const adminSession = await openPage(browser);
    await signInThroughTheForm(adminSession.page, admin, '/admin/users');
    await adminSession.page.getByRole('searchbox', { name: 'Find a user' }).fill(reader.username);
    const row = adminSession.page.getByRole('row').filter({ has: adminSession.page.getByRole('rowheader', { name: reader.username }) });
    await row.getByRole('button', { name: `Deactivate ${reader.username}` }).click();
    await row.getByRole('button', { name: 'Yes, deactivate' }).click();
    await row.getByText('Deactivated', { exact: true }).waitFor();
    expect(adminSession.errors).toEqual([]);
    await adminSession.context.close();

    // The reader's page is still open; its next request is refused and it asks to sign in again.
    await readerSession.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Datastore' }).click();
    await readerSession.page.waitForURL((url) => url.pathname === '/signin');
    expect(new URL(readerSession.page.url()).searchParams.get('next')).toBe('/datastore');
    await readerSession.page.getByLabel('Username').waitFor();
    await expect(readerSession.page.getByRole('banner').getByText(`Deactivated Reader ${tag}`).count()).resolves.toBe(0);

    // And signing in again is refused, with a reason.
    await readerSession.page.getByLabel('Username').fill(reader.username);
    await readerSession.page.getByLabel('Password').fill(reader.password);
    await readerSession.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await readerSession.page.getByRole('alert').getByText('This account is deactivated. Ask a registry administrator.').waitFor();
    await readerSession.context.close();
  });
});

/** A record opened with no session lands on the sign-in page, remembering the record. */
async function openRecordSignedOut(page: Page, id: string): Promise<void> {
  await page.goto(`/items/${id}`);
  await page.waitForURL((url) => url.pathname === '/signin');
  expect(new URL(page.url()).searchParams.get('next')).toBe(`/items/${id}`);
}
