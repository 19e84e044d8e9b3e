// The register feature's calls: create, update, and the record picker's search.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type SubtypeName } from '../../api/client.ts';
import type { paths } from '../../api/schema';
import { queryKeys } from '../../api/queryKeys.ts';
import type { Item } from '../items/api.ts';

export type FormData = Record<string, unknown>;
type NewItemBody = paths['/api/v1/items']['post']['requestBody']['content']['application/json'];

export interface CreateRequest {
  itemSubtype: string;
  data: FormData;
  idempotencyKey: string;
}

/** POST /items. The body is exactly `{item_subtype, data}`: nothing else ever goes to the server. */
export function useCreateItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ itemSubtype, data, idempotencyKey }: CreateRequest) =>
      unwrap(
        api.POST('/api/v1/items', {
          // The server validates `data` against the subtype; the generated union cannot be checked here.
          body: { item_subtype: itemSubtype, data } as unknown as NewItemBody,
          params: { header: { 'Idempotency-Key': idempotencyKey } },
        }),
      ),
    onSuccess: async (item) => {
      // Lists change; the new record is known already, so its page opens without a request.
      await queryClient.invalidateQueries({ queryKey: queryKeys.items.all, refetchType: 'none' });
      queryClient.setQueryData(queryKeys.items.detail(item.id), item);
    },
  });
}

export interface UpdateRequest {
  id: string;
  /** The revision the form was opened with: a newer one on the server is a 412. */
  revision: number;
  data: FormData;
  reason: string;
}

/** PUT /items/{id} with If-Match, so nobody's change is silently overwritten. */
export function useUpdateItem() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, revision, data, reason }: UpdateRequest) =>
      unwrap(
        api.PUT('/api/v1/items/{item_id}', {
          params: { path: { item_id: id }, header: { 'If-Match': `"${revision}"` } },
          body: { data, reason },
        }),
      ),
    onSuccess: async (item: Item) => {
      // The record, its history, permissions and every list may have changed; the record itself is known.
      await queryClient.invalidateQueries({ queryKey: queryKeys.items.all, refetchType: 'none' });
      queryClient.setQueryData(queryKeys.items.detail(item.id), item);
    },
  });
}

export const PICKER_PAGE_SIZE = 10;

/** The record picker's search: records of one subtype whose name (or text) contains `q`. */
export function useRecordSearch(subtype: string, q: string, enabled: boolean) {
  const params = { subtype: subtype as SubtypeName, q: q || undefined, limit: PICKER_PAGE_SIZE };
  return useQuery({
    queryKey: queryKeys.items.list(params),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/items', { params: { query: params }, signal })),
    enabled,
    placeholderData: keepPreviousData,
  });
}
