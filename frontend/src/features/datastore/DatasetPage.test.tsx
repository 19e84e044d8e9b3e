import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { jsonResponse, renderApp } from '../../testing/render.tsx';
import { startSession, TEST_CSRF_TOKEN } from '../../testing/session.ts';
import type { Permissions } from '../items/api.ts';
import { deferred, makeItem, makePermissions, modelData, problem, stubApi } from '../items/testing/fixtures.ts';
import { FakeXhr } from './testing/fakeXhr.ts';

const ID = '22222222-2222-4222-8222-222222222222';
const ORG_ID = '33333333-3333-4333-8333-333333333333';
const MODEL_ID = '11111111-1111-4111-8111-111111111111';
const BASE = `/api/v1/items/${ID}`;
const no = { relevant: false, obtained: false };
const dataset = makeItem(ID, 'DATASET', {
  display_name: 'Rainfall 2024',
  associations: { organisation_id: ORG_ID },
  approvals: { ethics_registration: no, ethics_access: no, indigenous_knowledge: no, export_controls: no },
  dataset_info: {
    name: 'Rainfall 2024',
    description: 'Daily rainfall.',
    publisher_id: ORG_ID,
    license: 'https://creativecommons.org/licenses/by/4.0/',
    created_date: '2024-01-31',
    published_date: '2024-02-01',
    access_info: { reposited: true },
  },
});
const organisation = makeItem(ORG_ID, 'ORGANISATION', { display_name: 'Hydrology Institute', name: 'Hydrology Institute' });

const SHA_A = 'a'.repeat(60) + '1234';
const SHA_B = 'b'.repeat(64);
const stations = { path: 'stations.csv', size: 1536, sha256: SHA_A, uploaded_at: '2024-03-05T08:00:00Z' };
const january = { path: 'raw 2024/jan data.csv', size: 3 * 1024 * 1024, sha256: SHA_B, uploaded_at: '2024-03-04T08:00:00Z' };
const fileLog = {
  entries: [
    { at: '2024-03-05T08:00:00Z', by: 'olivia', action: 'added', path: 'stations.csv', size: 1536, sha256: SHA_A },
    { at: '2024-03-04T08:00:00Z', by: 'olivia', action: 'added', path: 'raw 2024/jan data.csv', size: 3145728, sha256: SHA_B },
  ],
};

type Actions = Partial<Permissions['actions']>;
const READER: Actions = { read_files: true };
const WRITER: Actions = { read_files: true, write_files: true, edit: true };

/** The dataset's routes; `files` answers GET …/files (a list, or a function for changing answers). */
function datasetRoutes(actions: Actions, files: unknown = { files: [stations, january] }) {
  return {
    [`GET ${BASE}`]: dataset,
    [`GET ${BASE}/permissions`]: makePermissions(ID, actions),
    [`GET ${BASE}/files`]: files,
    [`GET ${BASE}/file-log`]: fileLog,
    [`GET /api/v1/items/${ORG_ID}`]: organisation,
  };
}

const heading = (name: string) => screen.findByRole('heading', { level: 1, name });
const link = (name: string) => screen.queryByRole('link', { name });
const fileRow = async (path: string) => (await screen.findByRole('link', { name: new RegExp(`^${path}`) })).closest('tr') as HTMLElement;

beforeEach(() => {
  startSession();
  FakeXhr.sent = [];
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
});

