// The user guide's tour, in a real browser: exploring, a record's page, its access settings, the
// groups page, the account page and the users page, each as the guide describes it. The
// screenshots illustrate docs/user-guide.md.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as api from './api.ts';
import { launchBrowser, openPage } from './browser.ts';
import { docsScreenshot, openRecord, signInThroughTheForm } from './flows.ts';

describe('the user guide tour', () => {
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

  test('explore, open a record, share it with a group, see the group', async () => {
    const hana = await api.createUserNamed(admin, 'Hana Okafor', ['registry-write']);
    const sofia = await api.createUserNamed(admin, 'Sofia Rossi', ['registry-read']);
    const team = await api.createGroup(admin, `Hydrology team ${tag}`, 'Builds and runs the catchment models.');
    await api.addMember(admin, team.id, hana.username);
    await api.addMember(admin, team.id, sofia.username);

    const institute = await api.createItem(hana, 'ORGANISATION', {
      display_name: 'Murray Basin Hydrology Institute',
      name: 'Murray Basin Hydrology Institute',
    });
    await api.createItem(hana, 'STUDY', {
      display_name: 'Murray drought streamflow',
      title: 'Streamflow response to the Millennium Drought in the Murray basin',
      description: 'How catchments responded to a decade of low rainfall.',
    });
    await api.createItem(hana, 'DATASET', api.dataset(institute.id, 'Murray daily rainfall 2023'));
    let model = await api.createItem(hana, 'MODEL', {
      display_name: 'Murray catchment runoff model 2.1',
      name: 'Catchment runoff model',
      description: 'A four-parameter daily rainfall-runoff model for gauged catchments.',
      documentation_url: 'https://example.org/models/catchment-runoff/docs',
      source_url: 'https://example.org/models/catchment-runoff/src',
      user_metadata: { language: 'Python' },
    });
    model = await api.updateItem(
      hana,
      model,
      { ...model.data, description: 'A four-parameter rainfall-runoff model for gauged catchments, at daily or hourly steps.' },
      'Hourly time steps are supported since version 2.1',
    );
    await api.setAccess(hana, model.id, ['metadata-read'], { [team.id]: ['metadata-write'] });

    const { page, context, errors } = await openPage(browser);
    await signInThroughTheForm(page, hana);

    // Explore, searching
    await page.goto('/?q=Murray');
    await page.getByRole('link', { name: 'Murray catchment runoff model 2.1' }).waitFor();
    await page.getByRole('link', { name: 'Murray daily rainfall 2023' }).waitFor();
    await docsScreenshot(page, 'explore');

    // A record's page
    await openRecord(page, model.id);
    await page.getByRole('link', { name: 'Edit', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Clone', exact: true }).waitFor();
    await docsScreenshot(page, 'record-view');

    // Its access settings, as the owner sees them
    await page.getByRole('tab', { name: 'Access' }).click();
    await page.getByRole('heading', { name: 'Who has access' }).waitFor();
    await page.getByRole('heading', { name: 'Access log' }).waitFor();
    await page.getByText(`Hydrology team ${tag}`).first().waitFor(); // once the groups' names have loaded
    await docsScreenshot(page, 'access');
    expect(errors).toEqual([]);
    await context.close();

    // The groups page, for registry administrators (only this test's group is pictured)
    const session = await openPage(browser);
    await signInThroughTheForm(session.page, admin, '/admin/groups');
    const card = session.page.getByRole('listitem').filter({ has: session.page.getByRole('heading', { name: `Hydrology team ${tag}` }) });
    await card.getByText('Sofia Rossi').waitFor();
    await card.getByText('Hana Okafor').waitFor();
    await docsScreenshot(session.page, 'groups-admin', card);
    expect(session.errors).toEqual([]);
    await session.context.close();
  });

  test('the account page with its tokens; the users page with an active and a deactivated account', async () => {
    // One organisation's people, so the users page can be narrowed to them for the picture.
    const domain = 'murray-basin.example.org';
    const mei = await api.createUserNamed(admin, 'Mei Lin', ['registry-write'], `mei.lin@${domain}`, `mei.lin-${tag}`);
    const tom = await api.createUserNamed(admin, 'Tom Walker', ['registry-read'], `tom.walker@${domain}`, `tom.walker-${tag}`);
    await api.createUserNamed(admin, 'Ana Costa', ['registry-admin'], `ana.costa@${domain}`, `ana.costa-${tag}`);
    await api.call('PATCH', `/users/${tom.username}`, admin.token, { active: false });
    const runner = await api.call<{ token: string }>('POST', '/me/tokens', mei.token, { name: 'Catchment model runner', scope: 'write', expires_in_days: 90 });
    await api.call('POST', '/me/tokens', mei.token, { name: 'Nightly metadata backup', scope: 'read', expires_in_days: 365 });
    await api.call('GET', '/me', runner.token); // so the list has a "last used" time as well as a "never"

    // The account page: who Mei is, her tokens, and the form for her password
    const account = await openPage(browser);
    await signInThroughTheForm(account.page, mei, '/account');
    await account.page.getByRole('rowheader', { name: 'Catchment model runner' }).waitFor();
    await account.page.getByRole('rowheader', { name: 'Nightly metadata backup' }).waitFor();
    await docsScreenshot(account.page, 'account');
    expect(account.errors).toEqual([]);
    await account.context.close();

    // The users page, narrowed to the organisation: Tom's account is deactivated
    const users = await openPage(browser);
    await signInThroughTheForm(users.page, admin, '/admin/users');
    const find = users.page.getByRole('searchbox', { name: 'Find a user' });
    await find.fill(domain);
    await find.blur();
    const tomRow = users.page.getByRole('row').filter({ has: users.page.getByRole('rowheader', { name: tom.username }) });
    await tomRow.getByText('Deactivated', { exact: true }).waitFor();
    await users.page.getByRole('rowheader', { name: mei.username }).waitFor();
    await docsScreenshot(users.page, 'admin-users');
    expect(users.errors).toEqual([]);
    await users.context.close();
  });
});
