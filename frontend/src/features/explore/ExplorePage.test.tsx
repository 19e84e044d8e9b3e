import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { jsonResponse, renderApp } from '../../testing/render.tsx';
import { startSession } from '../../testing/session.ts';

interface SummaryFields {
  id: string;
  display_name: string;
  item_subtype?: string;
}

function summary({ id, display_name, item_subtype = 'MODEL' }: SummaryFields) {
  return {
    id,
    display_name,
    item_subtype,
    item_category: 'ENTITY',
    owner: 'bob',
    created_at: '2025-01-02T03:04:05Z',
    updated_at: '2025-01-03T04:05:06Z',
  };
}

/** The list requests the page made, as URLs. */
let listRequests: URL[];
let roles: string[];
let answerList: (url: URL) => Response;

beforeEach(() => {
  listRequests = [];
  roles = ['registry-read'];
  answerList = () => jsonResponse({ items: [], next_cursor: null });
  startSession();
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      switch (url.pathname) {
        case '/api/v1/me':
          return jsonResponse({ username: 'alice', display_name: 'Alice', email: 'alice@example.org', roles, groups: [] });
        case '/api/v1/items':
          listRequests.push(url);
          return answerList(url);
        default:
          return jsonResponse({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'Nothing here.' }, { status: 404 });
      }
    }),
  );
});


/** A request's query as a plain object, to compare whole (nothing unexpected may be sent). */
function query(url: URL | undefined): Record<string, string> {
  return Object.fromEntries(url?.searchParams ?? []);
}

describe('paging', () => {
  test('Load more asks for the next page with the cursor and the same filters, appends it, and goes when there is no more', async () => {
    answerList = (url) =>
      url.searchParams.get('cursor') === 'page-2'
        ? jsonResponse({ items: [summary({ id: 'id-3', display_name: 'Third' })], next_cursor: null })
        : jsonResponse({
            items: [summary({ id: 'id-1', display_name: 'First' }), summary({ id: 'id-2', display_name: 'Second' })],
            next_cursor: 'page-2',
          });
    const { user } = renderApp('/?q=river&subtype=MODEL&sort=display_name&mine=1');

    expect(await screen.findByRole('link', { name: 'First' })).toHaveAttribute('href', '/items/id-1');
    expect(screen.getByRole('link', { name: 'Second' })).toBeInTheDocument();
    expect(query(listRequests[0])).toEqual({ q: 'river', subtype: 'MODEL', sort: 'display_name', owner: 'alice' });

    await user.click(screen.getByRole('button', { name: 'Load more' }));

    expect(await screen.findByRole('link', { name: 'Third' })).toBeInTheDocument();
    expect(listRequests).toHaveLength(2);
    expect(query(listRequests[1])).toEqual({ q: 'river', subtype: 'MODEL', sort: 'display_name', owner: 'alice', cursor: 'page-2' });
    expect(screen.getAllByRole('listitem').map((item) => within(item).getByRole('link').textContent)).toEqual(['First', 'Second', 'Third']);
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    // Keyboard users land on the first record that arrived.
    expect(screen.getByRole('link', { name: 'Third' })).toHaveFocus();
  });

  test('a row shows its subtype label, owner and last update; a dataset links to the datastore', async () => {
    answerList = () =>
      jsonResponse({ items: [summary({ id: 'ds-1', display_name: 'Rainfall', item_subtype: 'DATASET' })], next_cursor: null });
    renderApp('/');

    const link = await screen.findByRole('link', { name: 'Rainfall' });
    expect(link).toHaveAttribute('href', '/datastore/ds-1');
    const row = link.closest('li') as HTMLElement;
    expect(await within(row).findByText('Dataset')).toBeInTheDocument();
    expect(within(row).getByText('Owner: bob')).toBeInTheDocument();
    expect(row.querySelector('time')).toHaveAttribute('datetime', '2025-01-03T04:05:06Z');
    expect(query(listRequests[0])).toEqual({ sort: '-created_at' });
  });
});

describe('filters', () => {
  test('typing a search asks for a new first page after a pause and keeps it in the address', async () => {
    answerList = () => jsonResponse({ items: [summary({ id: 'id-1', display_name: 'First' })], next_cursor: 'page-2' });
    const { user, router } = renderApp('/');
    await screen.findByRole('link', { name: 'First' });

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'soil');

    await waitFor(() => expect(query(listRequests.at(-1))).toEqual({ q: 'soil', sort: '-created_at' }));
    // One request for the finished word, not one per keystroke.
    expect(listRequests).toHaveLength(2);
    expect(router.state.location.search).toBe('?q=soil');
  });

  test('subtype, sort and "Only mine" each ask for a new first page and update the address', async () => {
    answerList = () => jsonResponse({ items: [summary({ id: 'id-1', display_name: 'First' })], next_cursor: 'page-2' });
    const { user, router } = renderApp('/');
    await screen.findByRole('link', { name: 'First' });
    const subtype = screen.getByRole('combobox', { name: 'Subtype' });
    await screen.findByRole('option', { name: 'Model' });

    await user.selectOptions(subtype, 'Model');
    await waitFor(() => expect(query(listRequests.at(-1))).toEqual({ subtype: 'MODEL', sort: '-created_at' }));
    expect(router.state.location.search).toBe('?subtype=MODEL');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort' }), 'Name Z–A');
    await waitFor(() => expect(query(listRequests.at(-1))).toEqual({ subtype: 'MODEL', sort: '-display_name' }));
    expect(router.state.location.search).toBe('?subtype=MODEL&sort=-display_name');

    await user.click(screen.getByRole('checkbox', { name: 'Only mine' }));
    await waitFor(() => expect(query(listRequests.at(-1))).toEqual({ subtype: 'MODEL', sort: '-display_name', owner: 'alice' }));
    expect(router.state.location.search).toBe('?subtype=MODEL&sort=-display_name&mine=1');
    expect(listRequests.every((url) => !url.searchParams.has('cursor'))).toBe(true);
  });
});

describe('states', () => {
  test('no match: says so, offers to clear the filters, and a writer may register a record', async () => {
    roles = ['registry-read', 'registry-write'];
    const { user, router } = renderApp('/?q=nothing');

    expect(await screen.findByRole('heading', { name: 'No records match your search' })).toBeInTheDocument();
    const registerLinks = await screen.findAllByRole('link', { name: 'Register a record' });
    expect(registerLinks.map((link) => link.getAttribute('href'))).toEqual(['/register', '/register']);

    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0] as HTMLElement);
    await waitFor(() => expect(query(listRequests.at(-1))).toEqual({ sort: '-created_at' }));
    expect(router.state.location.search).toBe('');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue('');
  });

  test('a reader gets no register button', async () => {
    renderApp('/');
    expect(await screen.findByRole('heading', { name: 'No records yet' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Register a record' })).not.toBeInTheDocument();
  });

  test('an error says what happened, and Retry asks again', async () => {
    answerList = () =>
      jsonResponse({ type: 'about:blank', title: 'Server error', status: 503, detail: 'The database is not answering.' }, { status: 503 });
    const { user } = renderApp('/');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The records could not be loaded. The database is not answering.');

    answerList = () => jsonResponse({ items: [summary({ id: 'id-1', display_name: 'First' })], next_cursor: null });
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('link', { name: 'First' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
