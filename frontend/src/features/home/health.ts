import { useQuery } from '@tanstack/react-query';
import { ApiError, getJson } from '../../api/client.ts';

/** GET /api/v1/health: 200 when all is well, 503 (same shape) when the database is unreachable. */
export interface Health {
  status: string;
  database: string;
}

function asHealth(body: unknown): Health | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { status, database } = body as Record<string, unknown>;
  return typeof status === 'string' && typeof database === 'string' ? { status, database } : undefined;
}

export async function fetchHealth(signal?: AbortSignal): Promise<Health> {
  try {
    const health = asHealth(await getJson<unknown>('/health', signal ? { signal } : {}));
    if (!health) throw new Error('The API health answer has an unexpected shape');
    return health;
  } catch (error) {
    // A 503 still tells us something useful: the API runs, the database does not.
    const health = error instanceof ApiError ? asHealth(error.body) : undefined;
    if (health) return health;
    throw error;
  }
}

export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => fetchHealth(signal),
    retry: false,
  });
}
