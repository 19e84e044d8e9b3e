import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { jsonResponse, renderApp } from '../../testing/render.tsx';
import { fakeApi, loadFormModules, problem, type FakeApi } from './testApi.ts';
import { startSession } from '../../testing/session.ts';

beforeAll(loadFormModules, 30_000);
beforeEach(startSession);

const ID = '44444444-4444-4444-8444-444444444444';
const studyData = { display_name: 'Soil study', title: 'Soil', description: 'About soil' };

function study(revision: number, data: Record<string, unknown> = studyData) {
  return {
    id: ID,
    item_subtype: 'STUDY',
    item_category: 'ACTIVITY',
    owner: 'alice',
    created_at: '2024-01-02T03:04:05Z',
    updated_at: '2024-02-03T04:05:06Z',
    revision,
    data,
  };
}

function permissions(edit: boolean) {
  return {
    item_id: ID,
    general_roles: ['registry-read', 'registry-write'],
    item_roles: edit ? ['metadata-read', 'metadata-write'] : ['metadata-read'],
    actions: { view: true, edit, clone: true, manage_access: false, read_files: false, write_files: false },
  };
}

function setUp(edit = true): FakeApi {
  const api = fakeApi();
  api.on('GET', `/api/v1/items/${ID}`, () => jsonResponse(study(3)));
  api.on('GET', `/api/v1/items/${ID}/permissions`, () => jsonResponse(permissions(edit)));
  return api;
}

function puts(api: FakeApi) {
  return api.sent('PUT', `/api/v1/items/${ID}`);
}

describe('edit', () => {
  test('the form is prefilled; a reason is required before anything is sent', async () => {
    const api = setUp();
    const { user } = renderApp(`/items/${ID}/edit`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Edit “Soil study”' })).toBeInTheDocument();
    expect(await screen.findByLabelText('Title')).toHaveValue('Soil');

    await user.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await screen.findByText('Give a reason for the change')).toBeInTheDocument();
    expect(screen.getByLabelText('Reason for the change')).toHaveFocus();
    expect(puts(api)).toHaveLength(0);
  });

  test('Submit sends PUT {data, reason} with If-Match of the opened revision, then opens the record', async () => {
    const api = setUp();
    api.on('PUT', `/api/v1/items/${ID}`, (request) => jsonResponse({ ...study(4), data: (request.body as { data: unknown }).data }));
    const { user, router } = renderApp(`/items/${ID}/edit`);
    const title = await screen.findByLabelText('Title');
    await user.clear(title);
    await user.type(title, 'Loam');
    await user.type(screen.getByLabelText('Reason for the change'), 'Better title');
    await user.click(screen.getByRole('button', { name: 'Submit' }));

    await waitFor(() => expect(router.state.location.pathname).toBe(`/items/${ID}`));
    expect(puts(api)).toHaveLength(1);
    const [put] = puts(api);
    expect(put!.headers.get('If-Match')).toBe('"3"');
    expect(put!.body).toEqual({ data: { ...studyData, title: 'Loam' }, reason: 'Better title' });
  });

  test('412: the record changed; Reload shows the new revision and the next PUT matches it', async () => {
    const api = setUp();
    api.on('PUT', `/api/v1/items/${ID}`, () => problem(412, [], 'The record has changed.'));
    const { user } = renderApp(`/items/${ID}/edit`);
    await user.type(await screen.findByLabelText('Reason for the change'), 'Fix');
    await user.click(screen.getByRole('button', { name: 'Submit' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This record has changed since you opened it.');
    expect(alert).toHaveTextContent(/discarded/);

    api.on('GET', `/api/v1/items/${ID}`, () => jsonResponse(study(5, { ...studyData, title: 'Clay' })));
    api.on('PUT', `/api/v1/items/${ID}`, () => jsonResponse(study(6)));
    await user.click(within(alert).getByRole('button', { name: 'Reload' }));

    await waitFor(() => expect(screen.getByLabelText('Title')).toHaveValue('Clay'));
    expect(screen.getByText(/now shows revision 5/)).toBeInTheDocument();
    expect(screen.queryByText('This record has changed since you opened it.')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Reason for the change')).toHaveValue('');

    await user.type(screen.getByLabelText('Reason for the change'), 'Fix again');
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    await waitFor(() => expect(puts(api)).toHaveLength(2));
    expect(puts(api)[1]!.headers.get('If-Match')).toBe('"5"');
  });

  test('Cancel is disabled, with the reason on screen, while the PUT is in flight; one PUT however many clicks', async () => {
    const api = setUp();
    let answer: (response: Response) => void = () => {};
    api.on('PUT', `/api/v1/items/${ID}`, () => new Promise<Response>((resolve) => (answer = resolve)));
    const { user, router } = renderApp(`/items/${ID}/edit`);
    await user.type(await screen.findByLabelText('Reason for the change'), 'Fix');
    const submitButton = screen.getByRole('button', { name: 'Submit' });
    await user.dblClick(submitButton);

    const cancel = screen.getByRole('button', { name: 'Cancel' });
    await waitFor(() => expect(cancel).toBeDisabled());
    expect(submitButton).toBeDisabled();
    expect(screen.getByRole('status')).toHaveTextContent('Saving the changes…');
    expect(cancel).toHaveAccessibleDescription(/Cancel is unavailable until the server answers/);
    await user.click(cancel);
    expect(router.state.location.pathname).toBe(`/items/${ID}/edit`);

    answer(jsonResponse(study(4)));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/items/${ID}`));
    expect(puts(api)).toHaveLength(1);
  });

  test('403 on submit: “You may not edit this record.”', async () => {
    const api = setUp();
    api.on('PUT', `/api/v1/items/${ID}`, () => problem(403));
    const { user } = renderApp(`/items/${ID}/edit`);
    await user.type(await screen.findByLabelText('Reason for the change'), 'Fix');
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('You may not edit this record.');
  });

  test('without the edit action the form is not offered', async () => {
    setUp(false);
    renderApp(`/items/${ID}/edit`);
    expect(await screen.findByRole('alert')).toHaveTextContent('You may not edit this record.');
    expect(screen.queryByRole('button', { name: 'Submit' })).not.toBeInTheDocument();
  });

  test('a 422 about the reason shows at the reason field; data.* at its field', async () => {
    const api = setUp();
    api.on('PUT', `/api/v1/items/${ID}`, () =>
      problem(422, [
        { field: 'reason', message: 'The reason is too long.' },
        { field: 'data.title', message: 'The server does not like this title.' },
      ]),
    );
    const { user } = renderApp(`/items/${ID}/edit`);
    await user.type(await screen.findByLabelText('Reason for the change'), 'Fix');
    await user.click(screen.getByRole('button', { name: 'Submit' }));

    const reasonError = await screen.findByText('The reason is too long.');
    expect(screen.getByLabelText('Reason for the change').getAttribute('aria-describedby')).toContain(reasonError.id);
    expect(screen.getByText('The server does not like this title.')).toBeInTheDocument();
    expect(screen.getByRole('alert')).not.toHaveTextContent('The reason is too long.');
  });

  test('a record that cannot be read shows Access denied and nothing of the form', async () => {
    const api = fakeApi();
    api.on('GET', `/api/v1/items/${ID}`, () => problem(403));
    api.on('GET', `/api/v1/items/${ID}/permissions`, () => jsonResponse(permissions(false)));
    renderApp(`/items/${ID}/edit`);
    expect(await screen.findByRole('heading', { name: 'Access denied' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Submit' })).not.toBeInTheDocument();
  });
});
