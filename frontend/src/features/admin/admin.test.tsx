import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { jsonResponse, renderApp } from '../../testing/render.tsx';
import { startSession } from '../../testing/session.ts';

interface Sent {
  method: string;
  path: string;
  body: unknown;
}

interface GroupRow {
  id: string;
  name: string;
  description: string;
  members: string[];
}

let roles: string[];
let groups: GroupRow[];
let sent: Sent[];
/** The answer to the next POST (group or user); by default the server accepts it. */
let answerPost: ((body: Record<string, unknown>) => Response) | null;

interface UserRow {
  username: string;
  display_name: string;
  email: string;
  roles: string[];
  active: boolean;
  source: 'local' | 'oidc';
}

let users: UserRow[];

/** Roles as the server stores them: each implies the ones before it. */
const ROLE_LEVELS = ['registry-read', 'registry-write', 'registry-admin'];
const withImplied = (roles: string[]) => ROLE_LEVELS.slice(0, Math.max(0, ...roles.map((role) => ROLE_LEVELS.indexOf(role) + 1)));

function problem(status: number, detail: string, errors?: { field: string; message: string }[]): Response {
  return jsonResponse({ type: 'about:blank', title: 'Problem', status, detail, ...(errors && { errors }) }, { status, contentType: 'application/problem+json' });
}

beforeEach(() => {
  roles = ['registry-read', 'registry-write', 'registry-admin'];
  groups = [{ id: 'g-1', name: 'Hydrology', description: 'River people', members: ['alice'] }];
  sent = [];
  answerPost = null;
  users = [
    { username: 'alice', display_name: 'Alice Admin', email: 'alice@example.org', roles: ['registry-read', 'registry-write', 'registry-admin'], active: true, source: 'local' },
    { username: 'carol', display_name: 'Carol Reader', email: 'carol@example.org', roles: ['registry-read'], active: true, source: 'local' },
    { username: 'frank', display_name: 'Frank Federated', email: 'frank@example.org', roles: ['registry-read', 'registry-write'], active: false, source: 'oidc' },
  ];
  startSession();
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      const { pathname } = new URL(request.url);
      const text = await request.text();
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      sent.push({ method: request.method, path: pathname, body });
      const member = /^\/api\/v1\/groups\/([^/]+)\/members\/([^/]+)$/.exec(pathname);
      if (member) {
        const group = groups.find((candidate) => candidate.id === member[1]);
        const username = decodeURIComponent(member[2] ?? '');
        if (!group) return problem(404, 'There is no such group.');
        if (!users.some((user) => user.username === username)) return problem(404, `There is no user '${username}'.`);
        group.members = request.method === 'PUT' ? [...group.members, username] : group.members.filter((name) => name !== username);
        return new Response(null, { status: 204 });
      }
      const account = /^\/api\/v1\/users\/([^/]+)(\/password)?$/.exec(pathname);
      if (account) {
        const index = users.findIndex((candidate) => candidate.username === account[1]);
        const found = users[index];
        if (!found) return problem(404, `There is no user '${account[1]}'.`);
        if (account[2]) return new Response(null, { status: 204 });
        const change = body as Partial<UserRow>;
        const changed = { ...found, ...change, roles: change.roles ? withImplied(change.roles) : found.roles };
        users = users.map((candidate, at) => (at === index ? changed : candidate));
        return jsonResponse(changed);
      }
      switch (`${request.method} ${pathname}`) {
        case 'GET /api/v1/me':
          return jsonResponse({ username: 'alice', display_name: 'Alice Admin', email: 'alice@example.org', roles, groups: [], source: 'local' });
        case 'GET /api/v1/groups':
          return jsonResponse(groups);
        case 'GET /api/v1/users':
          return jsonResponse(users);
        case 'POST /api/v1/groups': {
          if (answerPost) return answerPost(body ?? {});
          const group = { id: 'g-2', name: String(body?.name), description: String(body?.description), members: [] };
          groups = [...groups, group];
          return jsonResponse(group, { status: 201 });
        }
        case 'POST /api/v1/users':
          if (answerPost) return answerPost(body ?? {});
          return jsonResponse({ username: body?.username, display_name: body?.display_name, email: body?.email, roles: body?.roles, active: true, source: 'local' }, { status: 201 });
        default:
          return problem(404, 'Nothing here.');
      }
    }),
  );
});


const changes = () => sent.filter((request) => request.method !== 'GET');

