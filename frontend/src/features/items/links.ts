// Where the record view's actions go, and the one rule for when Clone is offered (DESIGN.md §4).
import type { Item, Permissions } from './api.ts';
import { DATASET } from './roles.ts';

export function recordPath(id: string): string {
  return `/items/${encodeURIComponent(id)}`;
}

export function editPath(id: string): string {
  return `${recordPath(id)}/edit`;
}

export function datastorePath(id: string): string {
  return `/datastore/${encodeURIComponent(id)}`;
}

export function clonePath(item: Pick<Item, 'id' | 'item_subtype'>, revision?: number): string {
  const query = new URLSearchParams({ clone: item.id });
  if (revision !== undefined) query.set('revision', String(revision));
  return `/register/${encodeURIComponent(item.item_subtype)}?${query.toString()}`;
}

/** The header's Clone needs `actions.clone`; a dataset is cloned whole from the datastore's view instead. */
export function mayClone(item: Pick<Item, 'item_subtype'>, permissions: Permissions | undefined): boolean {
  return mayCloneRevisions(permissions) && item.item_subtype !== DATASET;
}

/** Clone this revision needs `actions.clone` alone: every history offers it, a dataset's too. */
export function mayCloneRevisions(permissions: Permissions | undefined): boolean {
  return permissions?.actions.clone === true;
}
