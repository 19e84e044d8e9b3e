// The session in the app: signing out ends it at the server and forgets everything cached; a 401
// from any call does the same and asks to sign in again; signing in starts from an empty cache.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { queryKeys } from '../../api/queryKeys.ts';
import { jsonResponse, renderApp } from '../../testing/render.tsx';
import { endSession, startSession, TEST_CSRF_TOKEN } from '../../testing/session.ts';
import { problem, stubApi } from '../items/testing/fixtures.ts';

const ALICE = { username: 'alice', display_name: 'Alice Example', email: 'alice@example.org', roles: ['registry-read'], groups: [], source: 'local' };
const RAINFALL = {
  id: 'r-1',
  display_name: 'Rainfall 2024',
  item_subtype: 'DATASET',
  item_category: 'ENTITY',
  owner: 'alice',
  created_at: '2025-01-02T03:04:05Z',
  updated_at: '2025-01-02T03:04:05Z',
};
const LIST = { items: [RAINFALL], next_cursor: null };
const CONFIG = { local: true, oidc: null };

/** Every cached answer that holds something (signed out, /me is cached as null). */
function cachedData(queryClient: ReturnType<typeof renderApp>['queryClient']) {
  return queryClient
    .getQueryCache()
    .findAll()
    .filter((query) => query.state.data !== undefined && query.state.data !== null)
    .map((query) => query.queryKey);
}

describe('signing out', () => {
  test('ends the session at the server, clears the whole cache and shows the sign-in page', async () => {
    startSession();
    let csrfHeader: string | null = null;
    const requests = stubApi({
      'GET /api/v1/me': ALICE,
      'GET /api/v1/items': LIST,
      'GET /api/v1/auth/config': CONFIG,
      'DELETE /api/v1/auth/session': (request: Request) => {
        csrfHeader = request.headers.get('X-CSRF-Token');
        endSession(); // the server clears the cookies
        return new Response(null, { status: 204 });
      },
    });
    const { user, queryClient, router } = renderApp('/');
    expect(await screen.findByRole('link', { name: 'Rainfall 2024' })).toBeInTheDocument();
    const header = screen.getByRole('banner');
    expect(within(header).getByText('Alice Example')).toBeInTheDocument();
    expect(cachedData(queryClient)).toContainEqual(queryKeys.me);

    await user.click(within(header).getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in to the Registry' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/signin');
    expect(requests.filter((request) => request.method === 'DELETE').map((request) => request.path)).toEqual(['/api/v1/auth/session']);
    expect(csrfHeader).toBe(TEST_CSRF_TOKEN);
    // Nothing of Alice's is left: no record list, no /me; only what the sign-in page itself asked.
    expect(cachedData(queryClient)).toEqual([queryKeys.authConfig]);
    expect(queryClient.getQueryData(queryKeys.me)).toBeNull();
    expect(within(header).queryByText('Alice Example')).toBeNull();
    expect(within(header).queryByRole('button', { name: 'Sign out' })).toBeNull();
  });
});

describe('a 401 from any call', () => {
  test('means the session ended: the cache is cleared and sign-in comes back to where the user was', async () => {
    startSession();
    // Until the administrator deactivates the account; from then on every request is refused.
    let active = true;
    stubApi({
      'GET /api/v1/me': () => (active ? jsonResponse(ALICE) : problem(401, 'Your session has ended. Sign in again.')),
      'GET /api/v1/items': () => (active ? jsonResponse(LIST) : problem(401, 'Your session has ended. Sign in again.')),
      'GET /api/v1/auth/config': CONFIG,
    });
    const { user, queryClient, router } = renderApp('/');
    expect(await screen.findByRole('link', { name: 'Rainfall 2024' })).toBeInTheDocument();

    active = false;
    await user.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Datastore' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in to the Registry' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/signin');
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/datastore')}`);
    await waitFor(() => expect(cachedData(queryClient)).toEqual([queryKeys.authConfig]));
    expect(screen.queryByText('Alice Example')).toBeNull();
  });
});

describe('signing in', () => {
  test('starts from an empty cache, so nothing another user saw here is shown', async () => {
    stubApi({
      'GET /api/v1/me': ALICE,
      'GET /api/v1/items': LIST,
      'GET /api/v1/auth/config': CONFIG,
      'POST /api/v1/auth/session': () => {
        startSession();
        return new Response(null, { status: 204 });
      },
    });
    const { user, queryClient } = renderApp('/signin');
    // Left from the user before (e.g. a record they could read and Alice cannot).
    queryClient.setQueryData(queryKeys.items.detail('secret-1'), { id: 'secret-1', display_name: 'Bob’s private record' });

    await user.type(await screen.findByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('link', { name: 'Rainfall 2024' })).toBeInTheDocument();
    expect(queryClient.getQueryData(queryKeys.items.detail('secret-1'))).toBeUndefined();
  });
});
