// Reading a subtype's JSON Schema (as GET /subtypes serves it) without knowing any subtype:
// the root's properties are at the top level, nested objects live in `$defs`, and the markers
// `x-ref-subtype` and `x-clone-reset` sit on the properties they concern.

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema a node stands for: a local `$ref` is followed, and keywords beside it (title, markers) win. */
export function resolve(root: JsonObject, node: unknown): JsonObject {
  if (!isObject(node)) return {};
  let current = node;
  const seen = new Set<string>();
  while (typeof current.$ref === 'string' && current.$ref.startsWith('#/') && !seen.has(current.$ref)) {
    seen.add(current.$ref);
    const { $ref, ...beside } = current;
    const target = pointer(root, $ref);
    current = { ...(isObject(target) ? target : {}), ...beside };
  }
  return current;
}

/** The value at a JSON pointer (`#/$defs/A/properties/b`) inside `root`. */
export function pointer(root: JsonObject, ref: string): unknown {
  const segments = ref.replace(/^#\/?/, '').split('/').filter(Boolean);
  let node: unknown = root;
  for (const raw of segments) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as JsonObject)[segment];
  }
  return node;
}

function propertiesOf(schema: JsonObject): JsonObject {
  return isObject(schema.properties) ? schema.properties : {};
}

/** The schema of the field at `path` (object keys and array indexes), or undefined when the form has no such field. */
export function schemaAtPath(root: JsonObject, path: readonly string[]): JsonObject | undefined {
  let node = resolve(root, root);
  for (const segment of path) {
    const properties = propertiesOf(node);
    if (segment in properties) node = resolve(root, properties[segment]);
    else if (/^\d+$/.test(segment) && isObject(node.items)) node = resolve(root, node.items);
    else if (isObject(node.additionalProperties)) node = resolve(root, node.additionalProperties);
    else return undefined;
  }
  return node;
}

/**
 * A clone's starting data: the source's `data`, with every field marked `x-clone-reset` set to
 * the marker's value (e.g. approvals that must be confirmed again for the new record).
 */
export function applyCloneResets(root: JsonObject, data: JsonObject): JsonObject {
  const reset = (schemaNode: unknown, value: unknown): unknown => {
    const schema = resolve(root, schemaNode);
    if (Array.isArray(value)) return isObject(schema.items) ? value.map((entry) => reset(schema.items, entry)) : value;
    if (!isObject(value)) return value;
    const result: JsonObject = { ...value };
    for (const [key, propertyNode] of Object.entries(propertiesOf(schema))) {
      const property = resolve(root, propertyNode);
      if ('x-clone-reset' in property) result[key] = property['x-clone-reset'];
      else if (key in result) result[key] = reset(propertyNode, result[key]);
    }
    return result;
  };
  return reset(root, data) as JsonObject;
}

/** "Defined resources" → "defined resource": how one entry of a list is called in buttons and labels. */
export function entryNoun(listTitle: string | undefined): string {
  if (!listTitle) return 'entry';
  const singular = /[^s]s$/.test(listTitle) ? listTitle.slice(0, -1) : listTitle;
  // Lower-case the first letter unless the word is an acronym (ORCID…).
  return /^[A-Z][a-z]/.test(singular) ? singular[0]!.toLowerCase() + singular.slice(1) : singular;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The server's ui_schema, completed from the schema's markers: ref fields get the record picker
 * widget, and entries of lists are labelled "Keyword 1", "Defined resource 2"…
 */
export function prepareUiSchema(root: JsonObject, uiSchema: JsonObject, pickerWidget: string): JsonObject {
  const visit = (schemaNode: unknown, ui: JsonObject): JsonObject => {
    const schema = resolve(root, schemaNode);
    const result: JsonObject = { ...ui };
    if (typeof schema['x-ref-subtype'] === 'string') result['ui:widget'] = pickerWidget;
    for (const [key, propertyNode] of Object.entries(propertiesOf(schema))) {
      const childUi = visit(propertyNode, isObject(ui[key]) ? ui[key] : {});
      if (Object.keys(childUi).length > 0) result[key] = childUi;
    }
    if (isObject(schema.items)) {
      const itemUi = visit(schema.items, isObject(ui.items) ? ui.items : {});
      const noun = capitalise(entryNoun(typeof schema.title === 'string' ? schema.title : undefined));
      result.items = (_item: unknown, index: number) => ({ ...itemUi, 'ui:title': `${noun} ${index + 1}` });
    }
    return result;
  };
  return visit(root, uiSchema);
}
