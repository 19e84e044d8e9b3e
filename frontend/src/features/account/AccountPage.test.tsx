import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, test } from 'vitest';
import { jsonResponse, renderApp } from '../../testing/render.tsx';
import { startSession, TEST_CSRF_TOKEN } from '../../testing/session.ts';
import { problem, stubApi, type RecordedRequest } from '../items/testing/fixtures.ts';

const ALICE = {
  username: 'alice',
  display_name: 'Alice Example',
  email: 'alice@example.org',
  roles: ['registry-read', 'registry-write'],
  groups: [{ id: 'g-1', name: 'Hydrology' }],
  source: 'local',
};
const SECRET = 'rgt_s3cr3t-shown-only-once';

interface TokenRow {
  id: string;
  name: string;
  scope: 'read' | 'write';
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
}

let tokens: TokenRow[];
let requests: RecordedRequest[];
let csrfHeaders: (string | null)[];

function stubAccount(me: unknown = ALICE, routes: Record<string, unknown> = {}) {
  requests = stubApi({
    'GET /api/v1/me': me,
    'GET /api/v1/me/tokens': () => jsonResponse(tokens),
    'POST /api/v1/me/tokens': (request: Request) => {
      csrfHeaders.push(request.headers.get('X-CSRF-Token'));
      const body = JSON.parse(requests.at(-1)?.body ?? '{}') as { name: string; scope: 'read' | 'write' };
      const created = { id: 't-2', name: body.name, scope: body.scope, created_at: '2025-03-01T10:00:00Z', expires_at: '2025-05-30T10:00:00Z' };
      tokens = [...tokens, { ...created, last_used_at: null }];
      return jsonResponse({ ...created, token: SECRET }, { status: 201 });
    },
    'DELETE /api/v1/me/tokens/t-1': (request: Request) => {
      csrfHeaders.push(request.headers.get('X-CSRF-Token'));
      tokens = tokens.filter((token) => token.id !== 't-1');
      return new Response(null, { status: 204 });
    },
    ...routes,
  });
}

const changes = () => requests.filter((request) => request.method !== 'GET').map(({ method, path, body }) => ({ method, path, body: body && JSON.parse(body) }));

beforeEach(() => {
  startSession();
  csrfHeaders = [];
  tokens = [
    { id: 't-1', name: 'Nightly backup', scope: 'read', created_at: '2025-01-05T09:00:00Z', expires_at: '2099-04-05T09:00:00Z', last_used_at: null },
  ];
});

