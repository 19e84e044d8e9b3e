// The API client and the session cookie: the browser sends the cookie by itself; the client adds
// the CSRF header to every change and reports a 401 as the end of the session.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { sessionEnd } from '../features/auth/session.ts';
import { jsonResponse } from '../testing/render.tsx';
import { startSession, TEST_CSRF_TOKEN } from '../testing/session.ts';
import { api } from './client.ts';
import { csrfToken } from './csrf.ts';

let sent: Request[];
let status: number;

beforeEach(() => {
  sent = [];
  status = 200;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      sent.push(request);
      return status === 204 ? new Response(null, { status }) : jsonResponse({}, { status });
    }),
  );
});

const ITEM = '11111111-1111-4111-8111-111111111111';

describe('the CSRF header', () => {
  test('goes with every change (POST, PUT, PATCH, DELETE), with the value of the registry_csrf cookie', async () => {
    startSession();
    await api.POST('/api/v1/groups', { body: { name: 'Hydrology', description: '' } });
    await api.PUT('/api/v1/users/{username}/password', { params: { path: { username: 'carol' } }, body: { password: 'a long password' } });
    await api.PATCH('/api/v1/users/{username}', { params: { path: { username: 'carol' } }, body: { active: false } });
    await api.DELETE('/api/v1/auth/session');

    expect(sent.map((request) => [request.method, request.headers.get('X-CSRF-Token')])).toEqual([
      ['POST', TEST_CSRF_TOKEN],
      ['PUT', TEST_CSRF_TOKEN],
      ['PATCH', TEST_CSRF_TOKEN],
      ['DELETE', TEST_CSRF_TOKEN],
    ]);
  });

  test('does not go with reads, and no request carries a bearer token', async () => {
    startSession();
    await api.GET('/api/v1/items/{item_id}', { params: { path: { item_id: ITEM } } });
    await api.POST('/api/v1/groups', { body: { name: 'Hydrology', description: '' } });

    expect(sent[0]?.headers.has('X-CSRF-Token')).toBe(false);
    expect(sent.some((request) => request.headers.has('Authorization'))).toBe(false);
  });

  test('is left out when there is no session cookie (signing in)', async () => {
    await api.POST('/api/v1/auth/session', { body: { username: 'alice', password: 'secret' } });
    expect(sent[0]?.headers.has('X-CSRF-Token')).toBe(false);
  });
});

describe('a 401', () => {
  let ended: ReturnType<typeof vi.fn<() => void>>;
  let unsubscribe: () => void;
  beforeEach(() => {
    ended = vi.fn<() => void>();
    unsubscribe = sessionEnd.subscribe(ended);
  });
  afterEach(() => unsubscribe());

  test('from any call reports that the session has ended', async () => {
    status = 401;
    await api.GET('/api/v1/items/{item_id}', { params: { path: { item_id: ITEM } } });
    expect(ended).toHaveBeenCalledTimes(1);
  });

  test('from signing in is a wrong password, not an ended session', async () => {
    status = 401;
    await api.POST('/api/v1/auth/session', { body: { username: 'alice', password: 'wrong' } });
    expect(ended).not.toHaveBeenCalled();
  });
});

describe('csrfToken', () => {
  test('reads the registry_csrf cookie among others, and nothing when it is absent or empty', () => {
    expect(csrfToken('theme=dark; registry_csrf=abc123; other=x')).toBe('abc123');
    expect(csrfToken('registry_csrf_old=no; lang=en')).toBeNull();
    expect(csrfToken('registry_csrf=')).toBeNull();
    expect(csrfToken('')).toBeNull();
  });
});
