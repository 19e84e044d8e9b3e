// A field-level comparison of two revisions' `data`: both are flattened to paths of leaves, then
// compared path by path. Pure, so the history tab only renders what this returns.
import { pathLabel, type SchemaNode, type Segment } from './schema.ts';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface DataChange {
  kind: ChangeKind;
  /** Where in `data`, as segments: map keys (user text) may contain dots, so no joined string is the identity. */
  path: Segment[];
  /** The path in words, from the schema's titles where it has them. */
  label: string;
  before?: unknown;
  after?: unknown;
}

interface Leaf {
  path: Segment[];
  value: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Leaves of a value: objects and lists of objects are walked into; a list of plain values is one
 * leaf (a list of keywords reads better as a whole). Empty lists and objects have no leaves, as an
 * optional list left out means the same as an empty one.
 */
export function flatten(value: unknown, path: Segment[] = []): Leaf[] {
  if (isPlainObject(value)) return Object.entries(value).flatMap(([key, child]) => flatten(child, [...path, key]));
  if (Array.isArray(value)) {
    if (value.length === 0) return [];
    if (value.every(isPlainObject)) return value.flatMap((child, index) => flatten(child, [...path, index]));
  }
  return [{ path, value }];
}

const identity = (path: Segment[]) => JSON.stringify(path);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What changed from `before` to `after`: changed and added fields in `after`'s order, then removed ones. */
export function diffData(before: Record<string, unknown>, after: Record<string, unknown>, schema: SchemaNode = {}): DataChange[] {
  const old = new Map(flatten(before).map((leaf) => [identity(leaf.path), leaf]));
  const changes: DataChange[] = [];
  const seen = new Set<string>();
  for (const leaf of flatten(after)) {
    const key = identity(leaf.path);
    seen.add(key);
    const previous = old.get(key);
    const label = pathLabel(schema, leaf.path);
    if (!previous) changes.push({ kind: 'added', path: leaf.path, label, after: leaf.value });
    else if (!same(previous.value, leaf.value)) changes.push({ kind: 'changed', path: leaf.path, label, before: previous.value, after: leaf.value });
  }
  for (const [key, leaf] of old) {
    if (!seen.has(key)) changes.push({ kind: 'removed', path: leaf.path, label: pathLabel(schema, leaf.path), before: leaf.value });
  }
  return changes;
}
