// Every TanStack Query key of the app, in one place, so invalidation finds what it should.
export interface ItemListParams {
  q?: string;
  subtype?: string;
  owner?: string;
  sort?: string;
  limit?: number;
}

export const queryKeys = {
  /** The signed-in user, or null when signed out (features/auth/api.ts). */
  me: ['me'] as const,
  authConfig: ['auth-config'] as const,
  accessTokens: ['access-tokens'] as const,
  items: {
    all: ['items'] as const,
    list: (params: ItemListParams) => ['items', 'list', params] as const,
    /** The explore page's paged list (useInfiniteQuery): its own key, so a plain list query with the same
     *  params never shares a cache entry whose data has another shape. */
    pages: (params: ItemListParams) => ['items', 'list', params, 'pages'] as const,
    detail: (id: string) => ['items', 'detail', id] as const,
    permissions: (id: string) => ['items', 'permissions', id] as const,
    history: (id: string) => ['items', 'history', id] as const,
    access: (id: string) => ['items', 'access', id] as const,
    accessLog: (id: string) => ['items', 'access-log', id] as const,
    files: (id: string) => ['items', 'files', id] as const,
    fileLog: (id: string) => ['items', 'file-log', id] as const,
  },
  groups: ['groups'] as const,
  users: ['users'] as const,
};
