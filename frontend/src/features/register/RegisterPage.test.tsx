import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { queryKeys } from '../../api/queryKeys.ts';
import { jsonResponse, renderApp } from '../../testing/render.tsx';
import { RegisterPage } from './RegisterPage.tsx';
import { fakeApi, loadFormModules, ME, problem, type FakeApi } from './testApi.ts';
import { startSession } from '../../testing/session.ts';

beforeAll(loadFormModules, 30_000);
beforeEach(startSession);

const SOURCE_ID = '11111111-1111-4111-8111-111111111111';
const NEW_ID = '22222222-2222-4222-8222-222222222222';
const ORG_ID = '33333333-3333-4333-8333-333333333333';

const personData = {
  display_name: 'Ada Lovelace',
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada@example.org',
  orcid: 'https://orcid.org/0000-0002-1825-0097',
  ethics_approved: true,
};

function envelope(subtype: string, category: string, data: Record<string, unknown>, revision = 3) {
  return {
    id: SOURCE_ID,
    item_subtype: subtype,
    item_category: category,
    owner: 'bob-the-owner',
    created_at: '2024-01-02T03:04:05Z',
    updated_at: '2024-02-03T04:05:06Z',
    revision,
    data,
  };
}

const person = envelope('PERSON', 'AGENT', personData);

const approved = { relevant: true, obtained: true };
const datasetData = {
  display_name: 'Rainfall 2020',
  associations: { organisation_id: ORG_ID, point_of_contact: 'data@example.org' },
  approvals: { ethics_registration: approved, ethics_access: approved, indigenous_knowledge: approved, export_controls: approved },
  dataset_info: {
    name: 'Rainfall',
    description: 'Daily rainfall',
    publisher_id: ORG_ID,
    license: 'https://creativecommons.org/licenses/by/4.0/',
    created_date: '2020-01-01',
    published_date: '2020-06-01',
    access_info: { reposited: true },
    keywords: ['rain'],
  },
};
const dataset = envelope('DATASET', 'ENTITY', datasetData);
const organisation = { ...envelope('ORGANISATION', 'AGENT', { display_name: 'Bureau of Rain', name: 'Bureau of Rain' }), id: ORG_ID };

function created(request: { body: unknown }) {
  const body = request.body as { item_subtype: string; data: Record<string, unknown> };
  return jsonResponse({ ...envelope(body.item_subtype, 'AGENT', body.data, 1), id: NEW_ID, owner: 'alice' }, { status: 201 });
}

async function submit(user: ReturnType<typeof renderApp>['user']) {
  await user.click(await screen.findByRole('button', { name: 'Submit' }));
}

function posts(api: FakeApi) {
  return api.sent('POST', '/api/v1/items');
}

