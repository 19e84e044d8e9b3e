// Signing in and out, and who is signed in. The session itself is a pair of cookies the server
// sets and clears (session.ts); the app asks GET /me who it belongs to.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { api, ApiError, unwrap, type Schemas } from '../../api/client.ts';
import { csrfToken } from '../../api/csrf.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { sessionEnd, signInPath } from './session.ts';

export type Me = Schemas['Me'];
export type GeneralRole = Me['roles'][number];

async function fetchMe(signal: AbortSignal): Promise<Me | null> {
  // The server sets the readable CSRF cookie with the session cookie and clears both together:
  // without it there is no session to ask about, and a signed-out visit costs no request.
  if (!csrfToken()) return null;
  try {
    return await unwrap(api.GET('/api/v1/me', { signal }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** The signed-in user with general roles and groups, or null when signed out (cached for the session). */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: Infinity,
  });
}

export function useHasRole(role: GeneralRole): boolean {
  return useMe().data?.roles.includes(role) ?? false;
}

/** What the sign-in page offers: local accounts, the organisation's identity provider, or both. */
export function useAuthConfig() {
  return useQuery({
    queryKey: queryKeys.authConfig,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/auth/config', { signal })),
    staleTime: Infinity,
  });
}

/** Where the identity provider's sign-in starts; the server returns the user to `next` afterwards. */
export function providerSignInUrl(next: string): string {
  return `/api/v1/auth/oidc/login?next=${encodeURIComponent(next)}`;
}

/** Sign in with a local account. The cache is emptied first thing, so no page shows another user's data. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { username: string; password: string }) => unwrap(api.POST('/api/v1/auth/session', { body: credentials })),
    onSuccess: () => queryClient.clear(),
  });
}

/** Sign out: the server ends the session and clears its cookies; the cache goes with it. */
export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/auth/session')),
    onSuccess: () => {
      queryClient.clear();
      void navigate('/signin', { replace: true });
    },
  });
}

/**
 * When any request is refused with 401 while someone was signed in, the session has ended (signed
 * out elsewhere, expired, account deactivated): forget everything cached and go to sign in, with
 * the way back to where the user was.
 */
export function useReturnToSignInWhenSessionEnds(): void {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const here = useRef(location);
  useEffect(() => {
    here.current = location;
  }, [location]);
  useEffect(
    () =>
      sessionEnd.subscribe(() => {
        // Nobody was signed in (a signed-out visit, or this ending already handled): nothing to hide.
        if (!queryClient.getQueryData<Me | null>(queryKeys.me)) return;
        queryClient.clear();
        if (here.current.pathname !== '/signin') void navigate(signInPath(here.current), { replace: true });
      }),
    [queryClient, navigate],
  );
}