describe('header', () => {
  test('no action before the permissions answer; then Edit, Clone Dataset and Open in the registry', async () => {
    const answer = deferred<Response>();
    stubApi({ ...datasetRoutes(WRITER), [`GET ${BASE}/permissions`]: () => answer.promise });
    renderApp(`/datastore/${ID}`);
    expect(await heading('Rainfall 2024')).toBeInTheDocument();
    expect(screen.getByText('Dataset', { selector: 'p' })).toBeInTheDocument();
    expect(screen.getByText('olivia')).toBeInTheDocument();
    for (const name of ['Edit', 'Clone Dataset', 'Open in the registry']) expect(link(name)).toBeNull();

    answer.resolve(jsonResponse(makePermissions(ID, { ...WRITER, clone: true })));
    expect(await screen.findByRole('link', { name: 'Clone Dataset' })).toHaveAttribute('href', `/register/DATASET?clone=${ID}`);
    expect(link('Edit')).toHaveAttribute('href', `/items/${ID}/edit`);
    expect(link('Open in the registry')).toHaveAttribute('href', `/items/${ID}`);
  });

  test('Clone Dataset only with actions.clone', async () => {
    stubApi(datasetRoutes({ ...READER, clone: false }));
    renderApp(`/datastore/${ID}`);
    await screen.findByRole('link', { name: 'Open in the registry' });
    expect(link('Clone Dataset')).toBeNull();
    expect(link('Edit')).toBeNull();
  });
});

