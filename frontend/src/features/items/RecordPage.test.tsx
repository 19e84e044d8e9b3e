import { act, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, test } from 'vitest';
import { queryKeys } from '../../api/queryKeys.ts';
import { jsonResponse, renderApp } from '../../testing/render.tsx';
import { startSession } from '../../testing/session.ts';
import { deferred, makeItem, makePermissions, modelData, problem, stubApi } from './testing/fixtures.ts';

const MODEL_ID = '11111111-1111-4111-8111-111111111111';
const DATASET_ID = '22222222-2222-4222-8222-222222222222';
const ORG_ID = '33333333-3333-4333-8333-333333333333';

const model = makeItem(MODEL_ID, 'MODEL', modelData('Catchment model'), 2);
const organisation = makeItem(ORG_ID, 'ORGANISATION', { display_name: 'Hydrology Institute', name: 'Hydrology Institute' });
const no = { relevant: false, obtained: false };
const dataset = makeItem(DATASET_ID, 'DATASET', {
  display_name: 'Rainfall 2024',
  associations: { organisation_id: ORG_ID },
  approvals: { ethics_registration: { relevant: true, obtained: true }, ethics_access: no, indigenous_knowledge: no, export_controls: no },
  dataset_info: {
    name: 'Rainfall 2024',
    description: 'Daily rainfall.',
    publisher_id: ORG_ID,
    license: 'https://creativecommons.org/licenses/by/4.0/',
    created_date: '2024-01-31',
    published_date: '2024-02-01',
    access_info: { reposited: true },
    keywords: ['rain', 'daily'],
    formats: [],
  },
  user_metadata: { station: 'Canberra airport' },
});

const modelHistory = {
  entries: [
    { revision: 2, at: '2024-03-02T10:30:00Z', by: 'olivia', reason: 'Rewrote the description', data: model.data },
    { revision: 1, at: '2024-03-01T09:00:00Z', by: 'olivia', reason: 'Created', data: { ...model.data, description: 'First words.' } },
  ],
};

function itemRoutes(item: typeof model, actions: Parameters<typeof makePermissions>[1]) {
  return {
    [`GET /api/v1/items/${item.id}`]: item,
    [`GET /api/v1/items/${item.id}/permissions`]: makePermissions(item.id, actions),
    [`GET /api/v1/items/${ORG_ID}`]: organisation,
  };
}

beforeEach(() => startSession());

const heading = (name: string) => screen.findByRole('heading', { level: 1, name });
const actionLink = (name: string) => screen.queryByRole('link', { name });

describe('header actions', () => {
  test('none shows before the permissions answer has arrived', async () => {
    const answer = deferred<Response>();
    stubApi({ ...itemRoutes(model, {}), [`GET /api/v1/items/${MODEL_ID}/permissions`]: () => answer.promise });
    renderApp(`/items/${MODEL_ID}`);
    await heading('Catchment model');
    expect(await screen.findByText('Model')).toBeInTheDocument();
    await screen.findByText('Documentation address');
    for (const name of ['Edit', 'Clone', 'View in Datastore']) expect(actionLink(name)).toBeNull();

    answer.resolve(jsonResponse(makePermissions(MODEL_ID, { edit: true, clone: true })));
    expect(await screen.findByRole('link', { name: 'Edit' })).toHaveAttribute('href', `/items/${MODEL_ID}/edit`);
    expect(actionLink('Clone')).toHaveAttribute('href', `/register/MODEL?clone=${MODEL_ID}`);
  });

  test('Clone only with actions.clone, Edit only with actions.edit', async () => {
    stubApi(itemRoutes(model, { clone: true, edit: false }));
    const first = renderApp(`/items/${MODEL_ID}`);
    expect(await screen.findByRole('link', { name: 'Clone' })).toHaveAttribute('href', `/register/MODEL?clone=${MODEL_ID}`);
    expect(actionLink('Edit')).toBeNull();
    first.unmount();

    stubApi(itemRoutes(model, { clone: false, edit: true }));
    renderApp(`/items/${MODEL_ID}`);
    expect(await screen.findByRole('link', { name: 'Edit' })).toBeInTheDocument();
    expect(actionLink('Clone')).toBeNull();
    expect(actionLink('View in Datastore')).toBeNull();
  });

  test('neither without the actions', async () => {
    const requests = stubApi(itemRoutes(model, {}));
    renderApp(`/items/${MODEL_ID}`);
    await heading('Catchment model');
    await waitFor(() => expect(requests.some((r) => r.path.endsWith('/permissions'))).toBe(true));
    await screen.findByText('Documentation address');
    expect(actionLink('Edit')).toBeNull();
    expect(actionLink('Clone')).toBeNull();
  });

  test('a dataset offers View in Datastore and never Clone', async () => {
    stubApi(itemRoutes(dataset, { edit: true, clone: true, read_files: true }));
    renderApp(`/items/${DATASET_ID}`);
    expect(await screen.findByRole('link', { name: 'View in Datastore' })).toHaveAttribute('href', `/datastore/${DATASET_ID}`);
    expect(actionLink('Edit')).toBeInTheDocument();
    expect(actionLink('Clone')).toBeNull();
  });
});

