import { screen, waitFor } from '@testing-library/react';
import { describe, expect, test, vi } from 'vitest';
import { renderApp } from '../../testing/render.tsx';
import { startSession } from '../../testing/session.ts';
import { problem, stubApi, type RecordedRequest } from '../items/testing/fixtures.ts';

const BOTH = { local: true, oidc: { name: 'Sign in with Example University' } };
const LOCAL_ONLY = { local: true, oidc: null };
const OIDC_ONLY = { local: false, oidc: { name: 'Sign in with Example University' } };

let requests: RecordedRequest[];

/** The server's sign-in: right credentials set the session cookie, others get its 401. */
function stubSignIn(config: unknown, routes: Record<string, unknown> = {}) {
  requests = stubApi({
    ...routes,
    'GET /api/v1/auth/config': config,
    'POST /api/v1/auth/session': () => {
      // The stub has read the body already: it is the request recorded last.
      const { password } = JSON.parse(requests.at(-1)?.body ?? '{}') as { password?: string };
      if (password !== 'correct horse battery') return problem(401, 'Wrong username or password.');
      startSession();
      return new Response(null, { status: 204 });
    },
  });
}

describe('signed out', () => {
  test('a deep link goes to sign-in with the way back, without asking the server who is signed in', async () => {
    stubSignIn(LOCAL_ONLY);
    const { router } = renderApp('/items/abc?tab=history');

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in to the Registry' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/signin');
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/items/abc?tab=history')}`);
    // The heading shows before the sign-in options have arrived: wait for them, then count.
    expect(await screen.findByLabelText('Username')).toBeInTheDocument();
    // No session cookie, so no GET /me.
    expect(requests.map((request) => request.path)).toEqual(['/api/v1/auth/config']);
  });
});

describe('local accounts', () => {
  test('the form signs in with the session cookie and goes on to `next`', async () => {
    stubSignIn(LOCAL_ONLY, { 'GET /api/v1/items': { items: [], next_cursor: null } });
    const { user, router } = renderApp(`/signin?next=${encodeURIComponent('/datastore?q=rain')}`);

    await user.type(await screen.findByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/datastore'));
    expect(router.state.location.search).toBe('?q=rain');
    expect(await screen.findByRole('heading', { level: 1, name: 'Datastore' })).toBeInTheDocument();
    expect(requests.find((request) => request.method === 'POST')).toEqual({
      method: 'POST',
      path: '/api/v1/auth/session',
      body: JSON.stringify({ username: 'alice', password: 'correct horse battery' }),
    });
    expect(screen.queryByRole('button', { name: /Example University/ })).toBeNull();
  });

  test('wrong credentials are said in the form, which stays for another try', async () => {
    stubSignIn(LOCAL_ONLY);
    const { user, router } = renderApp('/signin');

    await user.type(await screen.findByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
    expect(router.state.location.pathname).toBe('/signin');
  });

  test('`next` leading to another site is replaced by the start page', async () => {
    stubSignIn(LOCAL_ONLY, { 'GET /api/v1/items': { items: [], next_cursor: null } });
    const { user, router } = renderApp(`/signin?next=${encodeURIComponent('//evil.example/steal')}`);

    await user.type(await screen.findByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
  });
});

describe("the organisation's sign-in", () => {
  test('a button labelled with the provider name leaves for the server’s sign-in route, with the way back', async () => {
    stubSignIn(OIDC_ONLY);
    const assign = vi.fn();
    vi.stubGlobal('location', { ...window.location, assign });
    const { user } = renderApp(`/signin?next=${encodeURIComponent('/items/abc?tab=history')}`);

    await user.click(await screen.findByRole('button', { name: 'Sign in with Example University' }));

    expect(assign).toHaveBeenCalledWith(`/api/v1/auth/oidc/login?next=${encodeURIComponent('/items/abc?tab=history')}`);
    // Local accounts are off: no password form.
    expect(screen.queryByLabelText('Password')).toBeNull();
  });

  test('with local accounts too, both ways are offered', async () => {
    stubSignIn(BOTH);
    renderApp('/signin');

    expect(await screen.findByRole('button', { name: 'Sign in with Example University' })).toBeInTheDocument();
    expect(screen.getByText('or with a Registry account')).toBeInTheDocument();
    expect(screen.getByLabelText('Username')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });

  test.each([
    ['access_denied', "The sign-in was cancelled at your organisation's sign-in page. Try again with the button below."],
    ['provider_unavailable', "Your organisation's sign-in service did not answer. Try again in a few minutes."],
    ['account_deactivated', 'This account is deactivated. Ask a registry administrator.'],
    ['something_new', 'The sign-in through your organisation did not succeed. Try again with the button below.'],
  ])('a failed sign-in (%s) is explained in plain words, with the way to try again', async (code, message) => {
    stubSignIn(BOTH);
    const assign = vi.fn();
    vi.stubGlobal('location', { ...window.location, assign });
    renderApp(`/signin?error=${code}`);

    expect(await screen.findByRole('alert')).toHaveTextContent(message);
    expect(await screen.findByRole('button', { name: 'Sign in with Example University' })).toBeInTheDocument();
    // Never a loop: the page does not start another sign-in by itself.
    expect(assign).not.toHaveBeenCalled();
  });
});
