// Where a 422's errors are shown: `data.…` errors at their field in the form, all others in the
// alert above it. Pure functions, so the mapping is tested without rendering anything.
import type { ErrorSchema } from '@rjsf/utils';
import type { FieldError } from '../../api/client.ts';
import { isObject, type JsonObject } from './schemaWalk.ts';

export interface SplitErrors {
  /** RJSF `extraErrors`: `data.a.0.b` → `{ a: { 0: { b: { __errors: [message] } } } }`. */
  atFields: ErrorSchema<JsonObject>;
  /** Everything the form has no field for: envelope fields, headers, unknown paths. */
  general: FieldError[];
}

/** The path inside `data` that a server error names, or null when it is not about a form field. */
export function dataPath(field: string): string[] | null {
  if (!field.startsWith('data.')) return null;
  const path = field.slice('data.'.length).split('.');
  return path.every((segment) => segment.length > 0) ? path : null;
}

/**
 * Split a problem document's `errors[]`. `isField(path)` says whether the form shows a field at
 * that path (an error about an unknown field would otherwise vanish, so it goes to the alert).
 */
export function splitServerErrors(errors: readonly FieldError[], isField: (path: string[]) => boolean = () => true): SplitErrors {
  const atFields: JsonObject = {};
  const general: FieldError[] = [];
  for (const error of errors) {
    const path = dataPath(error.field);
    if (!path || !isField(path)) {
      general.push(error);
      continue;
    }
    let node = atFields;
    for (const segment of path) {
      if (!isObject(node[segment])) node[segment] = {};
      node = node[segment] as JsonObject;
    }
    const messages = Array.isArray(node.__errors) ? (node.__errors as string[]) : [];
    if (!messages.includes(error.message)) node.__errors = [...messages, error.message];
  }
  return { atFields: atFields as ErrorSchema<JsonObject>, general };
}

function valueAt(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const segment of path) node = isObject(node) || Array.isArray(node) ? (node as JsonObject)[segment] : undefined;
  return node;
}

/**
 * The server's field errors that still apply: an error stays at its field until the person
 * changes that field's value, so a corrected field stops showing the old complaint.
 */
export function standingFieldErrors(errors: readonly FieldError[], submitted: unknown, current: unknown): FieldError[] {
  return errors.filter((error) => {
    const path = dataPath(error.field);
    if (!path) return true;
    return JSON.stringify(valueAt(submitted, path)) === JSON.stringify(valueAt(current, path));
  });
}