describe('unreadable or missing records', () => {
  test('403 shows Access denied and nothing of the record', async () => {
    const requests = stubApi({
      [`GET /api/v1/items/${MODEL_ID}`]: () => problem(403, 'You may not view this record.'),
      [`GET /api/v1/items/${MODEL_ID}/permissions`]: makePermissions(MODEL_ID, { view: false, clone: true, edit: true }),
    });
    renderApp(`/items/${MODEL_ID}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Access denied' })).toBeInTheDocument();
    expect(screen.getByText('You do not have permission to view this record.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to Explore' })).toHaveAttribute('href', '/');
    await waitFor(() => expect(requests.some((r) => r.path.endsWith('/permissions'))).toBe(true));
    expect(document.body.textContent).not.toContain('Catchment model');
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(actionLink('Edit')).toBeNull();
    expect(actionLink('Clone')).toBeNull();
  });

  test('404 shows Record not found and nothing of the record', async () => {
    stubApi({
      [`GET /api/v1/items/${MODEL_ID}`]: () => problem(404, 'There is no record with this id.'),
      [`GET /api/v1/items/${MODEL_ID}/permissions`]: () => problem(404, 'There is no record with this id.'),
    });
    renderApp(`/items/${MODEL_ID}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Record not found' })).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('Catchment model');
    expect(screen.queryByRole('tablist')).toBeNull();
  });

  test('other errors say what happened and offer Retry', async () => {
    let calls = 0;
    stubApi({
      ...itemRoutes(model, {}),
      [`GET /api/v1/items/${MODEL_ID}`]: () => (++calls === 1 ? problem(500, 'The server failed.') : jsonResponse(model)),
    });
    const { user } = renderApp(`/items/${MODEL_ID}`);
    expect(await screen.findByRole('alert')).toHaveTextContent('The server failed.');
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await heading('Catchment model')).toBeInTheDocument();
  });
});

