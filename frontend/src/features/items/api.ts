// Records: the queries every feature shares (record, permissions, history), and the record view's
// own (access settings, access log, groups). The subtypes come with the app: see subtypes.ts.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';

export type Item = Schemas['Item'];
export type Permissions = Schemas['Permissions'];
export type SubtypeInfo = Schemas['SubtypeInfo'];
export type HistoryEntry = Schemas['HistoryEntry'];
export type AccessSettings = Schemas['AccessSettings'];
export type AccessUpdate = Schemas['AccessUpdate'];
export type AccessLogEntry = Schemas['AccessLogEntry'];
export type Group = Schemas['Group'];

export function useItem(id: string) {
  return useQuery({
    queryKey: queryKeys.items.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/items/{item_id}', { params: { path: { item_id: id } }, signal })),
  });
}

export function usePermissions(id: string) {
  return useQuery({
    queryKey: queryKeys.items.permissions(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/items/{item_id}/permissions', { params: { path: { item_id: id } }, signal })),
  });
}

export function useHistory(id: string, enabled = true) {
  return useQuery({
    queryKey: queryKeys.items.history(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/items/{item_id}/history', { params: { path: { item_id: id } }, signal })),
    enabled,
  });
}

export function useAccess(id: string) {
  return useQuery({
    queryKey: queryKeys.items.access(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/items/{item_id}/access', { params: { path: { item_id: id } }, signal })),
  });
}

export function useAccessLog(id: string) {
  return useQuery({
    queryKey: queryKeys.items.accessLog(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/items/{item_id}/access-log', { params: { path: { item_id: id } }, signal })),
  });
}

export function useGroups() {
  return useQuery({
    queryKey: queryKeys.groups,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/groups', { signal })),
  });
}

/** Replace a record's access settings. Who may see what changes with them, so every record query
 *  (this record's access, log and permissions, and the lists) is refreshed afterwards. */
export function useSaveAccess(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AccessUpdate) =>
      unwrap(api.PUT('/api/v1/items/{item_id}/access', { params: { path: { item_id: id } }, body })),
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.items.access(id), saved);
      return queryClient.invalidateQueries({ queryKey: queryKeys.items.all });
    },
  });
}
