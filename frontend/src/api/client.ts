// The one typed client of the API, generated from the OpenAPI document (src/api/schema.d.ts,
// `make api-types`). The browser sends the session cookie by itself (same origin); the client adds
// the CSRF header to changes, and a 401 reports the session ended so the app sends the user to
// sign in and back.
import createClient, { type Middleware } from 'openapi-fetch';
import { sessionEnd } from '../features/auth/session.ts';
import { CSRF_HEADER, csrfToken, needsCsrfToken } from './csrf.ts';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
/** A subtype's name as the API's query parameters take it. Names come from GET /subtypes at run
 * time, so the app holds them as strings and narrows them here, at the API's edge. */
export type SubtypeName = NonNullable<NonNullable<paths['/api/v1/items']['get']['parameters']['query']>['subtype']>;
export type Problem = Schemas['Problem'];
export type FieldError = Schemas['FieldError'];

/** The API answered with a non-2xx status; `problem` is its RFC 9457 body when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, body: unknown) {
    const problem = isProblem(body) ? body : undefined;
    super(problem?.detail ?? problem?.title ?? `The server answered with HTTP ${status}.`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  get fieldErrors(): FieldError[] {
    return this.problem?.errors ?? [];
  }
}

/** No answer at all: the server is down or the network failed. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('The Registry cannot be reached. Check your connection and try again.', { cause });
    this.name = 'NetworkError';
  }
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && 'status' in body && 'title' in body;
}

const SIGN_IN_PATH = '/api/v1/auth/session';

const sessionCookie: Middleware = {
  onRequest({ request }) {
    if (needsCsrfToken(request.method)) {
      const token = csrfToken();
      if (token) request.headers.set(CSRF_HEADER, token);
    }
    return request;
  },
  onResponse({ request, response }) {
    // A 401 anywhere but at sign-in (a wrong password) means the session has ended.
    const signingIn = request.method === 'POST' && new URL(request.url).pathname === SIGN_IN_PATH;
    if (response.status === 401 && !signingIn) sessionEnd.report();
    return response;
  },
};

export const api = createClient<paths>({
  baseUrl: globalThis.location.origin,
  // Looked up on each call, so tests can stub the global fetch.
  fetch: (request) => globalThis.fetch(request),
});
api.use(sessionCookie);

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Await an openapi-fetch call: its data, or an ApiError / NetworkError to throw at TanStack Query. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(error);
  }
  if (!result.response.ok) throw new ApiError(result.response.status, result.error);
  return result.data as T;
}

/** What to tell a person about an error, in plain words. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError || error instanceof NetworkError) return error.message;
  return 'Something went wrong. Reload the page and try again.';
}
