import { describe, expect, test } from 'vitest';
import { dataPath, splitServerErrors, standingFieldErrors } from './serverErrors.ts';

describe('splitServerErrors', () => {
  test('data.* errors go to their field as RJSF extraErrors; the rest to the alert', () => {
    const errors = [
      { field: 'data.dataset_info.license', message: 'Enter a full web address.' },
      { field: 'data.input_templates.0.template_id', message: 'No dataset template with this id.' },
      { field: 'data.input_templates.0.template_id', message: 'No dataset template with this id.' },
      { field: 'Idempotency-Key', message: 'This key was used with another request body.' },
      { field: 'item_subtype', message: 'Unknown subtype.' },
      { field: 'reason', message: 'Give a reason.' },
      { field: 'data', message: 'Expected an object.' },
    ];
    const { atFields, general } = splitServerErrors(errors);
    expect(atFields).toEqual({
      dataset_info: { license: { __errors: ['Enter a full web address.'] } },
      input_templates: { 0: { template_id: { __errors: ['No dataset template with this id.'] } } },
    });
    expect(general.map((error) => error.field)).toEqual(['Idempotency-Key', 'item_subtype', 'reason', 'data']);
  });

  test('two messages for one field are both kept', () => {
    const { atFields } = splitServerErrors([
      { field: 'data.name', message: 'One.' },
      { field: 'data.name', message: 'Two.' },
    ]);
    expect(atFields).toEqual({ name: { __errors: ['One.', 'Two.'] } });
  });

  test('an error about a field the form does not have goes to the alert, not nowhere', () => {
    const { atFields, general } = splitServerErrors([{ field: 'data.colour', message: 'Unknown field.' }], (path) => path[0] !== 'colour');
    expect(atFields).toEqual({});
    expect(general).toEqual([{ field: 'data.colour', message: 'Unknown field.' }]);
  });

  test('data paths', () => {
    expect(dataPath('data.a.0.b')).toEqual(['a', '0', 'b']);
    expect(dataPath('data')).toBeNull();
    expect(dataPath('data.')).toBeNull();
    expect(dataPath('metadata.a')).toBeNull();
  });
});

describe('standingFieldErrors', () => {
  test('an error stays until its field changes', () => {
    const errors = [
      { field: 'data.a', message: 'A.' },
      { field: 'data.b.0', message: 'B.' },
      { field: 'Idempotency-Key', message: 'K.' },
    ];
    const submitted = { a: 'x', b: ['y'] };
    expect(standingFieldErrors(errors, submitted, { a: 'x', b: ['y'] })).toEqual(errors);
    expect(standingFieldErrors(errors, submitted, { a: 'changed', b: ['y'] })).toEqual([errors[1], errors[2]]);
  });
});
