// Test data for the record view: the real GET /subtypes answer (captured from the server) and a
// small stub of the API that records every request.
import { vi } from 'vitest';
import { jsonResponse } from '../../../testing/render.tsx';
import type { Item, Permissions, SubtypeInfo } from '../api.ts';
import subtypesJson from '../../../api/subtypes.json';

export const subtypes = subtypesJson as SubtypeInfo[];

export function subtype(name: string): SubtypeInfo {
  const found = subtypes.find((candidate) => candidate.subtype === name);
  if (!found) throw new Error(`no subtype ${name} in the fixture`);
  return found;
}

const CATEGORY: Record<string, string> = { DATASET: 'ENTITY', MODEL: 'ENTITY', MODEL_RUN_WORKFLOW_TEMPLATE: 'ENTITY', ORGANISATION: 'AGENT' };

export function makeItem(id: string, item_subtype: string, data: Record<string, unknown>, revision = 1): Item {
  return {
    id,
    item_subtype,
    item_category: CATEGORY[item_subtype] ?? 'ENTITY',
    owner: 'olivia',
    created_at: '2024-03-01T09:00:00Z',
    updated_at: '2024-03-02T10:30:00Z',
    revision,
    data,
  };
}

export function makePermissions(id: string, actions: Partial<Permissions['actions']> = {}): Permissions {
  return {
    item_id: id,
    general_roles: ['registry-read'],
    item_roles: ['metadata-read'],
    actions: { view: true, edit: false, clone: false, manage_access: false, read_files: false, write_files: false, ...actions },
  };
}

export function problem(status: number, detail: string, errors?: { field: string; message: string }[]) {
  return jsonResponse({ type: 'about:blank', title: 'Problem', status, detail, ...(errors ? { errors } : {}) }, { status, contentType: 'application/problem+json' });
}

/** A sample MODEL record's data (backend/tests/samples.py). */
export function modelData(name = 'Catchment model'): Record<string, unknown> {
  return {
    display_name: name,
    name,
    description: 'Simulates catchment runoff.',
    documentation_url: 'https://example.org/docs',
    source_url: 'https://example.org/src',
  };
}

type Responder = (request: Request) => Response | Promise<Response>;

export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
}

/**
 * Stub the global fetch: `routes` maps "METHOD /path" to a JSON body or a function making the
 * Response. Unknown routes answer 404. GET /api/v1/me has a default.
 */
export function stubApi(routes: Record<string, unknown>) {
  const requests: RecordedRequest[] = [];
  const table: Record<string, unknown> = {
    'GET /api/v1/me': { username: 'alice', display_name: 'Alice', email: 'alice@example.org', roles: ['registry-read', 'registry-write'], groups: [] },
    ...routes,
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      const body = request.method === 'GET' ? '' : await request.text();
      requests.push({ method: request.method, path: url.pathname, body });
      const answer = table[`${request.method} ${url.pathname}`];
      if (answer === undefined) return problem(404, `No stub for ${request.method} ${url.pathname}.`);
      return typeof answer === 'function' ? (answer as Responder)(request) : jsonResponse(answer);
    }),
  );
  return requests;
}

/** A promise to answer a request later, to see the page while the answer is pending. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
