import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import { RequireSession } from '../features/auth/RequireSession.tsx';
import { SignInPage } from '../features/auth/SignInPage.tsx';
import { Layout } from './Layout.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { RouteError } from './RouteError.tsx';

/** A page loaded with its route, so the first paint carries only what it shows. */
function page(load: () => Promise<ComponentType>): Pick<RouteObject, 'lazy'> {
  return { lazy: async () => ({ Component: await load() }) };
}

// One route table for the browser router (App) and memory routers in tests.
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { path: 'signin', element: <SignInPage /> },
      {
        element: <RequireSession />,
        children: [
          { index: true, ...page(async () => (await import('../features/explore/ExplorePage.tsx')).ExplorePage) },
          { path: 'items/:id', ...page(async () => (await import('../features/items/RecordPage.tsx')).RecordPage) },
          { path: 'items/:id/edit', ...page(async () => (await import('../features/register/EditPage.tsx')).EditPage) },
          { path: 'register', ...page(async () => (await import('../features/register/ChooseSubtypePage.tsx')).ChooseSubtypePage) },
          { path: 'register/:subtype', ...page(async () => (await import('../features/register/RegisterPage.tsx')).RegisterPage) },
          { path: 'datastore', ...page(async () => (await import('../features/datastore/DatasetsPage.tsx')).DatasetsPage) },
          { path: 'datastore/:id', ...page(async () => (await import('../features/datastore/DatasetPage.tsx')).DatasetPage) },
          { path: 'admin/groups', ...page(async () => (await import('../features/admin/GroupsPage.tsx')).GroupsPage) },
          { path: 'admin/users', ...page(async () => (await import('../features/admin/UsersPage.tsx')).UsersPage) },
          { path: 'account', ...page(async () => (await import('../features/account/AccountPage.tsx')).AccountPage) },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
];