describe('unavailable records', () => {
  test('403 shows Access denied and nothing of the dataset', async () => {
    const requests = stubApi({
      ...datasetRoutes({ ...WRITER, view: false, clone: true }),
      [`GET ${BASE}`]: () => problem(403, 'You may not view this record.'),
    });
    renderApp(`/datastore/${ID}`);
    expect(await heading('Access denied')).toBeInTheDocument();
    expect(screen.getByText('You do not have permission to view this record.')).toBeInTheDocument();
    await waitFor(() => expect(requests.some((request) => request.path.endsWith('/permissions'))).toBe(true));
    expect(document.body.textContent).not.toContain('Rainfall 2024');
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(link('Clone Dataset')).toBeNull();
    expect(requests.some((request) => request.path.endsWith('/files'))).toBe(false);
  });

  test('404 shows Record not found and nothing of the dataset', async () => {
    stubApi({
      [`GET ${BASE}`]: () => problem(404, 'There is no record with this id.'),
      [`GET ${BASE}/permissions`]: () => problem(404, 'There is no record with this id.'),
    });
    renderApp(`/datastore/${ID}`);
    expect(await heading('Record not found')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the Datastore' })).toHaveAttribute('href', '/datastore');
    expect(screen.queryByRole('tablist')).toBeNull();
  });

  test('a record that is not a dataset points to its page in the registry', async () => {
    stubApi({
      [`GET /api/v1/items/${MODEL_ID}`]: makeItem(MODEL_ID, 'MODEL', modelData()),
      [`GET /api/v1/items/${MODEL_ID}/permissions`]: makePermissions(MODEL_ID),
    });
    renderApp(`/datastore/${MODEL_ID}`);
    expect(await heading('This record is not a dataset')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open the record' })).toHaveAttribute('href', `/items/${MODEL_ID}`);
  });
});

describe('files', () => {
  test('a table of files: download links to the encoded address, human sizes, short checksums to copy, and the file log', async () => {
    stubApi(datasetRoutes(READER));
    const { user } = renderApp(`/datastore/${ID}`);
    // Files is the tab a dataset opens on.
    expect(await screen.findByRole('tab', { name: 'Files' })).toHaveAttribute('aria-selected', 'true');

    const row = await fileRow('raw 2024/jan data.csv');
    const download = within(row).getByRole('link');
    expect(download).toHaveAttribute('href', `${BASE}/files/raw%202024/jan%20data.csv`);
    expect(download).toHaveAttribute('download');
    expect(within(row).getByText('3.0 MB')).toHaveAttribute('title', '3,145,728 bytes');
    expect(within(row).getByText('bbbbbbbbbbbb…')).toHaveAttribute('title', SHA_B);

    const first = await fileRow('stations.csv');
    expect(within(first).getByText('1.5 KB')).toHaveAttribute('title', '1,536 bytes');
    await user.click(within(first).getByRole('button', { name: 'Copy the checksum of stations.csv' }));
    expect(await navigator.clipboard.readText()).toBe(SHA_A);
    expect(within(first).getByRole('button', { name: 'Copied the checksum of stations.csv' })).toBeInTheDocument();
    // A reader has nothing to upload or delete with.
    expect(screen.queryByLabelText('Choose files')).toBeNull();
    expect(within(first).queryByRole('button', { name: /Delete/ })).toBeNull();

    const log = screen.getByRole('table', { name: 'Changes to the files, newest first' });
    const entries = within(log).getAllByRole('row').slice(1);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toHaveTextContent('olivia');
    expect(entries[0]).toHaveTextContent('Added');
    expect(entries[0]).toHaveTextContent('stations.csv');
    expect(entries[0]).toHaveTextContent('1.5 KB');
  });

  test('without read_files: the description is there, the files are not, and they are not asked for', async () => {
    const requests = stubApi(datasetRoutes({ read_files: false }));
    renderApp(`/datastore/${ID}`);
    expect(
      await screen.findByText("You can see this dataset’s description but not its files. Ask its owner for the Download data role."),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
    expect(requests.some((request) => request.path.endsWith('/files') || request.path.endsWith('/file-log'))).toBe(false);
  });

  test('no files yet: a reader is told so, a writer is invited to upload', async () => {
    stubApi(datasetRoutes(READER, { files: [] }));
    const first = renderApp(`/datastore/${ID}`);
    expect(await screen.findByRole('heading', { name: 'No files yet' })).toBeInTheDocument();
    first.unmount();

    stubApi(datasetRoutes(WRITER, { files: [] }));
    renderApp(`/datastore/${ID}`);
    expect(await screen.findByText('No files yet')).toBeInTheDocument();
    expect(screen.getByText('Drop files here or choose files to upload')).toBeInTheDocument();
    expect(screen.getByLabelText('Choose files')).toBeEnabled();
  });
});

describe('uploads', () => {
  test('a chosen file goes up in a PUT with the CSRF header (the session cookie goes by itself), shows its progress, then the list and log are asked for again', async () => {
    const stored = { path: 'raw 2024/feb data.csv', size: 1000, sha256: 'c'.repeat(64), uploaded_at: '2024-03-06T08:00:00Z' };
    let listed = [stations, january];
    const requests = stubApi(datasetRoutes(WRITER, () => jsonResponse({ files: listed })));
    const { user } = renderApp(`/datastore/${ID}`);
    await fileRow('stations.csv');
    await user.type(screen.getByLabelText('Folder'), '/raw 2024/');
    await user.upload(screen.getByLabelText('Choose files'), new File(['x'.repeat(1000)], 'feb data.csv'));

    expect(FakeXhr.sent).toHaveLength(1);
    const [xhr] = FakeXhr.sent as [FakeXhr];
    expect(xhr.method).toBe('PUT');
    expect(xhr.url).toBe(`${BASE}/files/raw%202024/feb%20data.csv`);
    expect(xhr.headers['x-csrf-token']).toBe(TEST_CSRF_TOKEN);
    expect(xhr.headers.authorization).toBeUndefined();
    expect(xhr.headers['if-match']).toBeUndefined();
    expect(xhr.body).toBeInstanceOf(File);

    xhr.progress(400);
    const bar = screen.getByRole('progressbar', { name: 'Upload of raw 2024/feb data.csv' });
    expect(bar).toHaveAttribute('value', '40');
    expect(screen.getByText('40%')).toBeInTheDocument();

    const listsBefore = requests.filter((request) => request.path === `${BASE}/files`).length;
    const logsBefore = requests.filter((request) => request.path === `${BASE}/file-log`).length;
    listed = [stations, stored, january];
    xhr.respond(201, stored);
    expect(await screen.findByText('Uploaded')).toBeInTheDocument();
    expect(screen.getByText('100%')).toBeInTheDocument();
    expect(await fileRow('raw 2024/feb data.csv')).toBeInTheDocument();
    await waitFor(() => expect(requests.filter((request) => request.path === `${BASE}/files`).length).toBe(listsBefore + 1));
    expect(requests.filter((request) => request.path === `${BASE}/file-log`).length).toBe(logsBefore + 1);
  });

  test('files go one at a time: the second waits for the first', async () => {
    stubApi(datasetRoutes(WRITER));
    const { user } = renderApp(`/datastore/${ID}`);
    await fileRow('stations.csv');
    await user.upload(screen.getByLabelText('Choose files'), [new File(['1'], 'one.txt'), new File(['2'], 'two.txt')]);
    expect(FakeXhr.sent.map((xhr) => xhr.url)).toEqual([`${BASE}/files/one.txt`]);
    expect(within(screen.getByRole('list', { name: 'Uploads' })).getByText('Waiting')).toBeInTheDocument();

    FakeXhr.sent[0]?.respond(201, { path: 'one.txt', size: 1, sha256: 'd'.repeat(64), uploaded_at: '2024-03-06T08:00:00Z' });
    await waitFor(() => expect(FakeXhr.sent.map((xhr) => xhr.url)).toEqual([`${BASE}/files/one.txt`, `${BASE}/files/two.txt`]));
  });

  test('a dropped file is uploaded too', async () => {
    stubApi(datasetRoutes(WRITER));
    renderApp(`/datastore/${ID}`);
    await fileRow('stations.csv');
    const zone = screen.getByText('Drop files here or choose files to upload').parentElement as HTMLElement;
    fireEvent.drop(zone, { dataTransfer: { files: [new File(['abc'], 'dropped.nc')], types: ['Files'] } });
    expect(FakeXhr.sent.map((xhr) => xhr.url)).toEqual([`${BASE}/files/dropped.nc`]);
  });

  test('a name that exists asks "Replace …?" first, then sends If-Match with the listed checksum', async () => {
    stubApi(datasetRoutes(WRITER));
    const { user } = renderApp(`/datastore/${ID}`);
    await fileRow('stations.csv');
    await user.upload(screen.getByLabelText('Choose files'), new File(['new'], 'stations.csv'));

    expect(await screen.findByText(/Replace stations\.csv\?/)).toBeInTheDocument();
    expect(FakeXhr.sent).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Replace' }));

    expect(FakeXhr.sent).toHaveLength(1);
    expect(FakeXhr.sent[0]?.url).toBe(`${BASE}/files/stations.csv`);
    expect(FakeXhr.sent[0]?.headers['if-match']).toBe(`"${SHA_A}"`);
  });

  test('Skip leaves an existing file alone', async () => {
    stubApi(datasetRoutes(WRITER));
    const { user } = renderApp(`/datastore/${ID}`);
    await fileRow('stations.csv');
    await user.upload(screen.getByLabelText('Choose files'), new File(['new'], 'stations.csv'));
    await user.click(await screen.findByRole('button', { name: 'Skip' }));
    expect(screen.queryByText(/Replace stations\.csv\?/)).toBeNull();
    expect(FakeXhr.sent).toHaveLength(0);
  });

  test('412, 413 and other refusals are told in plain words', async () => {
    stubApi(datasetRoutes(WRITER));
    const { user } = renderApp(`/datastore/${ID}`);
    await fileRow('stations.csv');
    await user.upload(screen.getByLabelText('Choose files'), [new File(['1'], 'a.txt'), new File(['2'], 'b.bin'), new File(['3'], 'c.txt')]);

    FakeXhr.sent[0]?.respond(412, { type: 'about:blank', title: 'Precondition Failed', status: 412, detail: 'The file has changed.' });
    expect(await screen.findByText('This file changed meanwhile; reload the list and try again.')).toBeInTheDocument();
    await waitFor(() => expect(FakeXhr.sent).toHaveLength(2));
    FakeXhr.sent[1]?.respond(413, { type: 'about:blank', title: 'Request Entity Too Large', status: 413, detail: 'Too large.' });
    expect(await screen.findByText('This file is larger than the server allows.')).toBeInTheDocument();
    await waitFor(() => expect(FakeXhr.sent).toHaveLength(3));
    FakeXhr.sent[2]?.respond(422, {
      type: 'about:blank',
      title: 'Unprocessable Entity',
      status: 422,
      detail: 'Validation failed.',
      errors: [{ field: 'path', message: 'A file path cannot contain control characters.' }],
    });
    expect(await screen.findByText('A file path cannot contain control characters.')).toBeInTheDocument();
  });

  test('a folder the server would refuse is explained before anything is sent', async () => {
    stubApi(datasetRoutes(WRITER));
    const { user } = renderApp(`/datastore/${ID}`);
    await fileRow('stations.csv');
    await user.type(screen.getByLabelText('Folder'), 'raw/../secret');
    await user.upload(screen.getByLabelText('Choose files'), new File(['1'], 'a.txt'));
    expect(screen.getByText('A folder cannot be named . or .. here.')).toBeInTheDocument();
    expect(screen.getByLabelText('Folder')).toHaveAttribute('aria-invalid', 'true');
    expect(FakeXhr.sent).toHaveLength(0);
  });

  test('an upload can be cancelled', async () => {
    stubApi(datasetRoutes(WRITER));
    const { user } = renderApp(`/datastore/${ID}`);
    await fileRow('stations.csv');
    await user.upload(screen.getByLabelText('Choose files'), new File(['1'], 'a.txt'));
    await user.click(within(screen.getByRole('list', { name: 'Uploads' })).getByRole('button', { name: 'Cancel' }));
    expect(FakeXhr.sent[0]?.aborted).toBe(true);
    expect(await screen.findByText('Cancelled; nothing was changed.')).toBeInTheDocument();
  });
});

describe('delete', () => {
  test('asks first; Cancel keeps the file; Yes, delete sends DELETE to the encoded path and the row goes', async () => {
    let listed = [stations, january];
    const requests = stubApi({
      ...datasetRoutes(WRITER, () => jsonResponse({ files: listed })),
      [`DELETE ${BASE}/files/raw%202024/jan%20data.csv`]: () => {
        listed = [stations];
        return new Response(null, { status: 204 });
      },
    });
    const { user } = renderApp(`/datastore/${ID}`);
    const row = await fileRow('raw 2024/jan data.csv');

    await user.click(within(row).getByRole('button', { name: 'Delete raw 2024/jan data.csv' }));
    const question = screen.getByRole('group', { name: 'Delete raw 2024/jan data.csv? This cannot be undone.' });
    expect(within(question).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(question).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('group', { name: /This cannot be undone/ })).toBeNull();
    expect(requests.some((request) => request.method === 'DELETE')).toBe(false);

    await user.click(within(row).getByRole('button', { name: 'Delete raw 2024/jan data.csv' }));
    await user.click(screen.getByRole('button', { name: 'Yes, delete' }));
    await waitFor(() => expect(screen.queryByRole('link', { name: /^raw 2024\/jan data\.csv/ })).toBeNull());
    expect(requests.filter((request) => request.method === 'DELETE').map((request) => request.path)).toEqual([
      `${BASE}/files/raw%202024/jan%20data.csv`,
    ]);
    expect(await screen.findByText('Deleted raw 2024/jan data.csv.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: 'Files' })).toHaveFocus();
  });

  test('a refused delete says why and keeps the question open', async () => {
    stubApi({
      ...datasetRoutes(WRITER),
      [`DELETE ${BASE}/files/stations.csv`]: () => problem(403, 'You may not change this dataset’s files.'),
    });
    const { user } = renderApp(`/datastore/${ID}`);
    const row = await fileRow('stations.csv');
    await user.click(within(row).getByRole('button', { name: 'Delete stations.csv' }));
    await user.click(screen.getByRole('button', { name: 'Yes, delete' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The file was not deleted. You may not change this dataset’s files.');
    expect(screen.getByRole('link', { name: /^stations\.csv/ })).toBeInTheDocument();
  });
});

describe('tabs', () => {
  test('the tab is kept in the address; History offers Clone this revision; Access only for item admins', async () => {
    const history = { entries: [{ revision: 1, at: '2024-03-01T09:00:00Z', by: 'olivia', reason: 'Created', data: dataset.data }] };
    stubApi({ ...datasetRoutes({ ...WRITER, clone: true }), [`GET ${BASE}/history`]: history });
    const { user, router } = renderApp(`/datastore/${ID}`);
    await fileRow('stations.csv');
    expect(screen.queryByRole('tab', { name: 'Access' })).toBeNull();

    await user.click(screen.getByRole('tab', { name: 'History' }));
    expect(router.state.location.search).toBe('?tab=history');
    expect(await screen.findByText('Created')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Clone Dataset' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Clone this revision' })).toHaveAttribute('href', `/register/DATASET?clone=${ID}&revision=1`);

    await user.click(screen.getByRole('tab', { name: 'Overview' }));
    expect(router.state.location.search).toBe('?tab=overview');
    expect(await screen.findByText('Daily rainfall.')).toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: 'Files' }));
    expect(router.state.location.search).toBe('');
  });

  test('Clone this revision opens the clone form with that revision’s data, from the cache', async () => {
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
      ...datasetRoutes({ ...WRITER, clone: true }),
      [`GET ${BASE}`]: answer({ ...dataset, revision: 2 }),
      [`GET ${BASE}/history`]: answer(history),
    });
    const { user, router } = renderApp(`/datastore/${ID}?tab=history`);
    await screen.findByText('Created');
    const oldest = screen.getByRole('listitem', { name: /Revision 1/ });
    answering = false;
    await user.click(within(oldest).getByRole('link', { name: 'Clone this revision' }));
    // the form's route loads lazily: the address changes once it has
    await waitFor(() => expect(router.state.location.pathname).toBe('/register/DATASET'));
    expect(router.state.location.search).toBe(`?clone=${ID}&revision=1`);
    expect(await screen.findByText(/a copy of “Rainfall 2024” \(revision 1\)\. Access settings, history and dataset files are not copied/)).toBeInTheDocument();
    expect(screen.getByDisplayValue('Rainfall, first draft.')).toBeInTheDocument();
    expect(screen.queryByDisplayValue('Daily rainfall.')).toBeNull();
  });

  test('item admins get the Access tab, also from a deep link', async () => {
    stubApi({
      ...datasetRoutes({ ...WRITER, manage_access: true }),
      [`GET ${BASE}/access`]: { owner: 'olivia', general: ['metadata-read'], groups: {} },
      [`GET ${BASE}/access-log`]: { entries: [] },
      'GET /api/v1/groups': [],
    });
    renderApp(`/datastore/${ID}?tab=access`);
    expect(await screen.findByRole('tab', { name: 'Access' })).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByText('Upload data')).toBeInTheDocument();
  });
});

describe('leaving while uploading', () => {
  test('asks first: Stay keeps the upload going, Leave stops it and goes', async () => {
    stubApi({ ...datasetRoutes(WRITER), 'GET /api/v1/items': { items: [], next_cursor: null } });
    const { user, router } = renderApp(`/datastore/${ID}`);
    await fileRow('stations.csv');
    await user.upload(screen.getByLabelText('Choose files'), new File(['1'], 'a.txt'));
    const datastore = screen.getByRole('link', { name: 'Datastore' });

    await user.click(datastore);
    const question = await screen.findByRole('alertdialog');
    expect(question).toHaveTextContent('Files are still uploading.');
    await user.click(within(question).getByRole('button', { name: 'Stay on this page' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(router.state.location.pathname).toBe(`/datastore/${ID}`);
    expect(FakeXhr.sent[0]?.aborted).toBe(false);

    // Switching tabs is not leaving.
    await user.click(screen.getByRole('tab', { name: 'Overview' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();

    await user.click(datastore);
    await user.click(await screen.findByRole('button', { name: 'Leave and stop the uploads' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/datastore'));
    expect(FakeXhr.sent[0]?.aborted).toBe(true);
  });
});
