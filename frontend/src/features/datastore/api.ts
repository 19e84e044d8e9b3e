// Datastore queries: a dataset's files and their log, and deleting a file. Uploads go through
// XMLHttpRequest instead (upload.ts), for their progress.
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, unwrap, type Schemas } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { encodeFilePath } from './paths.ts';

export type FileInfo = Schemas['FileInfo'];
export type DatasetFiles = Schemas['FileList'];
export type FileLogEntry = Schemas['FileLogEntry'];

export function useFiles(id: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.items.files(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/items/{item_id}/files', { params: { path: { item_id: id } }, signal })),
    enabled,
  });
}

export function useFileLog(id: string, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.items.fileLog(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/items/{item_id}/file-log', { params: { path: { item_id: id } }, signal })),
    enabled,
  });
}

/** openapi-fetch would encode the whole path as one part (`/` as %2F, which the server refuses). */
function filePathSerializer(pathname: string, params: Record<string, unknown>): string {
  return pathname
    .replace('{item_id}', encodeURIComponent(String(params.item_id)))
    .replace('{file_path}', encodeFilePath(String(params.file_path)));
}

/** Delete a file: 'deleted', or 'gone' when someone else deleted it first (the list was out of date). */
export function useDeleteFile(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (path: string): Promise<'deleted' | 'gone'> => {
      try {
        await unwrap(
          api.DELETE('/api/v1/items/{item_id}/files/{file_path}', {
            params: { path: { item_id: id, file_path: path } },
            pathSerializer: filePathSerializer,
          }),
        );
        return 'deleted';
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return 'gone';
        throw error;
      }
    },
    onSuccess: (_, path) => {
      queryClient.setQueryData<DatasetFiles>(queryKeys.items.files(id), (list) =>
        list ? { files: list.files.filter((file) => file.path !== path) } : list,
      );
      void refreshFiles(queryClient, id);
    },
  });
}

/** A file the server has just stored, shown at once, in path order, before the list is asked for again. */
export function showUploaded(queryClient: QueryClient, id: string, info: FileInfo): void {
  queryClient.setQueryData<DatasetFiles>(queryKeys.items.files(id), (list) => {
    if (!list) return list;
    const files = [...list.files.filter((file) => file.path !== info.path), info];
    return { files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
  });
}

/** Ask for the list and the log again, after files changed. */
export function refreshFiles(queryClient: QueryClient, id: string): Promise<void> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: queryKeys.items.files(id) }),
    queryClient.invalidateQueries({ queryKey: queryKeys.items.fileLog(id) }),
  ]).then(() => undefined);
}
