// Explore: the paged list of records the caller may view (GET /api/v1/items, by cursor).
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas, type SubtypeName } from '../../api/client.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import type { operations } from '../../api/schema';

export type Summary = Schemas['Summary'];
type ExploreQuery = NonNullable<operations['ApiV1ItemsExplore']['parameters']['query']>;
export type Sort = NonNullable<ExploreQuery['sort']>;

/** The filters of one list. Empty values are left out: the API answers unknown or empty parameters with 422. */
export interface ExploreParams {
  q?: string;
  subtype?: string;
  owner?: string;
  sort: Sort;
}

export function useExplore(params: ExploreParams) {
  return useInfiniteQuery({
    queryKey: queryKeys.items.pages(params),
    queryFn: ({ pageParam, signal }) => {
      const query: ExploreQuery = { ...params, subtype: params.subtype as SubtypeName | undefined };
      if (pageParam) query.cursor = pageParam;
      return unwrap(api.GET('/api/v1/items', { params: { query }, signal }));
    },
    initialPageParam: '',
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
    // While a new search loads, the old results stay (dimmed) instead of the page collapsing.
    placeholderData: keepPreviousData,
  });
}
