// Hardening: whatever users type is shown as text and never runs as code. Records of every subtype,
// a revision's reason, group names, display names, user metadata and file names all hold hostile
// markup; every page that shows them is visited in Chromium, and each must show the text exactly
// as typed, run none of it, and link nowhere but to web addresses.
//
// The pages are walked twice: once as users get them (the Content-Security-Policy on), and once with
// the policy bypassed, so the test judges the rendering itself and not only the policy's safety net
// (under the policy an injected `onerror` would be blocked and `window.__xss` never set).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as api from './api.ts';
import { baseUrl, launchBrowser, openPage, screenshot } from './browser.ts';
import { field, openRecord, signInThroughTheForm } from './flows.ts';

/** Each sets `window.__xss` (or opens a dialog) if it is ever run instead of shown. */
const H = {
  script: '<script>window.__xss=1</script>',
  img: '"><img src=x onerror="window.__xss=2">',
  js: 'javascript:window.__xss=3',
  svg: '<svg onload=window.__xss=4>',
  template: "{{constructor.constructor('window.__xss=5')()}}",
  alert: '<img src=x onerror=alert(document.domain)>',
  /** Web addresses the server accepts (http(s), RFC 3986 characters only) that try to break out of an attribute or hold escaped markup. */
  url: "https://example.org/'onmouseover='window.__xss=2'",
  urlQuery: 'https://example.org/?q=%3Cscript%3Ewindow.__xss=1%3C/script%3E&next=javascript:window.__xss=3',
  /** A valid e-mail address that tries to break out of an attribute. */
  email: "'onfocus='window.__xss=2'@example.org",
};

/** Text a page must show: exactly an element's text, or within it (links add "opens in a new tab"). */
type Shown = string | { contains: string };

interface Hostile {
  item: api.Item;
  /** On the record view's overview. */
  shown: Shown[];
  /** In the edit and clone forms' inputs (ref pickers show the target's display name). */
  inForm: string[];
}

const SUBTYPES = ['ORGANISATION', 'PERSON', 'MODEL', 'STUDY', 'DATASET_TEMPLATE', 'MODEL_RUN_WORKFLOW_TEMPLATE', 'DATASET'] as const;
type Subtype = (typeof SUBTYPES)[number];

const displayName = (item: api.Item) => item.data.display_name as string;