describe('overview', () => {
  test('every field under its schema title, in the UI order, with links, dates, Yes/No, maps and None', async () => {
    stubApi(itemRoutes(dataset, {}));
    renderApp(`/items/${DATASET_ID}`);
    await heading('Rainfall 2024');
    const panel = await screen.findByRole('tabpanel', { name: 'Overview' });
    await within(panel).findByRole('heading', { level: 2, name: 'Approvals' });
    expect(within(panel).getByRole('heading', { level: 3, name: 'Ethics registration' })).toBeInTheDocument();
    const field = (title: string) => within(panel).getByText(title, { selector: 'dt' }).nextElementSibling;
    expect(field('Ethics registration obtained')).toHaveTextContent('Yes');
    expect(field('Ethics access relevant')).toHaveTextContent('No');
    const licence = within(field('Licence') as HTMLElement).getByRole('link');
    expect(licence).toHaveAttribute('href', 'https://creativecommons.org/licenses/by/4.0/');
    expect(licence).toHaveAttribute('rel', 'noopener noreferrer');
    expect(field('Date created')?.querySelector('time')).toHaveAttribute('dateTime', '2024-01-31');
    expect(field('Date created')).not.toHaveTextContent('2024-01-31');
    expect(field('Formats')).toHaveTextContent('None');
    expect(within(field('Keywords') as HTMLElement).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['rain', 'daily']);
    const metadata = field('User metadata') as HTMLElement;
    expect(within(metadata).getByText('station', { selector: 'dt' }).nextElementSibling).toHaveTextContent('Canberra airport');
    // optional fields left out of `data` are not shown; no raw keys anywhere
    expect(within(panel).queryByText('Purpose')).toBeNull();
    expect(within(panel).queryByText('Data custodian')).toBeNull();
    expect(panel.textContent).not.toMatch(/dataset_info|organisation_id/);
    // the groups follow ui:order
    const groups = within(panel)
      .getAllByRole('heading', { level: 2 })
      .map((h) => h.textContent);
    expect(groups).toEqual(['Associations', 'Approvals', 'Dataset information']);
  });

  test('a javascript: address is shown as text, not as a link', async () => {
    const sneaky = makeItem(MODEL_ID, 'MODEL', { ...modelData(), source_url: 'javascript:alert(1)' });
    stubApi(itemRoutes(sneaky, {}));
    renderApp(`/items/${MODEL_ID}`);
    const value = (await screen.findByText('javascript:alert(1)')).closest('dd') as HTMLElement;
    expect(within(value).queryByRole('link')).toBeNull();
  });

  test('ref fields link to the target showing its display name; an unreadable target is not linked', async () => {
    const workflowId = '44444444-4444-4444-8444-444444444444';
    const templateId = '55555555-5555-4555-8555-555555555555';
    const hiddenId = '66666666-6666-4666-8666-666666666666';
    const workflow = makeItem(workflowId, 'MODEL_RUN_WORKFLOW_TEMPLATE', {
      display_name: 'Run workflow',
      software_id: MODEL_ID,
      input_templates: [{ template_id: templateId, optional: false }],
      output_templates: [{ template_id: hiddenId, optional: true }],
      annotations: { required: ['region'], optional: [] },
    });
    const modelAnswer = deferred<Response>();
    stubApi({
      ...itemRoutes(workflow, {}),
      [`GET /api/v1/items/${MODEL_ID}`]: () => modelAnswer.promise,
      [`GET /api/v1/items/${templateId}`]: makeItem(templateId, 'DATASET_TEMPLATE', { display_name: 'Forcing inputs' }),
      [`GET /api/v1/items/${hiddenId}`]: () => problem(403, 'Not allowed.'),
    });
    renderApp(`/items/${workflowId}`);
    await heading('Run workflow');
    // while the target loads: its id, shortened
    expect(await screen.findByRole('link', { name: '11111111…' })).toHaveAttribute('href', `/items/${MODEL_ID}`);
    modelAnswer.resolve(jsonResponse(model));
    expect(await screen.findByRole('link', { name: 'Catchment model' })).toHaveAttribute('href', `/items/${MODEL_ID}`);
    expect(await screen.findByRole('link', { name: 'Forcing inputs' })).toHaveAttribute('href', `/items/${templateId}`);
    const hidden = await screen.findByText('A record you cannot view');
    expect(hidden.closest('a')).toBeNull();
    expect(screen.queryByRole('link', { name: /66666666/ })).toBeNull();
    // the list of slots is a small table headed by the schema's titles
    const inputs = screen.getByRole('table', { name: 'Input dataset templates' });
    expect(within(inputs).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Dataset template', 'Dataset is optional']);
    expect(within(inputs).getByRole('cell', { name: 'No' })).toBeInTheDocument();
  });
});

describe('tabs', () => {
  test('arrow keys move between tabs and the tab is kept in the address', async () => {
    stubApi({ ...itemRoutes(model, {}), [`GET /api/v1/items/${MODEL_ID}/history`]: modelHistory });
    const { user, router } = renderApp(`/items/${MODEL_ID}`);
    await heading('Catchment model');
    const overview = screen.getByRole('tab', { name: 'Overview' });
    expect(overview).toHaveAttribute('aria-selected', 'true');
    overview.focus();
    await user.keyboard('{ArrowRight}');
    const history = screen.getByRole('tab', { name: 'History' });
    expect(history).toHaveAttribute('aria-selected', 'true');
    expect(history).toHaveFocus();
    expect(router.state.location.search).toBe('?tab=history');
    expect(await screen.findByRole('heading', { name: /Revision 2/ })).toBeInTheDocument();
    await user.keyboard('{ArrowRight}'); // wraps round: no Access tab without manage_access
    expect(screen.getByRole('tab', { name: 'Overview' })).toHaveFocus();
    expect(router.state.location.search).toBe('');
    expect(screen.queryByRole('tab', { name: 'Access' })).toBeNull();
  });

  test('a deep link opens its tab', async () => {
    stubApi({ ...itemRoutes(model, {}), [`GET /api/v1/items/${MODEL_ID}/history`]: modelHistory });
    renderApp(`/items/${MODEL_ID}?tab=history`);
    expect(await screen.findByRole('tab', { name: 'History' })).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByText('Rewrote the description')).toBeInTheDocument();
  });
});

