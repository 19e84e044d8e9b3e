// Direct API calls for browser tests: set up users and records, and check what the UI did. They
// sign in as scripts do, with a bearer token from POST /auth/token; the browser signs in with the
// session cookie (flows.ts), never with this token.
import { baseUrl } from './browser.ts';

export interface Account {
  username: string;
  password: string;
  /** A bearer token for the test's own API calls (not the browser's). */
  token: string;
}

export async function call<T>(method: string, path: string, token: string | null, body?: unknown, expected = [200, 201, 204]): Promise<T> {
  const response = await fetch(`${baseUrl()}/api/v1${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!expected.includes(response.status)) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function signIn(username: string, password: string): Promise<Account> {
  const { access_token } = await call<{ access_token: string }>('POST', '/auth/token', null, { username, password });
  return { username, password, token: access_token };
}

export function adminPassword(): string {
  const password = process.env.REGISTRY_E2E_ADMIN_PASSWORD;
  if (!password) throw new Error('REGISTRY_E2E_ADMIN_PASSWORD is not set (tests/with_server.py sets it).');
  return password;
}

let userCount = 0;

/** A new user with the given general roles, signed in through the API. */
export async function createUser(admin: Account, ...roles: string[]): Promise<Account> {
  userCount += 1;
  const username = `e2e-${roles[0]?.replace('registry-', '') ?? 'none'}-${Date.now().toString(36)}-${userCount}`;
  const password = `password-${username}`;
  await call('POST', '/users', admin.token, { username, password, display_name: `E2E ${username}`, email: `${username}@example.org`, roles });
  return signIn(username, password);
}

export interface Item {
  id: string;
  item_subtype: string;
  owner: string;
  revision: number;
  data: Record<string, unknown>;
}

export const createItem = (account: Account, item_subtype: string, data: Record<string, unknown>) =>
  call<Item>('POST', '/items', account.token, { item_subtype, data });

export const getItem = (account: Account, id: string) => call<Item>('GET', `/items/${id}`, account.token);

export const updateItem = (account: Account, item: Item, data: Record<string, unknown>, reason: string) =>
  fetch(`${baseUrl()}/api/v1/items/${item.id}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${account.token}`, 'Content-Type': 'application/json', 'If-Match': `"${item.revision}"` },
    body: JSON.stringify({ data, reason }),
  }).then(async (response) => {
    if (response.status !== 200) throw new Error(`PUT → ${response.status}: ${await response.text()}`);
    return (await response.json()) as Item;
  });

export const history = (account: Account, id: string) =>
  call<{ entries: { revision: number; reason: string }[] }>('GET', `/items/${id}/history`, account.token);

export const access = (account: Account, id: string) =>
  call<{ owner: string; general: string[]; groups: Record<string, string[]> }>('GET', `/items/${id}/access`, account.token);

export const setAccess = (account: Account, id: string, general: string[], groups: Record<string, string[]> = {}) =>
  call('PUT', `/items/${id}/access`, account.token, { general, groups });

export const listMine = (account: Account, q: string) =>
  call<{ items: { id: string; display_name: string }[] }>(
    'GET',
    `/items?owner=${encodeURIComponent(account.username)}&q=${encodeURIComponent(q)}&limit=100`,
    account.token,
  );

export function model(name: string): Record<string, unknown> {
  return {
    display_name: name,
    name,
    description: `${name}: a daily rainfall-runoff model.`,
    documentation_url: 'https://example.org/docs',
    source_url: 'https://example.org/src',
  };
}

export function dataset(organisationId: string, name: string): Record<string, unknown> {
  const no = { relevant: false, obtained: false };
  return {
    display_name: name,
    associations: { organisation_id: organisationId },
    approvals: { ethics_registration: no, ethics_access: no, indigenous_knowledge: no, export_controls: no },
    dataset_info: {
      name,
      description: 'Daily rainfall.',
      publisher_id: organisationId,
      license: 'https://creativecommons.org/licenses/by/4.0/',
      created_date: '2024-12-31',
      published_date: '2025-01-15',
      access_info: { reposited: true },
    },
  };
}

/**
 * A new user with a display name and e-mail (and, for pictures, a username) of the test's choosing
 * (e.g. hostile text), signed in through the API.
 */
export async function createUserNamed(
  admin: Account,
  display_name: string,
  roles: string[],
  email?: string,
  chosenUsername?: string,
): Promise<Account> {
  userCount += 1;
  const username = chosenUsername ?? `e2e-named-${Date.now().toString(36)}-${userCount}`;
  const password = `password-${username}`;
  await call('POST', '/users', admin.token, { username, password, display_name, email: email ?? `${username}@example.org`, roles });
  return signIn(username, password);
}

export interface Group {
  id: string;
  name: string;
  description: string;
  members: string[];
}

export const createGroup = (admin: Account, name: string, description: string) =>
  call<Group>('POST', '/groups', admin.token, { name, description });

export const addMember = (admin: Account, groupId: string, username: string) =>
  call('PUT', `/groups/${groupId}/members/${encodeURIComponent(username)}`, admin.token);

/** A dataset file's path in a URL: each part encoded on its own, joined with `/`. */
export const encodeFilePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export interface StoredFile {
  path: string;
  size: number;
  sha256: string;
  uploaded_at: string;
}

/** Upload (or, with the current sha256 as `replacing`, replace) one file of a dataset. */
export async function uploadFile(account: Account, id: string, path: string, content: string, replacing?: string): Promise<StoredFile> {
  const response = await fetch(`${baseUrl()}/api/v1/items/${id}/files/${encodeFilePath(path)}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${account.token}`, ...(replacing ? { 'If-Match': `"${replacing}"` } : {}) },
    body: content,
  });
  const text = await response.text();
  if (response.status !== 200 && response.status !== 201) throw new Error(`PUT file ${JSON.stringify(path)} → ${response.status}: ${text}`);
  return JSON.parse(text) as StoredFile;
}

export const deleteFile = (account: Account, id: string, path: string) =>
  call('DELETE', `/items/${id}/files/${encodeFilePath(path)}`, account.token);

/** A validation problem's fields, from a request that must be refused with 422. */
export async function refusedFields(account: Account, method: string, path: string, body: unknown): Promise<string[]> {
  const problem = await call<{ status: number; errors?: { field: string }[] }>(method, path, account.token, body, [422]);
  return (problem.errors ?? []).map((error) => error.field);
}