describe('user text is shown as text, never run', () => {
  let browser: Browser;
  let admin: api.Account;
  let walker: api.Account;
  const tag = Date.now().toString(36);
  const walkerName = `${H.svg} ${H.script} Walker ${tag}`;
  const records = {} as Record<Subtype, Hostile>;
  let group: api.Group;
  let otherGroup: api.Group;
  const files = [`${H.img}.txt`, `${H.svg}/${H.script}.csv`, `${H.js}.txt`, `${H.template}.txt`];
  const deletedFile = `${H.alert}.tmp`;
  const modelReason = `${H.img} ${H.script}`;
  const datasetReason = `${H.svg} ${H.template}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    admin = await api.signIn('admin', api.adminPassword());
    // The one who looks at everything: an admin (every page, every tab) whose own name is hostile.
    walker = await api.createUserNamed(admin, walkerName, ['registry-admin'], H.email);

    const organisation = await api.createItem(admin, 'ORGANISATION', {
      display_name: `${H.script} Organisation ${tag}`,
      name: H.img,
      ror: H.url,
      user_metadata: { [H.script]: H.img, [H.svg]: H.js, [`note ${tag}`]: H.alert },
    });
    records.ORGANISATION = {
      item: organisation,
      shown: [displayName(organisation), H.img, { contains: H.url }, H.script, H.svg, H.js, H.alert],
      inForm: [displayName(organisation), H.img, H.url, H.script, H.svg, H.js, H.alert],
    };

    const person = await api.createItem(admin, 'PERSON', {
      display_name: `${H.img} Person ${tag}`,
      first_name: H.svg,
      last_name: H.template,
      email: H.email,
      ethics_approved: true,
    });
    records.PERSON = {
      item: person,
      shown: [displayName(person), H.svg, H.template, H.email],
      inForm: [displayName(person), H.svg, H.template, H.email],
    };

    let model = await api.createItem(admin, 'MODEL', {
      display_name: `${H.svg} Model ${tag}`,
      name: H.template,
      description: H.script,
      documentation_url: H.url,
      source_url: H.urlQuery,
      user_metadata: { [H.img]: H.script },
    });
    // A revision whose reason and changes are hostile too.
    model = await api.updateItem(admin, model, { ...model.data, name: `${H.template} v2`, description: H.img }, modelReason);
    records.MODEL = {
      item: model,
      shown: [displayName(model), `${H.template} v2`, H.img, { contains: H.url }, { contains: H.urlQuery }, H.script],
      inForm: [displayName(model), `${H.template} v2`, H.img, H.url, H.urlQuery, H.script],
    };

    const study = await api.createItem(admin, 'STUDY', {
      display_name: `${H.template} Study ${tag}`,
      title: H.script,
      description: H.img,
      study_alternative_id: H.js,
    });
    records.STUDY = {
      item: study,
      shown: [displayName(study), H.script, H.img, H.js],
      inForm: [displayName(study), H.script, H.img, H.js],
    };

    const template = await api.createItem(admin, 'DATASET_TEMPLATE', {
      display_name: `${H.script} Template ${tag}`,
      description: H.svg,
      defined_resources: [{ path: H.img, description: H.script, usage_type: 'GENERAL_DATA', additional_metadata: { [H.svg]: H.template } }],
      deferred_resources: [{ key: H.js, description: H.alert, usage_type: 'CONFIG_FILE' }],
    });
    records.DATASET_TEMPLATE = {
      item: template,
      shown: [displayName(template), H.svg, H.img, H.script, H.template, H.js, H.alert],
      inForm: [displayName(template), H.svg, H.img, H.script, H.template, H.js, H.alert],
    };

    const workflow = await api.createItem(admin, 'MODEL_RUN_WORKFLOW_TEMPLATE', {
      display_name: `${H.img} Workflow ${tag}`,
      software_id: model.id,
      input_templates: [{ template_id: template.id, optional: false }],
      annotations: { required: [H.script], optional: [H.svg] },
    });
    records.MODEL_RUN_WORKFLOW_TEMPLATE = {
      item: workflow,
      // refs are links showing the target's display name
      shown: [displayName(workflow), displayName(model), displayName(template), H.script, H.svg],
      inForm: [displayName(workflow), displayName(model), displayName(template), H.script, H.svg],
    };

    const no = { relevant: false, obtained: false };
    let dataset = await api.createItem(admin, 'DATASET', {
      display_name: `${H.script} Dataset ${tag}`,
      associations: { organisation_id: organisation.id, data_custodian_id: person.id, point_of_contact: H.img },
      approvals: { ethics_registration: no, ethics_access: no, indigenous_knowledge: no, export_controls: no },
      dataset_info: {
        name: H.svg,
        description: H.img,
        publisher_id: organisation.id,
        license: H.url,
        created_date: '2024-12-31',
        published_date: '2025-01-15',
        access_info: { reposited: false, uri: H.urlQuery, description: H.alert },
        purpose: H.template,
        rights_holder: H.js,
        usage_limitations: H.script,
        formats: [H.img, H.svg],
        keywords: [H.template, H.js],
      },
      user_metadata: { [H.script]: H.img },
    });
    dataset = await api.updateItem(
      admin,
      dataset,
      { ...dataset.data, dataset_info: { ...(dataset.data.dataset_info as object), description: H.template } },
      datasetReason,
    );
    records.DATASET = {
      item: dataset,
      shown: [displayName(dataset), displayName(organisation), displayName(person), H.img, H.svg, H.template, { contains: H.url }, { contains: H.urlQuery }, H.alert, H.js, H.script],
      inForm: [displayName(dataset), displayName(organisation), displayName(person), H.img, H.svg, H.template, H.url, H.urlQuery, H.alert, H.js, H.script],
    };

    // Files whose names are markup, and a log with every kind of entry.
    for (const path of files) await api.uploadFile(admin, dataset.id, path, `contents of ${path}\n`);
    const first = await api.uploadFile(admin, dataset.id, files[0] as string, 'replaced contents\n', (await fileList(dataset.id))[0]?.sha256);
    expect(first.path).toBe(files[0]);
    await api.uploadFile(admin, dataset.id, deletedFile, 'soon gone\n');
    await api.deleteFile(admin, dataset.id, deletedFile);

    // Groups named in markup: one with access to the model and the dataset (the walker is a member),
    // one only offered in the access tab's "Add a group".
    group = await api.createGroup(admin, `${H.script} Group ${tag}`, H.img);
    otherGroup = await api.createGroup(admin, `${H.svg} Other group ${tag}`, H.template);
    await api.addMember(admin, group.id, walker.username);
    await api.setAccess(admin, model.id, ['metadata-read'], { [group.id]: ['metadata-write'] });
    await api.setAccess(admin, dataset.id, ['metadata-read'], { [group.id]: ['dataset-data-read'] });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function fileList(id: string) {
    return (await api.call<{ files: api.StoredFile[] }>('GET', `/items/${id}/files`, admin.token)).files;
  }

  test('URL fields take only http(s) addresses: a javascript: or data: address is refused with 422', async () => {
    const everything = () => api.call<{ items: { id: string }[] }>('GET', '/items?limit=100&sort=created_at', admin.token);
    const before = await everything();
    const javascript = [H.js, 'JAVASCRIPT:window.__xss=3', ' javascript:window.__xss=3', 'javascript://example.org/%0Awindow.__xss=3'];
    for (const address of [...javascript, 'data:text/html,<script>window.__xss=1</script>', 'vbscript:window.__xss=3']) {
      await expect(
        api.refusedFields(admin, 'POST', '/items', { item_subtype: 'ORGANISATION', data: { display_name: 'x', name: 'x', ror: address } }),
        address,
      ).resolves.toContain('data.ror');
      for (const url of ['documentation_url', 'source_url']) {
        await expect(
          api.refusedFields(admin, 'POST', '/items', { item_subtype: 'MODEL', data: { ...api.model('x'), [url]: address } }),
          address,
        ).resolves.toContain(`data.${url}`);
      }
    }
    const dataset = records.DATASET.item.data as { dataset_info: object };
    for (const [change, path] of [
      [{ license: H.js }, 'data.dataset_info.license'],
      [{ access_info: { reposited: false, uri: H.js, description: 'x' } }, 'data.dataset_info.access_info.uri'],
    ] as const) {
      await expect(
        api.refusedFields(admin, 'POST', '/items', { item_subtype: 'DATASET', data: { ...dataset, dataset_info: { ...dataset.dataset_info, ...change } } }),
      ).resolves.toContain(path);
    }
    // nothing was stored
    await expect(everything()).resolves.toEqual(before);
  });

  test('the app shell and API answers carry the security headers', async () => {
    for (const path of ['/', `/items/${records.MODEL.item.id}`, '/signin?next=%2F']) {
      const response = await fetch(`${baseUrl()}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toMatch(/^text\/html/);
      const policy = parsePolicy(response.headers.get('content-security-policy') ?? '');
      const scripts = policy.get('script-src') ?? policy.get('default-src');
      expect(scripts, `${path}: script-src`).toBeDefined();
      expect(scripts, path).not.toContain("'unsafe-inline'");
      expect(scripts, path).not.toContain("'unsafe-eval'");
      expect(scripts, path).not.toContain('*');
      expect(scripts?.some((source) => /^(data|blob|https?):?$/.test(source)), `${path}: script-src allows a whole scheme`).toBe(false);
      expect(policy.get('object-src'), path).toEqual(["'none'"]);
      expect(policy.get('frame-ancestors'), path).toEqual(["'none'"]);
      expect(policy.has('base-uri'), path).toBe(true);
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
    }
    const json = await fetch(`${baseUrl()}/api/v1/items/${records.MODEL.item.id}`, { headers: { Authorization: `Bearer ${admin.token}` } });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.headers.get('x-content-type-options')).toBe('nosniff');

    // An uploaded HTML file is a download, never a page of this origin.
    const dataset = records.DATASET.item.id;
    await api.uploadFile(admin, dataset, `page-${tag}.html`, `<!doctype html><script>window.__xss=1</script>${H.img}`);
    const file = await fetch(`${baseUrl()}/api/v1/items/${dataset}/files/page-${tag}.html`, { headers: { Authorization: `Bearer ${admin.token}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    await api.deleteFile(admin, dataset, `page-${tag}.html`);
  });

  test('sign-in never follows a next address off the app or into a script', async () => {
    for (const next of [H.js, '//example.org/', '/\\example.org/', 'https://example.org/', `/${H.script}`]) {
      const { page, context, errors } = await openPage(browser);
      await page.goto(`/signin?next=${encodeURIComponent(next)}`);
      await page.getByLabel('Username').fill(walker.username);
      await page.getByLabel('Password').fill(walker.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      try {
        await page.waitForURL((url) => url.pathname !== '/signin');
      } catch (error) {
        await screenshot(page, 'xss-FAILED-signin-next');
        throw new Error(`next=${JSON.stringify(next)}: still on ${page.url()}: ${await page.locator('main').innerText()}`, { cause: error });
      }
      const url = new URL(page.url());
      expect(url.origin, next).toBe(baseUrl());
      // a path of this app is followed (here one that is markup), anything else goes to Explore
      expect(url.pathname, next).toBe(next.startsWith(`/${H.script}`) ? `/${encodeURI(H.script)}` : '/');
      await expect(page.evaluate(() => (window as { __xss?: unknown }).__xss), next).resolves.toBeUndefined();
      expect(errors, next).toEqual([]);
      await context.close();
    }
  });

  for (const mode of ['policy on', 'policy bypassed'] as const) {
    test(`every page shows hostile text as text (${mode})`, { timeout: 240_000 }, async () => {
      await walk(mode === 'policy bypassed', mode === 'policy on');
    });
  }

  async function walk(bypassCSP: boolean, shots: boolean): Promise<void> {
    const { page, context, errors } = await openPage(browser, { bypassCSP });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });

    /** The page shows `shown` as text, ran nothing, fired no dialog or error, links only to web addresses. */
    async function check(name: string, shown: Shown[]): Promise<void> {
      // First what must be there (which also waits for the page to render), then what must not.
      const absent: Shown[] = [];
      for (const text of [walkerName, ...shown]) {
        const locator = typeof text === 'string' ? page.getByText(text, { exact: true }) : page.getByText(text.contains);
        try {
          await locator.filter({ visible: true }).first().waitFor({ timeout: absent.length === 0 ? 10_000 : 1_000 });
        } catch {
          absent.push(text);
        }
      }
      if (absent.length > 0) await screenshot(page, `xss-FAILED-${name}`);
      // Ran, injected or linked anything: the worst finding first.
      await expect(pageReport(page), `${name}: markup from data took effect on ${page.url()}`).resolves.toEqual(CLEAN);
      expect(dialogs, `${name}: dialogs`).toEqual([]);
      expect(errors, `${name}: page errors`).toEqual([]);
      if (absent.length > 0) {
        const body = (await page.locator('main').innerText()).slice(0, 2000);
        throw new Error(`${name}: not shown as text on ${page.url()}: ${JSON.stringify(absent)}; the page says:\n${body}`);
      }
      if (shots) await screenshot(page, `xss-${name}`);
    }

    /** Every expected value is in some input or text area of the form (pickers load their names). */
    async function checkForm(name: string, values: string[]): Promise<void> {
      await expect
        .poll(async () => missing(values, await page.$$eval('input, textarea', (controls) => controls.map((control) => (control as HTMLInputElement).value))), {
          message: `${name}: values not in the form`,
          timeout: 10_000,
        })
        .toEqual([]);
    }

    await signInThroughTheForm(page, walker, `/?q=${encodeURIComponent(H.script)}`);

    // Explore: a search for the markup finds the records that hold it; the search box holds it as typed.
    expect(new URL(page.url()).searchParams.get('q')).toBe(H.script);
    await expect(page.getByRole('searchbox').inputValue()).resolves.toBe(H.script);
    await check('explore-search', [records.ORGANISATION, records.DATASET_TEMPLATE, records.DATASET].map((record) => displayName(record.item)));
    await page.goto(`/?q=${encodeURIComponent(tag)}`);
    await check('explore', SUBTYPES.map((subtype) => displayName(records[subtype].item)));

    // Every record's view, edit form and clone form.
    for (const subtype of SUBTYPES) {
      const { item, shown, inForm } = records[subtype];
      const slug = subtype.toLowerCase().replaceAll('_', '-');
      await openRecord(page, item.id);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(displayName(item));
      await check(`record-${slug}`, shown);

      await page.goto(`/items/${item.id}/edit`);
      await page.getByRole('heading', { level: 1, name: `Edit “${displayName(item)}”` }).waitFor();
      await field(page, 'Display name').first().waitFor();
      await checkForm(`edit-${slug}`, inForm);
      await check(`edit-${slug}`, []);

      await page.goto(`/register/${subtype}?clone=${item.id}`);
      await page.getByText(`You are creating a new record from a copy of “${displayName(item)}”`).waitFor();
      await checkForm(`clone-${slug}`, inForm);
      await check(`clone-${slug}`, []);
    }

    // History: who, why, the changes and each revision's data.
    for (const [subtype, reason, before, after] of [
      ['MODEL', modelReason, H.script, H.img],
      ['DATASET', datasetReason, H.img, H.template],
    ] as const) {
      const { item } = records[subtype];
      const slug = subtype.toLowerCase();
      await page.goto(`/items/${item.id}?tab=history`);
      await page.getByRole('button', { name: 'Show changes' }).first().waitFor();
      // Open every revision's changes and data (each button turns into "Hide …" once clicked).
      const show = page.getByRole('button', { name: /^Show (changes|data)$/ });
      while ((await show.count()) > 0) await show.first().click();
      await page.getByRole('table').first().waitFor();
      const diff = page.locator('table.record-diff');
      await expect(diff.getByRole('cell', { name: before, exact: true }).count(), `${slug}: diff before`).resolves.toBeGreaterThan(0);
      await expect(diff.getByRole('cell', { name: after, exact: true }).count(), `${slug}: diff after`).resolves.toBeGreaterThan(0);
      await check(`history-${slug}`, [{ contains: reason }, before, after, displayName(item)]);
    }
    // The older revision can be cloned too: the form holds that revision's markup.
    await page.goto(`/register/MODEL?clone=${records.MODEL.item.id}&revision=1`);
    await page.getByText('(revision 1)').waitFor();
    await checkForm('clone-model-revision-1', [H.template, H.script]);
    await check('clone-model-revision-1', []);

    // Access: the group's name in the settings, in the log and among the groups to add.
    await page.goto(`/items/${records.MODEL.item.id}?tab=access`);
    await page.getByRole('heading', { name: 'Access log' }).waitFor();
    await page.getByRole('rowheader', { name: group.name, exact: true }).waitFor();
    await expect(page.locator('option', { hasText: otherGroup.name }).textContent()).resolves.toBe(otherGroup.name);
    await check('record-access', [group.name, { contains: `${group.name}: ` }]);

    // The datastore: the list, then the dataset's files and file log.
    const dataset = records.DATASET.item;
    await page.goto(`/datastore?q=${encodeURIComponent(tag)}`);
    await check('datastore', [displayName(dataset)]);
    await page.goto(`/datastore/${dataset.id}`);
    await page.getByRole('heading', { name: 'File log' }).waitFor();
    for (const path of files) {
      const link = page.getByRole('link', { name: path, exact: true });
      await expect(link.getAttribute('href'), path).resolves.toBe(`/api/v1/items/${dataset.id}/files/${api.encodeFilePath(path)}`);
    }
    await check('dataset-files', [displayName(dataset), ...files, deletedFile, 'Deleted', 'Replaced']);
    await page.goto(`/datastore/${dataset.id}?tab=access`);
    await page.getByRole('heading', { name: 'Access log' }).waitFor();
    await check('dataset-access', [group.name]);

    // Administration: groups (names, descriptions, a member's display name) and users.
    await page.goto('/admin/groups');
    await check('admin-groups', [group.name, group.description, otherGroup.name, otherGroup.description, { contains: walkerName }]);
    await page.goto('/admin/users');
    const newName = `${H.img} ${H.template} New user ${tag}${bypassCSP ? ' 2' : ''}`;
    await page.getByLabel('Username', { exact: true }).fill(`xss-${tag}-${bypassCSP ? 'b' : 'a'}`);
    await page.getByLabel('Display name', { exact: true }).fill(newName);
    await page.getByLabel('E-mail', { exact: true }).fill(`xss-${tag}@example.org`);
    await page.getByLabel('Password', { exact: true }).fill(`password-${tag}`);
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText(`User “xss-${tag}-${bypassCSP ? 'b' : 'a'}” created`).waitFor();
    await check('admin-users', [newName, H.email]);

    await context.close();
  }
});

/** What the page has that it must not: run markup, handlers in attributes, foreign scripts, script links. */
interface PageReport {
  xss: string | null;
  handlers: string[];
  inlineScripts: string[];
  foreignScripts: string[];
  javascriptLinks: number;
  badLinks: string[];
  embeds: number;
}

const CLEAN: PageReport = { xss: null, handlers: [], inlineScripts: [], foreignScripts: [], javascriptLinks: 0, badLinks: [], embeds: 0 };

async function pageReport(page: Page): Promise<PageReport> {
  // Give an injected <img onerror> or <svg onload> time to fire before looking.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 200))));
  return page.evaluate((): PageReport => {
    const elements = Array.from(document.querySelectorAll('*'));
    const scripts = Array.from(document.scripts);
    const xss = (window as { __xss?: unknown }).__xss;
    return {
      xss: xss === undefined ? null : String(xss),
      // React never writes on* attributes: any there came from data.
      handlers: elements.flatMap((element) =>
        Array.from(element.attributes)
          .filter((attribute) => attribute.name.toLowerCase().startsWith('on'))
          .map((attribute) => `<${element.localName} ${attribute.name}="${attribute.value}">`),
      ),
      inlineScripts: scripts.filter((script) => !script.src).map((script) => (script.textContent ?? '').slice(0, 80)),
      foreignScripts: scripts.filter((script) => script.src && new URL(script.src).origin !== location.origin).map((script) => script.src),
      javascriptLinks: document.querySelectorAll('a[href^="javascript:" i], area[href^="javascript:" i], [src^="javascript:" i], form[action^="javascript:" i]').length,
      // Links resolve to web or mail addresses only (no javascript:, data:, vbscript:, blob:).
      badLinks: Array.from(document.querySelectorAll<HTMLAnchorElement | HTMLAreaElement>('a[href], area[href]'))
        .map((link) => link.href)
        .filter((href) => !/^(https?|mailto):/i.test(href)),
      embeds: document.querySelectorAll('iframe, frame, object, embed').length,
    };
  });
}

function missing(expected: string[], values: string[]): string[] {
  return expected.filter((value) => !values.includes(value));
}

/** A Content-Security-Policy header as directive → sources. */
function parsePolicy(header: string): Map<string, string[]> {
  const policy = new Map<string, string[]>();
  for (const directive of header.split(';')) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name) policy.set(name.toLowerCase(), sources);
  }
  return policy;
}
