// Item roles as people see them in the access tab: names, what each allows, and what each includes
// (DESIGN.md §2: metadata-write ⇒ metadata-read; dataset-data-read ⇒ metadata-read;
// dataset-data-write ⇒ dataset-data-read; admin ⇒ all).
import type { Schemas } from '../../api/client.ts';

export type ItemRole = Schemas['AccessSettings']['general'][number];

export const DATASET = 'DATASET';

/** Every item role, in the order the API lists them. */
const ALL_ROLES: readonly ItemRole[] = ['metadata-read', 'metadata-write', 'dataset-data-read', 'dataset-data-write', 'admin'];
const DATASET_ONLY: ReadonlySet<ItemRole> = new Set(['dataset-data-read', 'dataset-data-write']);

const DIRECTLY_INCLUDES: Record<ItemRole, readonly ItemRole[]> = {
  'metadata-read': [],
  'metadata-write': ['metadata-read'],
  'dataset-data-read': ['metadata-read'],
  'dataset-data-write': ['dataset-data-read'],
  admin: ALL_ROLES.filter((role) => role !== 'admin'),
};

export const ROLE_TEXT: Record<ItemRole, { label: string; help: string }> = {
  'metadata-read': { label: 'View metadata', help: 'See the record, its details and its history.' },
  'metadata-write': {
    label: 'Edit metadata',
    help: 'Change the record’s details — includes view. People also need permission to write to the Registry.',
  },
  'dataset-data-read': { label: 'Download data', help: 'Download the dataset’s files — includes view metadata.' },
  'dataset-data-write': { label: 'Upload data', help: 'Add, replace and delete the dataset’s files — includes download data.' },
  admin: { label: 'Administer', help: 'Everything above, and change who has access.' },
};

/** The roles a record of this subtype can grant: the data roles exist only on datasets. */
export function rolesForSubtype(subtype: string): ItemRole[] {
  return ALL_ROLES.filter((role) => subtype === DATASET || !DATASET_ONLY.has(role));
}

function includedBy(role: ItemRole): Set<ItemRole> {
  const included = new Set<ItemRole>();
  const pending = [...DIRECTLY_INCLUDES[role]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (included.has(next)) continue;
    included.add(next);
    pending.push(...DIRECTLY_INCLUDES[next]);
  }
  return included;
}

/** Roles that come with another of the ticked ones: shown ticked, and cannot be unticked on their own. */
export function impliedRoles(ticked: readonly ItemRole[]): Set<ItemRole> {
  return new Set(ticked.flatMap((role) => [...includedBy(role)]));
}

/** The roles with everything they include, limited to those the record has, in the API's order. */
export function withIncluded(roles: readonly ItemRole[], available: readonly ItemRole[]): ItemRole[] {
  const all = new Set([...roles, ...impliedRoles(roles)]);
  return available.filter((role) => all.has(role));
}

/** Chosen roles without repeats, in the API's order. */
export function inRoleOrder(roles: Iterable<ItemRole>): ItemRole[] {
  const chosen = new Set(roles);
  return ALL_ROLES.filter((role) => chosen.has(role));
}

/** "View metadata, Edit metadata", or "No access". */
export function describeRoles(roles: readonly ItemRole[]): string {
  return roles.length ? inRoleOrder(roles).map((role) => ROLE_TEXT[role].label).join(', ') : 'No access';
}
