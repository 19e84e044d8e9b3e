import { describe, expect, test } from 'vitest';
import { applyCloneResets, entryNoun, prepareUiSchema, schemaAtPath, type JsonObject } from './schemaWalk.ts';
import { subtypesFixture } from './subtypes.fixture.ts';

function schemaOf(name: string): JsonObject {
  const subtype = subtypesFixture.find((candidate) => candidate.subtype === name);
  if (!subtype) throw new Error(name);
  return subtype.json_schema;
}

const approval = { relevant: true, obtained: true };

describe('applyCloneResets', () => {
  test('PERSON ethics_approved becomes false; everything else is copied as is', () => {
    const data = { display_name: 'Ada', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.org', ethics_approved: true, user_metadata: { a: 'b' } };
    expect(applyCloneResets(schemaOf('PERSON'), data)).toEqual({ ...data, ethics_approved: false });
  });

  test('DATASET approvals.*.obtained become false, found through $defs and $ref', () => {
    const data = {
      display_name: 'D',
      approvals: { ethics_registration: approval, ethics_access: approval, indigenous_knowledge: approval, export_controls: approval },
      dataset_info: { access_info: { reposited: true }, keywords: ['k'] },
    };
    const result = applyCloneResets(schemaOf('DATASET'), data);
    expect(result.approvals).toEqual({
      ethics_registration: { relevant: true, obtained: false },
      ethics_access: { relevant: true, obtained: false },
      indigenous_knowledge: { relevant: true, obtained: false },
      export_controls: { relevant: true, obtained: false },
    });
    expect(result.dataset_info).toEqual(data.dataset_info);
  });

  test('the source data is not changed', () => {
    const data = { display_name: 'Ada', ethics_approved: true };
    applyCloneResets(schemaOf('PERSON'), data);
    expect(data.ethics_approved).toBe(true);
  });

  test('markers inside list entries apply to every entry', () => {
    const schema = {
      type: 'object',
      properties: { rows: { type: 'array', items: { $ref: '#/$defs/Row' } } },
      $defs: { Row: { type: 'object', properties: { ok: { type: 'boolean', 'x-clone-reset': false }, name: { type: 'string' } } } },
    };
    expect(applyCloneResets(schema, { rows: [{ ok: true, name: 'a' }, { ok: true, name: 'b' }] })).toEqual({
      rows: [
        { ok: false, name: 'a' },
        { ok: false, name: 'b' },
      ],
    });
  });
});

describe('schemaAtPath', () => {
  test('finds nested, listed and free-form fields', () => {
    expect(schemaAtPath(schemaOf('DATASET'), ['dataset_info', 'license'])?.title).toBe('Licence');
    expect(schemaAtPath(schemaOf('DATASET_TEMPLATE'), ['defined_resources', '0', 'path'])?.title).toBe('Path');
    expect(schemaAtPath(schemaOf('PERSON'), ['user_metadata', 'anything'])?.type).toBe('string');
  });

  test('says when the form has no such field', () => {
    expect(schemaAtPath(schemaOf('PERSON'), ['colour'])).toBeUndefined();
    expect(schemaAtPath(schemaOf('DATASET'), ['dataset_info', 'license', 'x'])).toBeUndefined();
  });
});

describe('prepareUiSchema', () => {
  test('every ref field gets the picker, wherever it is', () => {
    const ui = prepareUiSchema(schemaOf('DATASET'), {}, 'Picker') as Record<string, Record<string, Record<string, unknown>>>;
    expect(ui.associations!.organisation_id!['ui:widget']).toBe('Picker');
    expect(ui.associations!.data_custodian_id!['ui:widget']).toBe('Picker');
    expect(ui.dataset_info!.publisher_id!['ui:widget']).toBe('Picker');
    expect(ui.associations!.point_of_contact).toBeUndefined();
  });

  test('list entries are numbered and keep the server hints', () => {
    const subtype = subtypesFixture.find((candidate) => candidate.subtype === 'MODEL_RUN_WORKFLOW_TEMPLATE')!;
    const ui = prepareUiSchema(subtype.json_schema, subtype.ui_schema, 'Picker');
    const items = (ui.input_templates as { items: (item: unknown, index: number) => Record<string, unknown> }).items;
    const second = items({}, 1);
    expect(second['ui:title']).toBe('Input dataset template 2');
    expect(second['ui:order']).toEqual(['template_id', 'optional']);
    expect((second.template_id as Record<string, unknown>)['ui:widget']).toBe('Picker');
    expect(ui['ui:order']).toEqual(subtype.ui_schema['ui:order']);
  });

  test('entry nouns', () => {
    expect(entryNoun('Keywords')).toBe('keyword');
    expect(entryNoun('Defined resources')).toBe('defined resource');
    expect(entryNoun('ORCID iDs')).toBe('ORCID iD');
    expect(entryNoun(undefined)).toBe('entry');
  });
});