describe('a new record', () => {
  test('one POST with an Idempotency-Key, then the new record opens and lists are invalidated', async () => {
    const api = fakeApi();
    api.on('POST', '/api/v1/items', created);
    const { user, router, queryClient } = renderApp('/register/STUDY');
    expect(await screen.findByRole('heading', { level: 1, name: 'Register a Study' })).toBeInTheDocument();
    queryClient.setQueryData(queryKeys.items.list({ q: 'x' }), { items: [], next_cursor: null });

    await user.type(screen.getByLabelText('Display name'), 'Soil study');
    await user.type(screen.getByLabelText('Title'), 'Soil');
    await user.type(screen.getByLabelText('Description'), 'About soil');
    await submit(user);

    await waitFor(() => expect(router.state.location.pathname).toBe(`/items/${NEW_ID}`));
    expect(posts(api)).toHaveLength(1);
    const [post] = posts(api);
    expect(post!.body).toEqual({ item_subtype: 'STUDY', data: { display_name: 'Soil study', title: 'Soil', description: 'About soil' } });
    expect(post!.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(queryClient.getQueryState(queryKeys.items.list({ q: 'x' }))?.isInvalidated).toBe(true);
  });

  test('fields are labelled by their schema titles, nested booleans keep their context, lists have worded buttons', async () => {
    fakeApi();
    const { user } = renderApp('/register/DATASET');
    expect(await screen.findByLabelText('Ethics registration obtained')).toHaveAttribute('type', 'checkbox');
    expect(screen.getByLabelText('Export controls relevant')).toHaveAttribute('type', 'checkbox');
    expect(screen.getByRole('combobox', { name: 'Organisation' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Publisher' })).toBeInTheDocument();
    expect(screen.queryByText(/organisation_id|DatasetInfo/)).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Add keyword' }));
    expect(screen.getByLabelText('Keyword 1')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Remove Keyword 1' }));
    expect(screen.queryByLabelText('Keyword 1')).not.toBeInTheDocument();
  });

  test('client-side messages are plain language and nothing is sent', async () => {
    const api = fakeApi();
    const { user } = renderApp('/register/MODEL');
    await user.type(await screen.findByLabelText('Documentation address'), 'not a url');
    await submit(user);
    expect(await screen.findByText('Enter a full web address starting with https://')).toBeInTheDocument();
    expect(screen.getAllByText('This field is required').length).toBeGreaterThan(0);
    expect(screen.queryByText(/must match|\^https/)).not.toBeInTheDocument();
    expect(posts(api)).toHaveLength(0);
  });

  test('an unknown subtype is a clear error with a way to choose another', async () => {
    fakeApi();
    renderApp('/register/SPACESHIP');
    expect(await screen.findByRole('heading', { name: 'Unknown record type' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /choose a record type/i })).toHaveAttribute('href', '/register');
  });

  test('an account without registry-write is told so instead of getting a form', async () => {
    const api = fakeApi();
    api.on('GET', '/api/v1/me', () => jsonResponse({ ...ME, roles: ['registry-read'] }));
    renderApp('/register/STUDY');
    expect(await screen.findByRole('alert')).toHaveTextContent(/may view records but not register them/);
    expect(screen.queryByRole('button', { name: 'Submit' })).not.toBeInTheDocument();
  });

  test('Cancel on a new form goes back to the start page', async () => {
    const api = fakeApi();
    const { user, router } = renderApp('/register/STUDY');
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(posts(api)).toHaveLength(0);
  });
});

describe('submitting', () => {
  test('Submit is disabled and aria-busy while the POST is in flight; a double click sends one POST', async () => {
    const api = fakeApi();
    let answer: (response: Response) => void = () => {};
    api.on('POST', '/api/v1/items', () => new Promise<Response>((resolve) => (answer = resolve)));
    const { user, router } = renderApp('/register/STUDY');
    await user.type(await screen.findByLabelText('Display name'), 'S');
    await user.type(screen.getByLabelText('Title'), 'T');
    await user.type(screen.getByLabelText('Description'), 'D');

    const button = screen.getByRole('button', { name: 'Submit' });
    await user.dblClick(button);
    await waitFor(() => expect(button).toBeDisabled());
    expect(button).toHaveAttribute('aria-busy', 'true');
    await user.click(button);
    expect(posts(api)).toHaveLength(1);

    answer(jsonResponse({ ...envelope('STUDY', 'ACTIVITY', {}, 1), id: NEW_ID }, { status: 201 }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/items/${NEW_ID}`));
    expect(posts(api)).toHaveLength(1);
  });

  test('Cancel is disabled, with the reason on screen, while the POST is in flight: no record is created unseen', async () => {
    const api = fakeApi();
    let answer: (response: Response) => void = () => {};
    api.on('POST', '/api/v1/items', () => new Promise<Response>((resolve) => (answer = resolve)));
    const { user, router } = renderApp('/register/STUDY');
    await user.type(await screen.findByLabelText('Display name'), 'S');
    await user.type(screen.getByLabelText('Title'), 'T');
    await user.type(screen.getByLabelText('Description'), 'D');
    await submit(user);

    const cancel = screen.getByRole('button', { name: 'Cancel' });
    await waitFor(() => expect(cancel).toBeDisabled());
    expect(screen.getByRole('status')).toHaveTextContent('Registering the record…');
    expect(cancel).toHaveAccessibleDescription(/Cancel is unavailable until the server answers/);
    expect(screen.getByText(/Cancel is unavailable until the server answers/)).toBeVisible();
    await user.click(cancel);
    expect(router.state.location.pathname).toBe('/register/STUDY');

    answer(jsonResponse({ ...envelope('STUDY', 'ACTIVITY', {}, 1), id: NEW_ID }, { status: 201 }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/items/${NEW_ID}`));
    expect(posts(api)).toHaveLength(1);
  });

  test('after a failed POST Cancel works again', async () => {
    const api = fakeApi();
    api.on('POST', '/api/v1/items', () => problem(500, [], 'Server trouble.'));
    const { user, router } = renderApp('/register/STUDY');
    await user.type(await screen.findByLabelText('Display name'), 'S');
    await user.type(screen.getByLabelText('Title'), 'T');
    await user.type(screen.getByLabelText('Description'), 'D');
    await submit(user);
    expect(await screen.findByRole('alert')).toHaveTextContent('The record was not saved.');

    const cancel = screen.getByRole('button', { name: 'Cancel' });
    expect(cancel).toBeEnabled();
    expect(screen.queryByText(/Cancel is unavailable/)).not.toBeInTheDocument();
    await user.click(cancel);
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(posts(api)).toHaveLength(1);
  });

  test('a retry after a network error reuses the Idempotency-Key; a changed body gets a new one', async () => {
    const api = fakeApi();
    api.on('POST', '/api/v1/items', () => {
      throw new TypeError('Failed to fetch');
    });
    const { user } = renderApp('/register/STUDY');
    await user.type(await screen.findByLabelText('Display name'), 'S');
    await user.type(screen.getByLabelText('Title'), 'T');
    await user.type(screen.getByLabelText('Description'), 'D');

    await submit(user);
    expect(await screen.findByRole('alert')).toHaveTextContent(/cannot be reached.*submit again/i);
    await submit(user);
    await waitFor(() => expect(posts(api)).toHaveLength(2));
    const [first, retry] = posts(api);
    expect(retry!.headers.get('Idempotency-Key')).toBe(first!.headers.get('Idempotency-Key'));
    expect(retry!.body).toEqual(first!.body);

    await user.type(screen.getByLabelText('Title'), ' changed');
    await submit(user);
    await waitFor(() => expect(posts(api)).toHaveLength(3));
    expect(posts(api)[2]!.headers.get('Idempotency-Key')).not.toBe(first!.headers.get('Idempotency-Key'));
  });

  test('a 422 shows data.* errors at their fields and the others in the alert above the form', async () => {
    const api = fakeApi();
    api.on('POST', '/api/v1/items', () =>
      problem(422, [
        { field: 'data.title', message: 'That title is taken by the server.' },
        { field: 'Idempotency-Key', message: 'This key was used with another request body.' },
      ]),
    );
    const { user } = renderApp('/register/STUDY');
    await user.type(await screen.findByLabelText('Display name'), 'S');
    await user.type(screen.getByLabelText('Title'), 'T');
    await user.type(screen.getByLabelText('Description'), 'D');
    await submit(user);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveClass('alert--error');
    expect(alert).toHaveTextContent('This key was used with another request body.');
    expect(alert).not.toHaveTextContent('That title is taken');
    const title = screen.getByLabelText('Title');
    const fieldError = screen.getByText('That title is taken by the server.');
    expect(title.getAttribute('aria-describedby')).toContain(fieldError.closest('ul')!.id);

    // Correcting the field clears the server's complaint about it.
    await user.type(title, 'x');
    expect(screen.queryByText('That title is taken by the server.')).not.toBeInTheDocument();
  });
});

describe('clone', () => {
  test('prefills from the source data only: the envelope never reaches the form or the POST', async () => {
    const api = fakeApi();
    api.on('GET', `/api/v1/items/${SOURCE_ID}`, () => jsonResponse(person));
    api.on('POST', '/api/v1/items', created);
    const { user, router } = renderApp(`/register/PERSON?clone=${SOURCE_ID}`);

    expect(await screen.findByText(/You are creating a new record from a copy of/)).toHaveTextContent(
      'You are creating a new record from a copy of “Ada Lovelace”. Access settings and history are not copied: the new record is yours, has default access and starts its own history.',
    );
    expect(screen.getByLabelText('Display name')).toHaveValue('Ada Lovelace');
    expect(screen.getByLabelText('ORCID iD')).toHaveValue(personData.orcid);
    const ethics = screen.getByLabelText('Ethics approved');
    expect(ethics).not.toBeChecked();
    const form = document.querySelector('form')!;
    for (const leak of [SOURCE_ID, 'bob-the-owner', '2024-01-02']) expect(form.innerHTML).not.toContain(leak);

    await user.click(ethics);
    await submit(user);
    await waitFor(() => expect(router.state.location.pathname).toBe(`/items/${NEW_ID}`));
    expect(posts(api)).toHaveLength(1);
    const [post] = posts(api);
    expect(post!.body).toEqual({ item_subtype: 'PERSON', data: personData });
    const sent = JSON.stringify(post!.body);
    for (const leak of [SOURCE_ID, 'bob-the-owner', '"revision"', 'created_at', 'updated_at', '"owner"', '"id"']) expect(sent).not.toContain(leak);
  });

  test('DATASET approvals are reset and must be confirmed again; the new dataset opens in the datastore', async () => {
    const api = fakeApi();
    api.on('GET', `/api/v1/items/${SOURCE_ID}`, () => jsonResponse(dataset));
    api.on('GET', `/api/v1/items/${ORG_ID}`, () => jsonResponse(organisation));
    api.on('POST', '/api/v1/items', created);
    const { user, router } = renderApp(`/register/DATASET?clone=${SOURCE_ID}`);

    expect(await screen.findByText(/Access settings, history and dataset files are not copied/)).toBeInTheDocument();
    for (const name of ['Ethics registration', 'Ethics access', 'Indigenous knowledge', 'Export controls']) {
      expect(screen.getByLabelText(`${name} obtained`)).not.toBeChecked();
      expect(screen.getByLabelText(`${name} relevant`)).toBeChecked();
    }
    // Ref fields show the chosen record's name, never its id.
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Organisation' })).toHaveValue('Bureau of Rain'));
    expect(screen.getByRole('combobox', { name: 'Publisher' })).toHaveValue('Bureau of Rain');

    await submit(user);
    await waitFor(() => expect(router.state.location.pathname).toBe(`/datastore/${NEW_ID}`));
    const notObtained = { relevant: true, obtained: false };
    expect(posts(api)[0]!.body).toEqual({
      item_subtype: 'DATASET',
      data: {
        ...datasetData,
        approvals: { ethics_registration: notObtained, ethics_access: notObtained, indigenous_knowledge: notObtained, export_controls: notObtained },
      },
    });
  });

  test('a revision clone uses that revision’s data and says so in the banner', async () => {
    const api = fakeApi();
    api.on('GET', `/api/v1/items/${SOURCE_ID}`, () => jsonResponse(person));
    api.on('GET', `/api/v1/items/${SOURCE_ID}/history`, () =>
      jsonResponse({
        entries: [
          { revision: 2, at: '2024-02-03T04:05:06Z', by: 'bob', reason: 'Typo', data: personData },
          { revision: 1, at: '2024-01-02T03:04:05Z', by: 'bob', reason: 'Created', data: { ...personData, first_name: 'Augusta' } },
        ],
      }),
    );
    api.on('POST', '/api/v1/items', created);
    const { user } = renderApp(`/register/PERSON?clone=${SOURCE_ID}&revision=1`);

    expect(await screen.findByText(/You are creating a new record from a copy of “Ada Lovelace” \(revision 1\)\./)).toBeInTheDocument();
    expect(screen.getByLabelText('First name')).toHaveValue('Augusta');
    await submit(user);
    await waitFor(() => expect(posts(api)).toHaveLength(1));
    expect(posts(api)[0]!.body).toEqual({ item_subtype: 'PERSON', data: { ...personData, first_name: 'Augusta', ethics_approved: false } });
  });

  test('a missing revision is an error with a way back, not an empty form', async () => {
    const api = fakeApi();
    api.on('GET', `/api/v1/items/${SOURCE_ID}`, () => jsonResponse(person));
    api.on('GET', `/api/v1/items/${SOURCE_ID}/history`, () => jsonResponse({ entries: [{ revision: 1, at: '2024-01-02T03:04:05Z', by: 'bob', reason: 'Created', data: personData }] }));
    renderApp(`/register/PERSON?clone=${SOURCE_ID}&revision=9`);

    expect(await screen.findByRole('alert')).toHaveTextContent('“Ada Lovelace” has no revision 9');
    expect(screen.getByRole('link', { name: 'Back to “Ada Lovelace”' })).toHaveAttribute('href', `/items/${SOURCE_ID}`);
    expect(screen.queryByRole('button', { name: 'Submit' })).not.toBeInTheDocument();
  });

  test('a source of another subtype is an error with a way back, not an empty form', async () => {
    const api = fakeApi();
    api.on('GET', `/api/v1/items/${SOURCE_ID}`, () => jsonResponse(person));
    renderApp(`/register/ORGANISATION?clone=${SOURCE_ID}`);

    expect(await screen.findByRole('alert')).toHaveTextContent('“Ada Lovelace” is a Person, not an Organisation');
    expect(screen.getByRole('link', { name: 'Back to “Ada Lovelace”' })).toHaveAttribute('href', `/items/${SOURCE_ID}`);
    expect(screen.queryByRole('button', { name: 'Submit' })).not.toBeInTheDocument();
  });

  test('an unreadable source is an error with a way to Explore', async () => {
    const api = fakeApi();
    api.on('GET', `/api/v1/items/${SOURCE_ID}`, () => problem(403));
    renderApp(`/register/PERSON?clone=${SOURCE_ID}`);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/do not have permission/);
    expect(within(alert).getByRole('link', { name: /Explore/ })).toHaveAttribute('href', '/');
    expect(screen.queryByRole('button', { name: 'Submit' })).not.toBeInTheDocument();
  });

  test('Cancel returns to the source record without creating anything', async () => {
    const api = fakeApi();
    api.on('GET', `/api/v1/items/${SOURCE_ID}`, () => jsonResponse(dataset));
    api.on('GET', `/api/v1/items/${ORG_ID}`, () => jsonResponse(organisation));
    const { user, router } = renderApp(`/register/DATASET?clone=${SOURCE_ID}`);
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/datastore/${SOURCE_ID}`));
    expect(posts(api)).toHaveLength(0);
  });
});

describe('before the account’s roles have arrived', () => {
  // The page itself, without the session gate above it in the app: it must not lean on that gate
  // to keep the form from a read-only account.
  function renderRegisterPage(path: string) {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity } } });
    const router = createMemoryRouter([{ path: 'register/:subtype', Component: RegisterPage }], { initialEntries: [path] });
    render(
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>,
    );
  }

  function delayedMe(api: FakeApi): (roles: string[]) => void {
    let answer: (response: Response) => void = () => {};
    api.on('GET', '/api/v1/me', () => new Promise<Response>((resolve) => (answer = resolve)));
    return (roles) => answer(jsonResponse({ ...ME, roles }));
  }

  test('a new form waits for GET /me; a read-only account then sees the notice, never the form', async () => {
    const api = fakeApi();
    const answerMe = delayedMe(api);
    renderRegisterPage('/register/STUDY');

    expect(await screen.findByRole('heading', { level: 1, name: 'Register a Study' })).toBeInTheDocument();
    await waitFor(() => expect(api.sent('GET', '/api/v1/me')).toHaveLength(1));
    expect(screen.getByRole('status')).toHaveTextContent('Loading');
    expect(screen.queryByLabelText('Display name')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Submit' })).not.toBeInTheDocument();

    answerMe(['registry-read']);
    expect(await screen.findByRole('alert')).toHaveTextContent(/may view records but not register them/);
    expect(screen.queryByRole('button', { name: 'Submit' })).not.toBeInTheDocument();
  });

  test('a clone form waits for GET /me', async () => {
    const api = fakeApi();
    const answerMe = delayedMe(api);
    api.on('GET', `/api/v1/items/${SOURCE_ID}`, () => jsonResponse(person));
    renderRegisterPage(`/register/PERSON?clone=${SOURCE_ID}`);

    await waitFor(() => expect(api.sent('GET', '/api/v1/me')).toHaveLength(1));
    // Time for the source to arrive, had it been asked for.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.getByRole('status')).toHaveTextContent('Loading');
    expect(screen.queryByText(/You are creating a new record from a copy of/)).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Submit' })).not.toBeInTheDocument();

    answerMe(['registry-read', 'registry-write']);
    expect(await screen.findByLabelText('Display name')).toHaveValue('Ada Lovelace');
  });
});
