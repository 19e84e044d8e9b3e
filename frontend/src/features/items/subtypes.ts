// The record types (subtypes) with their form schemas: the server's GET /subtypes answer as checked in
// with the app (src/api/subtypes.json, written by `make api-types` and kept equal to the server's by a
// backend test; the form validators are compiled from it too). Read from the bundle rather than fetched,
// so no page waits for it: a clone address opened directly needs the record and nothing else.
import checkedIn from '../../api/subtypes.json';
import type { SubtypeInfo } from './api.ts';
import { humanize } from './schema.ts';

export const SUBTYPES: readonly SubtypeInfo[] = checkedIn as SubtypeInfo[];

export function findSubtype(name: string | undefined): SubtypeInfo | undefined {
  return SUBTYPES.find((subtype) => subtype.subtype === name);
}

/** The subtype's label; for a name this app does not know, a readable form of the name. */
export function subtypeLabel(name: string): string {
  return findSubtype(name)?.label ?? humanize(name);
}
