// The explore filters live in the address (?q=&subtype=&sort=&mine=1), so a reload or a shared
// link shows the same list. Defaults are left out of the address to keep links short.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { ExploreParams, Sort } from './api.ts';

export const SORTS: readonly { value: Sort; label: string }[] = [
  { value: '-created_at', label: 'Newest first' },
  { value: 'created_at', label: 'Oldest first' },
  { value: '-updated_at', label: 'Recently updated' },
  { value: 'updated_at', label: 'Least recently updated' },
  { value: 'display_name', label: 'Name A–Z' },
  { value: '-display_name', label: 'Name Z–A' },
];
const DEFAULT_SORT: Sort = '-created_at';

export interface ExploreFilters {
  q: string;
  subtype: string;
  sort: Sort;
  mine: boolean;
}

function isSort(value: string | null): value is Sort {
  return SORTS.some((sort) => sort.value === value);
}

function readFilters(search: URLSearchParams): ExploreFilters {
  const sort = search.get('sort');
  return {
    q: search.get('q') ?? '',
    subtype: search.get('subtype') ?? '',
    // An unknown sort in a hand-edited link falls back to the default rather than failing the list.
    sort: isSort(sort) ? sort : DEFAULT_SORT,
    mine: search.get('mine') === '1',
  };
}

function writeFilters(filters: ExploreFilters): URLSearchParams {
  const search = new URLSearchParams();
  // The text is kept as typed (spaces included) so the search box and the address agree while typing.
  if (filters.q) search.set('q', filters.q);
  if (filters.subtype) search.set('subtype', filters.subtype);
  if (filters.sort !== DEFAULT_SORT) search.set('sort', filters.sort);
  if (filters.mine) search.set('mine', '1');
  return search;
}

/** Whether anything narrows the list (the sort does not). */
export function isFiltered(filters: ExploreFilters): boolean {
  return filters.q.trim() !== '' || filters.subtype !== '' || filters.mine;
}

/** The API's query for these filters: only what is set, the search text trimmed. */
export function toParams(filters: ExploreFilters, username: string | null): ExploreParams {
  const params: ExploreParams = { sort: filters.sort };
  const q = filters.q.trim();
  if (q) params.q = q;
  if (filters.subtype) params.subtype = filters.subtype;
  if (filters.mine && username) params.owner = username;
  return params;
}

export type UpdateFilters = (change: Partial<ExploreFilters>, options?: { replace?: boolean }) => void;

export function useExploreFilters(): [ExploreFilters, UpdateFilters] {
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => readFilters(search), [search]);
  const update = useCallback<UpdateFilters>(
    (change, options) => setSearch((current) => writeFilters({ ...readFilters(current), ...change }), { replace: options?.replace }),
    [setSearch],
  );
  return [filters, update];
}
