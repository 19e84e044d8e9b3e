import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { session, useSession } from './session.ts';

export async function signIn(username: string, password: string): Promise<void> {
  const token = await unwrap(api.POST('/api/v1/auth/token', { body: { username, password } }));
  session.start(token.access_token, username, token.expires_in);
}

/** The signed-in user with general roles and groups (cached for the session). */
export function useMe() {
  const username = useSession();
  return useQuery({
    queryKey: queryKeys.me(username ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/me')),
    enabled: username !== null,
    staleTime: Infinity,
  });
}

export function useHasRole(role: 'registry-read' | 'registry-write' | 'registry-admin'): boolean {
  return useMe().data?.roles.includes(role) ?? false;
}

export function useSignOut(): () => void {
  const queryClient = useQueryClient();
  return () => {
    session.end();
    queryClient.clear();
  };
}