describe('history', () => {
  test('each revision: who, when, why, Clone this revision, its changes and data on demand', async () => {
    stubApi({ ...itemRoutes(model, { clone: true }), [`GET /api/v1/items/${MODEL_ID}/history`]: modelHistory });
    const { user } = renderApp(`/items/${MODEL_ID}?tab=history`);
    const newest = (await screen.findByRole('heading', { level: 2, name: /Revision 2/ })).closest('li') as HTMLElement;
    expect(newest).toHaveTextContent('olivia');
    expect(newest).toHaveTextContent('Rewrote the description');
    expect(newest.querySelector('time')).toHaveAttribute('dateTime', '2024-03-02T10:30:00Z');
    const links = screen.getAllByRole('link', { name: 'Clone this revision' });
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      `/register/MODEL?clone=${MODEL_ID}&revision=2`,
      `/register/MODEL?clone=${MODEL_ID}&revision=1`,
    ]);

    await user.click(within(newest).getByRole('button', { name: 'Show changes' }));
    const changes = within(newest).getByRole('table', { name: 'Changes from revision 1 to revision 2' });
    const row = within(changes).getByRole('row', { name: /Description/ });
    expect(row).toHaveTextContent('Changed');
    expect(row).toHaveTextContent('First words.');
    expect(row).toHaveTextContent('Simulates catchment runoff.');

    await user.click(within(newest).getByRole('button', { name: 'Show data' }));
    expect(within(newest).getByText('Source code address', { selector: 'dt' })).toBeInTheDocument();
    // the first revision has nothing before it to compare with
    const oldest = screen.getByRole('heading', { level: 2, name: /Revision 1/ }).closest('li') as HTMLElement;
    expect(within(oldest).queryByRole('button', { name: 'Show changes' })).toBeNull();
  });

  test('no Clone this revision without actions.clone', async () => {
    stubApi({ ...itemRoutes(model, { edit: true }), [`GET /api/v1/items/${MODEL_ID}/history`]: modelHistory });
    renderApp(`/items/${MODEL_ID}?tab=history`);
    await screen.findByText('Rewrote the description');
    await screen.findByRole('link', { name: 'Edit' });
    expect(screen.queryByRole('link', { name: 'Clone this revision' })).toBeNull();
  });

  test('a dataset’s revisions can be cloned: the form holds that revision’s data, from the cache', async () => {
    const earlier = { ...dataset.data, dataset_info: { ...(dataset.data.dataset_info as object), description: 'Rainfall, first draft.' } };
    const history = {
      entries: [
        { revision: 2, at: '2024-03-02T10:30:00Z', by: 'olivia', reason: 'Rewrote the description', data: dataset.data },
        { revision: 1, at: '2024-03-01T09:00:00Z', by: 'olivia', reason: 'Created', data: earlier },
      ],
    };
    // Once the history is on screen the API stops answering about the dataset: the form must fill from the cache.
    let answering = true;
    const answer = (body: unknown) => () => (answering ? jsonResponse(body) : new Promise<Response>(() => {}));
    stubApi({
      ...itemRoutes(dataset, { clone: true, edit: true }),
      [`GET /api/v1/items/${DATASET_ID}`]: answer({ ...dataset, revision: 2 }),
      [`GET /api/v1/items/${DATASET_ID}/history`]: answer(history),
    });
    const { user, router } = renderApp(`/items/${DATASET_ID}?tab=history`);
    await screen.findByText('Created');
    await screen.findByRole('link', { name: 'Edit' });
    // the header still sends a dataset's whole clone to the Datastore
    expect(actionLink('Clone')).toBeNull();
    const links = screen.getAllByRole('link', { name: 'Clone this revision' });
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      `/register/DATASET?clone=${DATASET_ID}&revision=2`,
      `/register/DATASET?clone=${DATASET_ID}&revision=1`,
    ]);

    answering = false;
    const oldest = screen.getByRole('listitem', { name: /Revision 1/ });
    await user.click(within(oldest).getByRole('link', { name: 'Clone this revision' }));
    // the form's route loads lazily: the address changes once it has
    await waitFor(() => expect(router.state.location.search).toBe(`?clone=${DATASET_ID}&revision=1`));
    expect(
      await screen.findByText(
        'You are creating a new record from a copy of “Rainfall 2024” (revision 1). Access settings, history and dataset files are not copied: the new record is yours, has default access and starts its own history.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByDisplayValue('Rainfall, first draft.')).toBeInTheDocument();
    expect(screen.queryByDisplayValue('Daily rainfall.')).toBeNull();
  });

  test('no Clone this revision of a dataset without actions.clone', async () => {
    const history = { entries: [{ revision: 1, at: '2024-03-01T09:00:00Z', by: 'olivia', reason: 'Created', data: dataset.data }] };
    stubApi({ ...itemRoutes(dataset, { edit: true }), [`GET /api/v1/items/${DATASET_ID}/history`]: history });
    renderApp(`/items/${DATASET_ID}?tab=history`);
    await screen.findByText('Created');
    await screen.findByRole('link', { name: 'Edit' });
    expect(screen.queryByRole('link', { name: 'Clone this revision' })).toBeNull();
  });
});