describe('access', () => {
  test.each([
    ['/admin/groups', 'You need the registry-admin role to manage groups.'],
    ['/admin/users', 'You need the registry-admin role to manage users.'],
  ])('%s tells a non-admin which role it needs and fetches nothing', async (path, message) => {
    roles = ['registry-read', 'registry-write'];
    renderApp(path);

    expect(await screen.findByRole('heading', { level: 1, name: 'Access denied' })).toBeInTheDocument();
    expect(screen.getByText(message)).toBeInTheDocument();
    expect(sent.map((request) => request.path)).toEqual(['/api/v1/me']);
  });
});

describe('groups', () => {
  test('lists groups with their members', async () => {
    renderApp('/admin/groups');

    const card = (await screen.findByRole('heading', { level: 3, name: 'Hydrology' })).closest('li') as HTMLElement;
    expect(within(card).getByText('River people')).toBeInTheDocument();
    expect(await within(card).findByText('Alice Admin')).toBeInTheDocument();
  });

  test('creating a group sends its name and description and shows it', async () => {
    const { user } = renderApp('/admin/groups');
    await screen.findByRole('heading', { level: 3, name: 'Hydrology' });

    await user.type(screen.getByRole('textbox', { name: 'Name' }), '  Soil  ');
    await user.type(screen.getByRole('textbox', { name: 'Description' }), 'Soil scientists');
    await user.click(screen.getByRole('button', { name: 'Create group' }));

    expect(await screen.findByRole('heading', { level: 3, name: 'Soil' })).toBeInTheDocument();
    expect(changes()).toEqual([{ method: 'POST', path: '/api/v1/groups', body: { name: 'Soil', description: 'Soil scientists' } }]);
    expect(screen.getByText('Group “Soil” created.')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Name' })).toHaveValue('');
  });

  test('a taken name is reported at the Name field', async () => {
    answerPost = () => problem(409, "The group name 'Hydrology' is already taken.");
    const { user } = renderApp('/admin/groups');
    await screen.findByRole('heading', { level: 3, name: 'Hydrology' });

    const name = screen.getByRole('textbox', { name: 'Name' });
    await user.type(name, 'Hydrology');
    await user.click(screen.getByRole('button', { name: 'Create group' }));

    await waitFor(() => expect(name).toHaveAccessibleDescription('That name is taken. Choose another.'));
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveFocus();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  test('adding a member puts them in the group', async () => {
    const { user } = renderApp('/admin/groups');
    await screen.findByRole('heading', { level: 3, name: 'Hydrology' });

    await user.type(screen.getByRole('combobox', { name: 'Add a member to Hydrology' }), 'carol');
    await user.click(screen.getByRole('button', { name: 'Add to Hydrology' }));

    expect(await screen.findByText('Carol Reader')).toBeInTheDocument();
    expect(changes()).toEqual([{ method: 'PUT', path: '/api/v1/groups/g-1/members/carol', body: undefined }]);
  });

  test('an unknown username is reported at the add field', async () => {
    const { user } = renderApp('/admin/groups');
    await screen.findByRole('heading', { level: 3, name: 'Hydrology' });

    const input = screen.getByRole('combobox', { name: 'Add a member to Hydrology' });
    await user.type(input, 'nobody');
    await user.click(screen.getByRole('button', { name: 'Add to Hydrology' }));

    await waitFor(() => expect(input).toHaveAccessibleDescription('There is no user called “nobody”.'));
  });

  test('removing a member asks first; Cancel changes nothing, confirming removes them', async () => {
    const { user } = renderApp('/admin/groups');
    await user.click(await screen.findByRole('button', { name: 'Remove alice' }));
    const question = screen.getByRole('group', { name: 'Remove alice from Hydrology' });
    expect(within(question).getByRole('button', { name: 'Yes, remove' })).toHaveFocus();
    await user.click(within(question).getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'Remove alice' })).toHaveFocus();
    expect(changes()).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Remove alice' }));
    await user.click(screen.getByRole('button', { name: 'Yes, remove' }));

    expect(await screen.findByText('No members yet.')).toBeInTheDocument();
    expect(changes()).toEqual([{ method: 'DELETE', path: '/api/v1/groups/g-1/members/alice', body: undefined }]);
  });
});

describe('users', () => {
  async function fillUserForm(user: ReturnType<typeof renderApp>['user']) {
    await user.type(screen.getByRole('textbox', { name: 'Username' }), 'dave');
    await user.type(screen.getByRole('textbox', { name: 'Display name' }), 'Dave Writer');
    await user.type(screen.getByRole('textbox', { name: 'E-mail' }), 'dave@example.org');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Role' }), 'registry-write');
  }

  test('lists users with their roles', async () => {
    renderApp('/admin/users');

    const row = (await screen.findByRole('rowheader', { name: 'carol' })).closest('tr') as HTMLElement;
    expect(within(row).getByText('Carol Reader')).toBeInTheDocument();
    expect(within(row).getByText('carol@example.org')).toBeInTheDocument();
    expect(within(row).getByText('registry-read')).toBeInTheDocument();
  });

  test('creating a user sends the form as the API expects and forgets the password', async () => {
    const { user } = renderApp('/admin/users');
    await screen.findByRole('rowheader', { name: 'carol' });

    await fillUserForm(user);
    await user.click(screen.getByRole('button', { name: 'Create user' }));

    expect(await screen.findByText('User “dave” created. They can sign in now.')).toBeInTheDocument();
    expect(changes()).toEqual([
      {
        method: 'POST',
        path: '/api/v1/users',
        body: { username: 'dave', display_name: 'Dave Writer', email: 'dave@example.org', password: 'correct horse', roles: ['registry-write'] },
      },
    ]);
    expect(screen.getByLabelText('Password')).toHaveValue('');
    expect(screen.getByRole('textbox', { name: 'Username' })).toHaveValue('');
    // The list is asked again, so the new account shows up.
    await waitFor(() => expect(sent.filter((request) => request.path === '/api/v1/users' && request.method === 'GET')).toHaveLength(2));
  });

  test('a server field error is shown at its field, others in an alert', async () => {
    answerPost = () =>
      problem(422, 'The request is invalid.', [
        { field: 'email', message: 'This address cannot receive mail.' },
        { field: 'nickname', message: 'Unknown field: remove it.' },
      ]);
    const { user } = renderApp('/admin/users');
    await screen.findByRole('rowheader', { name: 'carol' });

    await fillUserForm(user);
    await user.click(screen.getByRole('button', { name: 'Create user' }));

    const email = screen.getByRole('textbox', { name: 'E-mail' });
    await waitFor(() => expect(email).toHaveAccessibleDescription('This address cannot receive mail.'));
    expect(email).toHaveFocus();
    expect(screen.getByRole('alert')).toHaveTextContent('The request is invalid. Unknown field: remove it.');
  });

  test('a taken username is reported at the Username field', async () => {
    answerPost = () => problem(409, "The username 'dave' is already taken. Choose another.");
    const { user } = renderApp('/admin/users');
    await screen.findByRole('rowheader', { name: 'carol' });

    await fillUserForm(user);
    await user.click(screen.getByRole('button', { name: 'Create user' }));

    const username = screen.getByRole('textbox', { name: 'Username' });
    await waitFor(() => expect(username).toHaveAccessibleDescription(expect.stringContaining('That username is taken.')));
  });

  test('the form checks what it can before sending, in plain words', async () => {
    const { user } = renderApp('/admin/users');
    await screen.findByRole('rowheader', { name: 'carol' });

    await user.type(screen.getByRole('textbox', { name: 'Username' }), 'no spaces');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create user' }));

    const username = screen.getByRole('textbox', { name: 'Username' });
    expect(username).toHaveAccessibleDescription(expect.stringContaining('Use only letters, digits, dots, underscores or hyphens'));
    expect(username).toHaveFocus();
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(expect.stringContaining('Use at least 12 characters.'));
    expect(changes()).toEqual([]);
  });
});

describe('user accounts', () => {
  const row = async (username: string) => (await screen.findByRole('rowheader', { name: username })).closest('tr') as HTMLElement;

  test('each user shows whether the account is active and where its password is kept', async () => {
    renderApp('/admin/users');

    const carol = await row('carol');
    expect(within(carol).getByText('Active')).toBeInTheDocument();
    expect(within(carol).getByText('Password')).toBeInTheDocument();
    const frank = await row('frank');
    expect(within(frank).getByText('Deactivated')).toBeInTheDocument();
    expect(within(frank).getByText('Organisation')).toBeInTheDocument();
  });

  test('Deactivate asks first, then deactivates; Reactivate undoes it', async () => {
    const { user } = renderApp('/admin/users');

    await user.click(within(await row('carol')).getByRole('button', { name: 'Deactivate carol' }));
    const question = screen.getByRole('group', { name: 'Deactivate carol' });
    expect(question).toHaveTextContent('They are signed out at once');
    await user.click(within(question).getByRole('button', { name: 'Cancel' }));
    expect(changes()).toEqual([]);
    expect(within(await row('carol')).getByRole('button', { name: 'Deactivate carol' })).toHaveFocus();

    await user.click(within(await row('carol')).getByRole('button', { name: 'Deactivate carol' }));
    await user.click(screen.getByRole('button', { name: 'Yes, deactivate' }));

    expect(await screen.findByText('carol is deactivated and signed out.')).toBeInTheDocument();
    await waitFor(async () => expect(within(await row('carol')).getByText('Deactivated')).toBeInTheDocument());
    expect(changes()).toEqual([{ method: 'PATCH', path: '/api/v1/users/carol', body: { active: false } }]);

    await user.click(within(await row('carol')).getByRole('button', { name: 'Reactivate carol' }));
    await user.click(screen.getByRole('button', { name: 'Yes, reactivate' }));
    await waitFor(async () => expect(within(await row('carol')).getByText('Active')).toBeInTheDocument());
    expect(changes().at(-1)).toEqual({ method: 'PATCH', path: '/api/v1/users/carol', body: { active: true } });
  });

  test('Change role opens a dialog starting at the current role, and saves the chosen one', async () => {
    const { user } = renderApp('/admin/users');

    const open = within(await row('carol')).getByRole('button', { name: 'Change the role of carol' });
    await user.click(open);
    const dialog = screen.getByRole('dialog', { name: 'Change the role of Carol Reader (carol)' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(dialog).toHaveFocus();
    expect(within(dialog).getByRole('radio', { name: /^registry-read/ })).toBeChecked();

    await user.click(within(dialog).getByRole('radio', { name: /^registry-write/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Save role' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(open).toHaveFocus();
    expect(await screen.findByText('carol now has registry-write. It applies from their next request.')).toBeInTheDocument();
    expect(within(await row('carol')).getByText('registry-write')).toBeInTheDocument();
    expect(changes()).toEqual([{ method: 'PATCH', path: '/api/v1/users/carol', body: { roles: ['registry-write'] } }]);
  });

  test('Reset password takes a new password of at least 12 characters, for local accounts only', async () => {
    const { user } = renderApp('/admin/users');
    expect(within(await row('frank')).queryByRole('button', { name: /Reset the password/ })).toBeNull();

    await user.click(within(await row('carol')).getByRole('button', { name: 'Reset the password of carol' }));
    const dialog = screen.getByRole('dialog', { name: 'Reset the password of Carol Reader (carol)' });
    const password = within(dialog).getByLabelText('New password');
    expect(password).toHaveFocus();

    await user.type(password, 'too short');
    await user.click(within(dialog).getByRole('button', { name: 'Set password' }));
    expect(password).toHaveAccessibleDescription(expect.stringContaining('Use at least 12 characters.'));
    expect(changes()).toEqual([]);

    await user.type(password, ' but now long enough');
    await user.type(within(dialog).getByLabelText('Repeat the new password'), 'too short but now long enough');
    await user.click(within(dialog).getByRole('button', { name: 'Set password' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await screen.findByText(/carol has a new password and was signed out everywhere\./)).toBeInTheDocument();
    expect(changes()).toEqual([{ method: 'PUT', path: '/api/v1/users/carol/password', body: { password: 'too short but now long enough' } }]);
  });

  test('the signed-in administrator cannot deactivate or demote themself from here', async () => {
    renderApp('/admin/users');

    const alice = await row('alice');
    expect(within(alice).queryByRole('button', { name: /Deactivate/ })).toBeNull();
    expect(within(alice).queryByRole('button', { name: /Change the role/ })).toBeNull();
    expect(within(alice).getByText(/This is you\./)).toBeInTheDocument();
    expect(within(alice).getByRole('link', { name: 'your account page' })).toHaveAttribute('href', '/account');
  });

  test('Find a user narrows the list by username, name or e-mail', async () => {
    const { user } = renderApp('/admin/users');
    await row('carol');

    await user.type(screen.getByRole('searchbox', { name: 'Find a user' }), 'FEDERATED');

    expect(screen.getByRole('rowheader', { name: 'frank' })).toBeInTheDocument();
    expect(screen.queryByRole('rowheader', { name: 'carol' })).toBeNull();
    expect(screen.getByText('1 of 3 users')).toBeInTheDocument();
  });
});