describe('personal access tokens', () => {
  test('are listed with scope, dates and "never" when unused', async () => {
    tokens = [...tokens, { id: 't-3', name: 'Model runner', scope: 'write', created_at: '2025-01-06T09:00:00Z', expires_at: '2099-01-06T09:00:00Z', last_used_at: '2025-02-01T12:00:00Z' }];
    stubAccount();
    renderApp('/account');

    const backup = (await screen.findByRole('rowheader', { name: 'Nightly backup' })).closest('tr') as HTMLElement;
    expect(within(backup).getByText('Read')).toBeInTheDocument();
    expect(within(backup).getByText('never')).toBeInTheDocument();
    const runner = screen.getByRole('rowheader', { name: 'Model runner' }).closest('tr') as HTMLElement;
    expect(within(runner).getByText('Read and write')).toBeInTheDocument();
    expect(within(runner).queryByText('never')).toBeNull();
    // Created, expires and last used.
    expect(within(runner).getAllByRole('time')).toHaveLength(3);
  });

  test('a new token’s secret is shown once, in a dialog with a copy button, and is gone when it closes', async () => {
    stubAccount();
    const { user } = renderApp('/account');
    await screen.findByRole('rowheader', { name: 'Nightly backup' });

    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Model runner');
    await user.click(screen.getByRole('radio', { name: /Read and write/ }));
    const create = screen.getByRole('button', { name: 'Create token' });
    await user.click(create);

    const dialog = await screen.findByRole('dialog', { name: 'Your new token “Model runner”' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(changes()).toEqual([{ method: 'POST', path: '/api/v1/me/tokens', body: { name: 'Model runner', scope: 'write', expires_in_days: 90 } }]);
    expect(csrfHeaders).toEqual([TEST_CSRF_TOKEN]);
    const secret = within(dialog).getByRole('textbox', { name: 'Token' });
    expect(secret).toHaveValue(SECRET);
    expect(secret).toHaveFocus();
    expect(dialog).toHaveTextContent('you will not see it again');

    await user.click(within(dialog).getByRole('button', { name: 'Copy token' }));
    expect(await navigator.clipboard.readText()).toBe(SECRET);
    expect(within(dialog).getByRole('status')).toHaveTextContent('The token is copied to the clipboard.');

    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(create).toHaveFocus();
    // Listed now, and the secret is nowhere on the page any more.
    expect(await screen.findByRole('rowheader', { name: 'Model runner' })).toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  test('Escape closes the secret’s dialog too', async () => {
    stubAccount();
    const { user } = renderApp('/account');
    await screen.findByRole('rowheader', { name: 'Nightly backup' });
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Quick');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    await screen.findByRole('dialog');

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  test('the form says what is wrong before sending', async () => {
    stubAccount();
    const { user } = renderApp('/account');
    await screen.findByRole('rowheader', { name: 'Nightly backup' });

    const days = screen.getByRole('spinbutton', { name: 'Expires after (days)' });
    expect(days).toHaveValue(90);
    await user.clear(days);
    await user.type(days, '400');
    await user.click(screen.getByRole('button', { name: 'Create token' }));

    const name = screen.getByRole('textbox', { name: 'Name' });
    expect(name).toHaveAccessibleDescription(expect.stringContaining('Give the token a name that says what it is for.'));
    expect(name).toHaveFocus();
    expect(days).toHaveAccessibleDescription(expect.stringContaining('Enter a whole number of days from 1 to 365.'));
    expect(changes()).toEqual([]);
  });

  test('Revoke asks first; Cancel keeps the token, confirming revokes it', async () => {
    stubAccount();
    const { user } = renderApp('/account');

    await user.click(await screen.findByRole('button', { name: 'Revoke Nightly backup' }));
    const question = screen.getByRole('group', { name: 'Revoke the token Nightly backup' });
    expect(question).toHaveTextContent('Programs using it stop working at once.');
    expect(within(question).getByRole('button', { name: 'Yes, revoke' })).toHaveFocus();
    await user.click(within(question).getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Revoke Nightly backup' })).toHaveFocus();
    expect(changes()).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Revoke Nightly backup' }));
    await user.click(screen.getByRole('button', { name: 'Yes, revoke' }));

    expect(await screen.findByText('Token “Nightly backup” revoked. Programs using it can no longer sign in with it.')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: 'Nightly backup' })).toBeNull());
    expect(changes()).toEqual([{ method: 'DELETE', path: '/api/v1/me/tokens/t-1', body: '' }]);
    expect(csrfHeaders).toEqual([TEST_CSRF_TOKEN]);
  });
});

describe('change password', () => {
  async function fill(user: ReturnType<typeof renderApp>['user'], current: string, next: string, repeat = next) {
    await user.type(await screen.findByLabelText('Current password'), current);
    await user.type(screen.getByLabelText('New password'), next);
    await user.type(screen.getByLabelText('Repeat the new password'), repeat);
    await user.click(screen.getByRole('button', { name: 'Change password' }));
  }

  test('sends the current and the new password and says what happened', async () => {
    stubAccount(ALICE, { 'PUT /api/v1/me/password': () => new Response(null, { status: 204 }) });
    const { user } = renderApp('/account');

    await fill(user, 'old password here', 'a brand new passphrase');

    expect(await screen.findByText(/Your password is changed\./)).toBeInTheDocument();
    expect(changes()).toEqual([
      { method: 'PUT', path: '/api/v1/me/password', body: { current_password: 'old password here', new_password: 'a brand new passphrase' } },
    ]);
    expect(screen.getByLabelText('Current password')).toHaveValue('');
  });

  test('a wrong current password is shown at its field', async () => {
    stubAccount(ALICE, {
      'PUT /api/v1/me/password': () =>
        problem(422, 'The request is invalid.', [{ field: 'current_password', message: 'This is not your current password.' }]),
    });
    const { user } = renderApp('/account');

    await fill(user, 'not my password', 'a brand new passphrase');

    const current = screen.getByLabelText('Current password');
    await waitFor(() => expect(current).toHaveAccessibleDescription('This is not your current password.'));
    expect(current).toHaveFocus();
  });

  test('a short or mistyped new password is caught before sending', async () => {
    stubAccount();
    const { user } = renderApp('/account');

    await fill(user, 'old password here', 'short');
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription(expect.stringContaining('Use at least 12 characters.'));

    await user.clear(screen.getByLabelText('New password'));
    await user.clear(screen.getByLabelText('Repeat the new password'));
    await user.type(screen.getByLabelText('New password'), 'a brand new passphrase');
    await user.type(screen.getByLabelText('Repeat the new password'), 'a brand new passphrasE');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(screen.getByLabelText('Repeat the new password')).toHaveAccessibleDescription('The two new passwords differ. Type the same new password twice.');
    expect(changes()).toEqual([]);
  });

  test('is not offered to an account that signs in through the organisation', async () => {
    stubAccount({ ...ALICE, source: 'oidc' });
    renderApp('/account');

    expect(await screen.findByText(/You sign in through your organisation, so your password is kept there/)).toBeInTheDocument();
    expect(screen.queryByLabelText('Current password')).toBeNull();
    // Tokens are for everyone.
    expect(await screen.findByRole('button', { name: 'Create token' })).toBeInTheDocument();
  });
});