describe('access', () => {
  const HYDRO = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
  const MODELLERS = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
  const groups = [
    { id: HYDRO, name: 'Hydrologists', description: '', members: ['alice'] },
    { id: MODELLERS, name: 'Modellers', description: '', members: [] },
  ];
  const settings = { owner: 'olivia', general: ['metadata-read'], groups: { [HYDRO]: ['metadata-read', 'metadata-write'] } };
  const log = {
    entries: [
      {
        at: '2024-03-03T08:00:00Z',
        by: 'olivia',
        old: { general: ['metadata-read'], groups: {} },
        new: { general: ['metadata-read'], groups: { [HYDRO]: ['metadata-read', 'metadata-write'] } },
      },
    ],
  };

  function accessRoutes(item: typeof model, put: (request: Request) => Response | Promise<Response>) {
    return {
      ...itemRoutes(item, { manage_access: true, edit: true, clone: true }),
      [`GET /api/v1/items/${item.id}/access`]: settings,
      [`GET /api/v1/items/${item.id}/access-log`]: log,
      [`PUT /api/v1/items/${item.id}/access`]: put,
      'GET /api/v1/groups': groups,
    };
  }

  test('only item admins see the Access tab', async () => {
    stubApi(itemRoutes(model, { edit: true }));
    renderApp(`/items/${MODEL_ID}?tab=access`);
    await screen.findByRole('link', { name: 'Edit' });
    expect(screen.queryByRole('tab', { name: 'Access' })).toBeNull();
    expect(screen.getByRole('tab', { name: 'Overview' })).toHaveAttribute('aria-selected', 'true');
  });

  test('shows owner, roles and the log, and saves the changed settings', async () => {
    const saved = { owner: 'olivia', general: ['metadata-read', 'metadata-write'], groups: { [MODELLERS]: ['metadata-read', 'metadata-write'] } };
    const requests = stubApi(accessRoutes(model, () => jsonResponse(saved)));
    const { user } = renderApp(`/items/${MODEL_ID}?tab=access`);
    expect(await screen.findByText('olivia', { selector: 'strong' })).toBeInTheDocument();

    const everyone = screen.getByRole('group', { name: 'Everyone signed in to the Registry' });
    // a model has no data roles
    expect(within(everyone).getAllByRole('checkbox').map((box) => (box as HTMLInputElement).labels?.[0]?.textContent)).toEqual([
      'View metadata',
      'Edit metadata',
      'Administer',
    ]);
    expect(within(everyone).getByRole('checkbox', { name: 'View metadata' })).toBeChecked();
    expect(within(everyone).getByRole('checkbox', { name: 'Edit metadata' })).toHaveAccessibleDescription(/includes view/);
    expect(await screen.findByRole('rowheader', { name: 'Hydrologists' })).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Edit metadata for Hydrologists' })).toBeChecked();
    // the log: who, when, before → after
    const logTable = screen.getByRole('table', { name: 'Changes to access, newest first' });
    expect(within(logTable).getAllByRole('row')[1]).toHaveTextContent(/olivia.*Everyone: View metadata.*Hydrologists: View metadata, Edit metadata/);

    const save = screen.getByRole('button', { name: 'Save' });
    expect(save).toBeDisabled();
    await user.click(within(everyone).getByRole('checkbox', { name: 'Edit metadata' }));
    await user.click(screen.getByRole('button', { name: 'Remove Hydrologists' }));
    await user.selectOptions(screen.getByLabelText('Add a group'), 'Modellers');
    await user.click(screen.getByRole('button', { name: 'Add group' }));
    await user.click(screen.getByRole('checkbox', { name: 'Edit metadata for Modellers' }));
    const permissionsBefore = requests.filter((r) => r.path.endsWith('/permissions')).length;
    await user.click(save);

    expect(await screen.findByText(/Access settings saved/)).toBeInTheDocument();
    const put = requests.find((r) => r.method === 'PUT');
    expect(JSON.parse(put?.body ?? '')).toEqual({
      general: ['metadata-read', 'metadata-write'],
      groups: { [MODELLERS]: ['metadata-read', 'metadata-write'] },
    });
    // who may do what has changed: permissions and the log are asked again
    await waitFor(() => expect(requests.filter((r) => r.path.endsWith('/permissions')).length).toBeGreaterThan(permissionsBefore));
    expect(requests.filter((r) => r.path.endsWith('/access-log')).length).toBeGreaterThan(1);
  });

  test('a dataset offers its data roles; ticking a role ticks what it includes', async () => {
    stubApi(accessRoutes(dataset, () => jsonResponse(settings)));
    const { user } = renderApp(`/items/${DATASET_ID}?tab=access`);
    const everyone = await screen.findByRole('group', { name: 'Everyone signed in to the Registry' });
    await user.click(within(everyone).getByRole('checkbox', { name: 'Upload data' }));
    expect(within(everyone).getByRole('checkbox', { name: 'Download data' })).toBeChecked();
    expect(within(everyone).getByRole('checkbox', { name: 'Download data' })).toBeDisabled();
    expect(within(everyone).getByRole('checkbox', { name: 'Edit metadata' })).not.toBeChecked();
  });

  test('a background refresh keeps the admin’s draft and says when the settings changed meanwhile', async () => {
    let stored: object = settings;
    const saved = { owner: 'olivia', general: ['metadata-read', 'metadata-write'], groups: { [MODELLERS]: ['metadata-read'] } };
    const requests = stubApi({
      ...accessRoutes(model, () => {
        stored = saved;
        return jsonResponse(saved);
      }),
      [`GET /api/v1/items/${MODEL_ID}/access`]: () => jsonResponse(stored),
    });
    const { user, queryClient } = renderApp(`/items/${MODEL_ID}?tab=access`);
    const everyone = await screen.findByRole('group', { name: 'Everyone signed in to the Registry' });
    await user.click(within(everyone).getByRole('checkbox', { name: 'Edit metadata' }));
    const refresh = () => act(() => queryClient.refetchQueries({ queryKey: queryKeys.items.access(MODEL_ID) }));

    // the same settings again: nothing to say
    await refresh();
    expect(within(everyone).getByRole('checkbox', { name: 'Edit metadata' })).toBeChecked();
    expect(screen.queryByText(/changed by someone else/)).toBeNull();

    stored = { owner: 'olivia', general: ['metadata-read'], groups: { [MODELLERS]: ['metadata-read'] } };
    await refresh();
    const notice = await screen.findByRole('alert');
    expect(notice).toHaveTextContent(
      'The access settings were changed by someone else while you were editing: review them before saving.',
    );
    expect(notice).toHaveTextContent('Modellers: View metadata');
    // the draft is still there, and still saveable
    expect(within(everyone).getByRole('checkbox', { name: 'Edit metadata' })).toBeChecked();
    expect(screen.getByRole('rowheader', { name: 'Hydrologists' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled();

    await user.click(within(notice).getByRole('button', { name: 'Discard my changes and load the new settings' }));
    expect(screen.queryByText(/changed by someone else/)).toBeNull();
    expect(within(everyone).getByRole('checkbox', { name: 'Edit metadata' })).not.toBeChecked();
    expect(screen.getByRole('rowheader', { name: 'Modellers' })).toBeInTheDocument();
    expect(screen.queryByRole('rowheader', { name: 'Hydrologists' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();

    // a draft made on the new settings saves as usual, and the notice stays away
    await user.click(within(everyone).getByRole('checkbox', { name: 'Edit metadata' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/Access settings saved/)).toBeInTheDocument();
    expect(JSON.parse(requests.find((r) => r.method === 'PUT')?.body ?? '')).toEqual({ general: saved.general, groups: saved.groups });
    expect(screen.queryByText(/changed by someone else/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  test('a form nobody has touched shows the new settings without a notice', async () => {
    let stored: object = settings;
    stubApi({ ...accessRoutes(model, () => jsonResponse(settings)), [`GET /api/v1/items/${MODEL_ID}/access`]: () => jsonResponse(stored) });
    const { queryClient } = renderApp(`/items/${MODEL_ID}?tab=access`);
    expect(await screen.findByRole('rowheader', { name: 'Hydrologists' })).toBeInTheDocument();
    stored = { owner: 'olivia', general: ['metadata-read'], groups: { [MODELLERS]: ['metadata-read'] } };
    await act(() => queryClient.refetchQueries({ queryKey: queryKeys.items.access(MODEL_ID) }));
    expect(await screen.findByRole('rowheader', { name: 'Modellers' })).toBeInTheDocument();
    expect(screen.queryByRole('rowheader', { name: 'Hydrologists' })).toBeNull();
    expect(screen.queryByText(/changed by someone else/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  test('a 422 is shown in plain words next to what it is about', async () => {
    stubApi(
      accessRoutes(model, () =>
        problem(422, 'The access settings are not valid.', [{ field: `groups.${HYDRO}`, message: 'There is no group with this id.' }]),
      ),
    );
    const { user } = renderApp(`/items/${MODEL_ID}?tab=access`);
    const everyone = await screen.findByRole('group', { name: 'Everyone signed in to the Registry' });
    await user.click(within(everyone).getByRole('checkbox', { name: 'Edit metadata' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The access settings are not valid.');
    expect(alert).toHaveTextContent('Hydrologists: There is no group with this id.');
  });
});
