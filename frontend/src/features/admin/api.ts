// Administration: groups and their members, users. Every change refreshes the lists it touches.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';

export type Group = Schemas['Group'];
export type GroupCreate = Schemas['GroupCreate'];
export type User = Schemas['User'];
export type UserCreate = Schemas['UserCreate'];
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
    // The member's own /me lists their groups: refresh it in case they are the one signed in here.
    onSuccess: (_, { username }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.groups }),
        queryClient.invalidateQueries({ queryKey: queryKeys.me(username) }),
      ]),
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
