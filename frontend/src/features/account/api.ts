// The signed-in user's own account: their password and their personal access tokens.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';

export type AccessToken = Schemas['AccessTokenInfo'];
export type NewAccessToken = Schemas['AccessTokenCreated'];
export type TokenCreate = Schemas['TokenCreate'];
export type PasswordChange = Schemas['PasswordChange'];

export function useAccessTokens() {
  return useQuery({
    queryKey: queryKeys.accessTokens,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/me/tokens', { signal })),
  });
}

export function useCreateAccessToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TokenCreate) => unwrap(api.POST('/api/v1/me/tokens', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.accessTokens }),
  });
}

export function useRevokeAccessToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/me/tokens/{token_id}', { params: { path: { token_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.accessTokens }),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: PasswordChange) => unwrap(api.PUT('/api/v1/me/password', { body })),
  });
}
