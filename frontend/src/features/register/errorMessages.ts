// Plain-language messages for what the JSON Schema validator finds: never a regex, never a keyword.
import type { RJSFValidationError } from '@rjsf/utils';
import { pointer, type JsonObject, isObject } from './schemaWalk.ts';

const count = new Intl.NumberFormat('en');

function formatMessage(format: string): string | undefined {
  switch (format) {
    case 'uri':
      return 'Enter a full web address starting with https://';
    case 'date':
      return 'Enter a date as YYYY-MM-DD';
    case 'email':
      return 'Enter an e-mail address, such as name@example.org';
    case 'uuid':
      return 'Choose a record from the list';
    default:
      return undefined;
  }
}

/** The schema of the field an error is about: its `schemaPath` without the failing keyword. */
function fieldSchema(root: JsonObject, error: RJSFValidationError): JsonObject {
  const path = error.schemaPath ?? '';
  const node = pointer(root, path.slice(0, path.lastIndexOf('/')));
  return isObject(node) ? node : {};
}

function param(error: RJSFValidationError, name: string): unknown {
  return isObject(error.params) ? error.params[name] : undefined;
}

function limit(error: RJSFValidationError): string {
  return count.format(Number(param(error, 'limit')));
}

export function plainMessage(root: JsonObject, error: RJSFValidationError): string {
  switch (error.name) {
    case 'required':
      return 'This field is required';
    case 'minLength':
      return Number(param(error, 'limit')) <= 1 ? 'This field cannot be empty' : `Use at least ${limit(error)} characters`;
    case 'maxLength':
      return `Use at most ${limit(error)} characters`;
    case 'maxItems':
    case 'maxProperties':
      return `Use at most ${limit(error)} entries`;
    case 'minItems':
    case 'minProperties':
      return `Add at least ${limit(error)} entries`;
    case 'format':
      return formatMessage(String(param(error, 'format'))) ?? 'Check the format of this value';
    case 'pattern': {
      // URL and e-mail fields carry a pattern and a format: both say the same thing.
      const format = fieldSchema(root, error).format;
      return (typeof format === 'string' && formatMessage(format)) || 'This value is not in the expected format: see the hint for this field';
    }
    case 'enum':
      return 'Choose one of the options';
    case 'type':
      return 'Enter a value of the right kind';
    case 'uniqueItems':
      return 'Each entry must be different';
    case 'propertyNames':
      return 'Each name must be between 1 and 4,000 characters';
    case 'additionalProperties':
      return 'This field is not part of the form';
    default:
      return 'This value is not valid';
  }
}

/** RJSF's `transformErrors` for a subtype's schema: reworded, one message per problem and field. */
export function plainLanguageErrors(root: JsonObject) {
  return (errors: RJSFValidationError[]): RJSFValidationError[] => {
    const seen = new Set<string>();
    const result: RJSFValidationError[] = [];
    for (const error of errors) {
      const message = plainMessage(root, error);
      const key = `${error.property ?? ''}\u0000${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result.push({ ...error, message, stack: message });
    }
    return result;
  };
}
