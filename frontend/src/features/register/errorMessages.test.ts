import type { RJSFSchema } from '@rjsf/utils';
import { describe, expect, test } from 'vitest';
import { plainLanguageErrors } from './errorMessages.ts';
import { subtypesFixture } from './subtypes.fixture.ts';
import { formValidation } from './validation.ts';

// The validators the form uses: precompiled from the schemas (scripts/compile-validators.mjs).
function messages(name: string, data: Record<string, unknown>) {
  const subtype = subtypesFixture.find((candidate) => candidate.subtype === name)!;
  const { validator, available } = formValidation(subtype, () => {
    throw new Error('the precompiled validator failed');
  });
  expect(available).toBe(true);
  const schema = subtype.json_schema;
  const { errors } = validator.validateFormData(data, schema as RJSFSchema, undefined, plainLanguageErrors(schema));
  return errors.map((error) => [error.property, error.message]);
}

describe('plain-language validation messages', () => {
  test('required fields', () => {
    expect(messages('STUDY', { display_name: 'S', title: 'T' })).toEqual([['description', 'This field is required']]);
  });

  test('a bad URL gives one message, not a pattern and a format error, and no regex', () => {
    const result = messages('MODEL', { display_name: 'M', name: 'n', description: 'd', documentation_url: 'nope', source_url: 'https://example.org' });
    expect(result).toEqual([['.documentation_url', 'Enter a full web address starting with https://']]);
  });

  test('dates, e-mail addresses, lengths, patterns', () => {
    const long = 'x'.repeat(257);
    expect(messages('PERSON', { display_name: long, first_name: 'a', last_name: 'b', email: 'no', ethics_approved: true, orcid: 'x' })).toEqual([
      ['.display_name', 'Use at most 256 characters'],
      ['.email', 'Enter an e-mail address, such as name@example.org'],
      ['.orcid', 'This value is not in the expected format: see the hint for this field'],
    ]);
    const dataset = messages('DATASET', {
      display_name: 'D',
      associations: { organisation_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6' },
      approvals: Object.fromEntries(['ethics_registration', 'ethics_access', 'indigenous_knowledge', 'export_controls'].map((key) => [key, { relevant: false, obtained: false }])),
      dataset_info: {
        name: 'n',
        description: 'd',
        publisher_id: 'not-an-id',
        license: 'https://example.org/l',
        created_date: '2024-13-45',
        published_date: '2024-01-01',
        access_info: { reposited: true },
      },
    });
    expect(dataset).toEqual([
      ['.dataset_info.publisher_id', 'Choose a record from the list'],
      ['.dataset_info.created_date', 'Enter a date as YYYY-MM-DD'],
    ]);
  });

  test('no message ever shows a regex', () => {
    const result = messages('PERSON', { display_name: 'a', first_name: 'a', last_name: 'b', email: 'x@', ethics_approved: true, orcid: 'https://orcid.org/1' });
    for (const [, message] of result) expect(message).not.toMatch(/[\^$\\]|must match/);
  });
});
