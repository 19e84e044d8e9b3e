import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { jsonResponse, renderApp } from '../../testing/render.tsx';
import { fakeApi, loadFormModules } from './testApi.ts';
import { startSession } from '../../testing/session.ts';

beforeAll(loadFormModules, 30_000);
beforeEach(startSession);

const HYDRO = '55555555-5555-4555-8555-555555555555';
const HYDRA = '66666666-6666-4666-8666-666666666666';

function summary(id: string, name: string) {
  return { id, item_subtype: 'MODEL', item_category: 'ENTITY', display_name: name, owner: 'bob', created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z' };
}

function setUp() {
  const api = fakeApi();
  api.on('GET', '/api/v1/items', (request) => {
    const q = request.search.get('q') ?? '';
    const all = [summary(HYDRO, 'Hydro model'), summary(HYDRA, 'Hydra model')];
    return jsonResponse({ items: all.filter((item) => item.display_name.toLowerCase().includes(q.toLowerCase())), next_cursor: null });
  });
  api.on('POST', '/api/v1/items', (request) =>
    jsonResponse({ id: '77777777-7777-4777-8777-777777777777', item_subtype: 'MODEL_RUN_WORKFLOW_TEMPLATE', item_category: 'ENTITY', owner: 'alice', created_at: '', updated_at: '', revision: 1, data: (request.body as { data: unknown }).data }, { status: 201 }),
  );
  return api;
}

describe('record picker (ref fields)', () => {
  test('searches records of the ref subtype by name (debounced), picks by keyboard, stores the id', async () => {
    const api = setUp();
    const { user } = renderApp('/register/MODEL_RUN_WORKFLOW_TEMPLATE');
    await user.type(await screen.findByLabelText('Display name'), 'Run');
    const picker = screen.getByRole('combobox', { name: 'Model' });
    expect(picker).toHaveAttribute('aria-expanded', 'false');

    await user.type(picker, 'hydr');
    const typed = () => api.sent('GET', '/api/v1/items').filter((request) => request.search.get('q') !== null);
    await waitFor(() => expect(typed()).toHaveLength(1));
    const listbox = await screen.findByRole('listbox');
    await waitFor(() => expect(within(listbox).getAllByRole('option')).toHaveLength(2));
    const searches = api.sent('GET', '/api/v1/items');
    // One search for the typed text, not one per keystroke.
    expect(searches.filter((request) => request.search.get('q') !== null).map((request) => request.search.get('q'))).toEqual(['hydr']);
    expect(searches.at(-1)!.search.get('subtype')).toBe('MODEL');
    expect(searches.at(-1)!.search.get('limit')).toBe('10');
    expect(picker).toHaveAttribute('aria-expanded', 'true');

    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(picker).toHaveAttribute('aria-activedescendant', within(listbox).getAllByRole('option')[1]!.id);
    await user.keyboard('{Enter}');
    expect(picker).toHaveValue('Hydra model');
    expect(picker).toHaveAttribute('aria-expanded', 'false');
    expect(api.sent('POST', '/api/v1/items')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Submit' }));
    await waitFor(() => expect(api.sent('POST', '/api/v1/items')).toHaveLength(1));
    expect(api.sent('POST', '/api/v1/items')[0]!.body).toEqual({
      item_subtype: 'MODEL_RUN_WORKFLOW_TEMPLATE',
      data: { display_name: 'Run', software_id: HYDRA },
    });
  });

  test('a click picks; Escape leaves the choice as it was; Clear empties it', async () => {
    setUp();
    const { user } = renderApp('/register/MODEL_RUN_WORKFLOW_TEMPLATE');
    const picker = await screen.findByRole('combobox', { name: 'Model' });
    await user.type(picker, 'hydro');
    await user.click(await screen.findByRole('option', { name: /Hydro model/ }));
    expect(picker).toHaveValue('Hydro model');

    await user.type(picker, ' something');
    await user.keyboard('{Escape}');
    expect(picker).toHaveValue('Hydro model');

    await user.click(screen.getByRole('button', { name: 'Clear the chosen model' }));
    expect(picker).toHaveValue('');
    expect(picker).toHaveFocus();
  });

  test('says when nothing matches', async () => {
    setUp();
    const { user } = renderApp('/register/MODEL_RUN_WORKFLOW_TEMPLATE');
    await user.type(await screen.findByRole('combobox', { name: 'Model' }), 'zzz');
    expect(await screen.findByText('No model matches “zzz”.')).toBeInTheDocument();
  });
});
