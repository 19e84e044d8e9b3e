// Reading a subtype's JSON Schema and UI schema (from GET /subtypes) to label and order a record's data.
// The server's schemas put the root object's properties at the top level and nested objects in `$defs`.

export interface SchemaNode {
  title?: string;
  description?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
  'x-ref-subtype'?: string;
}

export interface UiNode {
  'ui:order'?: string[];
  'ui:enumNames'?: Record<string, string>;
  'ui:widget'?: string;
  items?: UiNode;
  [key: string]: unknown;
}

export type Segment = string | number;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The server sends schemas as untyped JSON; anything that is not an object reads as "no schema". */
export function asSchema(value: unknown): SchemaNode {
  return isPlainObject(value) ? (value as SchemaNode) : {};
}

export function asUiNode(value: unknown): UiNode {
  return isPlainObject(value) ? (value as UiNode) : {};
}

const MAX_REF_DEPTH = 16;

/** Follow `#/$defs/…` references; keywords beside a `$ref` (its title above all) win over the definition's. */
export function resolve(node: SchemaNode | undefined, root: SchemaNode): SchemaNode {
  let current: SchemaNode = node ?? {};
  for (let depth = 0; current.$ref && depth < MAX_REF_DEPTH; depth++) {
    const { $ref, ...beside } = current;
    const name = $ref.startsWith('#/$defs/') ? decodeURIComponent($ref.slice('#/$defs/'.length)) : undefined;
    const target = name === undefined ? undefined : root.$defs?.[name];
    current = target ? { ...target, ...beside } : beside;
  }
  return current;
}

/** The (resolved) schema of a child: a property, an array entry or a map value. */
export function childSchema(parent: SchemaNode, segment: Segment, root: SchemaNode): SchemaNode | undefined {
  if (typeof segment === 'number') return parent.items ? resolve(parent.items, root) : undefined;
  const property = parent.properties?.[segment];
  if (property) return resolve(property, root);
  if (isPlainObject(parent.additionalProperties)) return resolve(parent.additionalProperties, root);
  return undefined;
}

export function childUi(parent: UiNode | undefined, segment: Segment): UiNode | undefined {
  if (!parent) return undefined;
  const child = typeof segment === 'number' ? parent.items : parent[segment];
  return isPlainObject(child) ? (child as UiNode) : undefined;
}

/** The schema at a path into the data, or undefined where the schema says nothing. */
export function schemaAt(root: SchemaNode, path: readonly Segment[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = resolve(root, root);
  for (const segment of path) {
    if (!node) return undefined;
    node = childSchema(node, segment, root);
  }
  return node;
}

/** "dataset_info" → "Dataset info": a last resort for a field the schema does not describe. */
export function humanize(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1).toLowerCase() : key;
}

export function propertyTitle(parent: SchemaNode, key: string, root: SchemaNode): string {
  const property = parent.properties?.[key];
  return (property && resolve(property, root).title) || humanize(key);
}

/** A readable name for a path: "Defined resources #2 › Path"; map keys (user text) are shown as they are. */
export function pathLabel(root: SchemaNode, path: readonly Segment[]): string {
  const parts: string[] = [];
  let node: SchemaNode | undefined = resolve(root, root);
  for (const segment of path) {
    if (typeof segment === 'number') {
      const last = parts.pop() ?? '';
      parts.push(`${last} #${segment + 1}`.trim());
    } else if (node?.properties?.[segment]) {
      parts.push(propertyTitle(node, segment, root));
    } else if (node && isPlainObject(node.additionalProperties)) {
      parts.push(segment);
    } else {
      parts.push(humanize(segment));
    }
    node = node ? childSchema(node, segment, root) : undefined;
  }
  return parts.join(' › ');
}

/** The keys of `value` to show, in the UI schema's `ui:order`, then the schema's order, then any others. */
export function orderedKeys(value: Record<string, unknown>, schema: SchemaNode, ui: UiNode | undefined): string[] {
  const order = (ui?.['ui:order'] ?? []).filter((key) => key !== '*');
  const candidates = [...order, ...Object.keys(schema.properties ?? {}), ...Object.keys(value)];
  return [...new Set(candidates)].filter((key) => value[key] !== undefined);
}

/** The UI schema node at a path into the data (list entries share their list's `items`). */
export function uiAt(ui: UiNode | undefined, path: readonly Segment[]): UiNode | undefined {
  let node = ui;
  for (const segment of path) node = childUi(node, segment);
  return node;
}
