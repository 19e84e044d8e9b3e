// Administration: groups and their members, users. Every change refreshes the lists it touches.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import type { Me } from '../auth/api.ts';

export type Group = Schemas['Group'];
export type GroupCreate = Schemas['GroupCreate'];
export type User = Schemas['User'];
export type UserCreate = Schemas['UserCreate'];
export type UserUpdate = Schemas['UserUpdate'];
export type GeneralRole = UserCreate['roles'][number];

export function useGroups() {
  return useQuery({
    queryKey: queryKeys.groups,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/groups', { signal })),
  });
}

export function useUsers() {
  return useQuery({
    queryKey: queryKeys.users,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/users', { signal })),
  });
}

export function useCreateGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: GroupCreate) => unwrap(api.POST('/api/v1/groups', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.groups }),
  });
}

interface Membership {
  groupId: string;
  username: string;
}

function useMembershipChange(change: (membership: Membership) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    // The member's own /me lists their groups: refresh it when they are the one signed in here.
    onSuccess: (_, { username }) => {
      const isMe = queryClient.getQueryData<Me | null>(queryKeys.me)?.username === username;
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.groups }),
        ...(isMe ? [queryClient.invalidateQueries({ queryKey: queryKeys.me })] : []),
      ]);
    },
  });
}

export function useAddMember() {
  return useMembershipChange(({ groupId, username }) =>
    unwrap(api.PUT('/api/v1/groups/{group_id}/members/{username}', { params: { path: { group_id: groupId, username } } })),
  );
}

export function useRemoveMember() {
  return useMembershipChange(({ groupId, username }) =>
    unwrap(api.DELETE('/api/v1/groups/{group_id}/members/{username}', { params: { path: { group_id: groupId, username } } })),
  );
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UserCreate) => unwrap(api.POST('/api/v1/users', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

/** Change a user's roles or whether the account is active (deactivating ends their sessions at once). */
export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ username, change }: { username: string; change: UserUpdate }) =>
      unwrap(api.PATCH('/api/v1/users/{username}', { params: { path: { username } }, body: change })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.users }),
  });
}

/** Set a local account's password; the user's sessions end. */
export function useResetPassword() {
  return useMutation({
    mutationFn: ({ username, password }: { username: string; password: string }) =>
      unwrap(api.PUT('/api/v1/users/{username}/password', { params: { path: { username } }, body: { password } })),
  });
}
