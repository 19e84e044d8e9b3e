import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, test } from 'vitest';
import { jsonResponse, renderApp } from '../../testing/render.tsx';
import { startSession } from '../../testing/session.ts';
import { stubApi } from '../items/testing/fixtures.ts';

const WRITER = { username: 'alice', display_name: 'Alice', email: 'alice@example.org', roles: ['registry-read', 'registry-write'], groups: [] };
const READER = { ...WRITER, roles: ['registry-read'] };

function summary(id: string, display_name: string) {
  return {
    id,
    display_name,
    item_subtype: 'DATASET',
    item_category: 'ENTITY',
    owner: 'bob',
    created_at: '2025-01-02T03:04:05Z',
    updated_at: '2025-01-03T04:05:06Z',
  };
}

let lists: URL[];

function stubList(me: typeof WRITER, answer: (url: URL) => Response) {
  lists = [];
  stubApi({
    'GET /api/v1/me': me,
    'GET /api/v1/items': (request: Request) => {
      const url = new URL(request.url);
      lists.push(url);
      return answer(url);
    },
  });
}

const query = (url: URL | undefined) => Object.fromEntries(url?.searchParams ?? []);

beforeEach(() => startSession());

describe('datasets list', () => {
  test('asks only for datasets, links each to the datastore, and offers a writer to register one', async () => {
    stubList(WRITER, () => jsonResponse({ items: [summary('ds-1', 'Rainfall'), summary('ds-2', 'Soil moisture')], next_cursor: null }));
    renderApp('/datastore');

    expect(await screen.findByRole('heading', { level: 1, name: 'Datastore' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Rainfall' })).toHaveAttribute('href', '/datastore/ds-1');
    expect(screen.getByRole('link', { name: 'Soil moisture' })).toHaveAttribute('href', '/datastore/ds-2');
    expect(query(lists[0])).toEqual({ subtype: 'DATASET', sort: '-created_at' });
    expect(await screen.findByRole('link', { name: 'Register a dataset' })).toHaveAttribute('href', '/register/DATASET');
    // Fixed to datasets: no subtype to choose.
    expect(screen.queryByRole('combobox', { name: 'Subtype' })).toBeNull();
  });

  test('search, sort, "Only mine" and the next page all keep subtype=DATASET, and the filters stay in the address', async () => {
    stubList(READER, (url) =>
      url.searchParams.get('cursor') === 'page-2'
        ? jsonResponse({ items: [summary('ds-3', 'Third')], next_cursor: null })
        : jsonResponse({ items: [summary('ds-1', 'First')], next_cursor: 'page-2' }),
    );
    const { user, router } = renderApp('/datastore?subtype=MODEL');
    await screen.findByRole('link', { name: 'First' });
    // A subtype in the address does not turn the datastore into another list.
    expect(query(lists[0])).toEqual({ subtype: 'DATASET', sort: '-created_at' });

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'rain');
    await waitFor(() => expect(query(lists.at(-1))).toEqual({ q: 'rain', subtype: 'DATASET', sort: '-created_at' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort' }), 'Name A–Z');
    await user.click(screen.getByRole('checkbox', { name: 'Only mine' }));
    await waitFor(() =>
      expect(query(lists.at(-1))).toEqual({ q: 'rain', subtype: 'DATASET', sort: 'display_name', owner: 'alice' }),
    );
    expect(router.state.location.search).toContain('q=rain');
    expect(router.state.location.search).toContain('sort=display_name');
    expect(router.state.location.search).toContain('mine=1');

    await screen.findByRole('link', { name: 'First' });
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('link', { name: 'Third' })).toBeInTheDocument();
    expect(query(lists.at(-1))).toEqual({ q: 'rain', subtype: 'DATASET', sort: 'display_name', owner: 'alice', cursor: 'page-2' });
  });

  test('nothing yet: says so in terms of datasets; a reader gets no register button', async () => {
    stubList(READER, () => jsonResponse({ items: [], next_cursor: null }));
    renderApp('/datastore');
    expect(await screen.findByRole('heading', { name: 'No datasets yet' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Register a dataset' })).toBeNull();
  });

  test('an error says what happened', async () => {
    stubList(READER, () =>
      jsonResponse({ type: 'about:blank', title: 'Server error', status: 503, detail: 'The database is not answering.' }, { status: 503 }),
    );
    renderApp('/datastore');
    expect(await screen.findByRole('alert')).toHaveTextContent('The datasets could not be loaded. The database is not answering.');
  });
});
