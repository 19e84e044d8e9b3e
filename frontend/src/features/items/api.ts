// Records: the queries every feature shares (record, permissions, history, subtypes).
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';

export type Item = Schemas['Item'];
export type Permissions = Schemas['Permissions'];
export type SubtypeInfo = Schemas['SubtypeInfo'];
export type HistoryEntry = Schemas['HistoryEntry'];

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

/** Subtypes with their form schemas: they change only with a new server version, so once per session. */
export function useSubtypes() {
  return useQuery({
    queryKey: queryKeys.subtypes,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/subtypes', { signal })),
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

export function useSubtype(name: string | undefined): SubtypeInfo | undefined {
  return useSubtypes().data?.find((subtype) => subtype.subtype === name);
}
