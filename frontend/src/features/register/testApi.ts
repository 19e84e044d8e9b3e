// A stubbed API for this folder's page tests: routes answer from handlers, and every request
// is kept (with its body read) so tests can check exactly what was sent.
import { vi } from 'vitest';
import { jsonResponse } from '../../testing/render.tsx';

export interface SentRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  headers: Headers;
  body: unknown;
}

type Handler = (request: SentRequest) => Response | Promise<Response>;

export interface FakeApi {
  requests: SentRequest[];
  /** Answer `METHOD /path` (exact path) with the handler; later routes win. */
  on(method: string, path: string, handler: Handler): void;
  sent(method: string, path: string): SentRequest[];
}

export const ME = { username: 'alice', display_name: 'Alice', email: 'alice@example.org', roles: ['registry-read', 'registry-write'], groups: [] };

export function fakeApi(): FakeApi {
  const routes: { method: string; path: string; handler: Handler }[] = [];
  const requests: SentRequest[] = [];
  const api: FakeApi = {
    requests,
    on(method, path, handler) {
      routes.unshift({ method, path, handler });
    },
    sent(method, path) {
      return requests.filter((request) => request.method === method && request.path === path);
    },
  };
  api.on('GET', '/api/v1/me', () => jsonResponse(ME));
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      const text = await request.text();
      const sent: SentRequest = {
        method: request.method,
        path: url.pathname,
        search: url.searchParams,
        headers: request.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      requests.push(sent);
      const route = routes.find((candidate) => candidate.method === sent.method && candidate.path === sent.path);
      if (!route) return jsonResponse({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No such route in the test.' }, { status: 404 });
      return route.handler(sent);
    }),
  );
  return api;
}

/**
 * Loads the form's modules (RJSF, the precompiled validators) ahead of the tests: cold, in a busy test run,
 * their import can outlast the one second `findBy…` waits for the lazily loaded page.
 */
export async function loadFormModules(): Promise<void> {
  await Promise.all([import('./RegisterPage.tsx'), import('./EditPage.tsx')]);
}

/** A problem document response. */
export function problem(status: number, errors: { field: string; message: string }[] = [], detail = 'Problem.'): Response {
  return jsonResponse({ type: 'about:blank', title: 'Problem', status, detail, errors }, { status, contentType: 'application/problem+json' });
}
