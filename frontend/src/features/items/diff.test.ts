import { describe, expect, test } from 'vitest';
import { diffData, flatten } from './diff.ts';
import { asSchema } from './schema.ts';
import { subtype } from './testing/fixtures.ts';

const datasetSchema = asSchema(subtype('DATASET').json_schema);
const templateSchema = asSchema(subtype('DATASET_TEMPLATE').json_schema);

describe('flatten', () => {
  test('walks objects and lists of objects to their leaves; a list of plain values is one leaf', () => {
    expect(
      flatten({
        a: 'x',
        nested: { b: true, c: { d: 1 } },
        rows: [{ path: 'p1' }, { path: 'p2' }],
        keywords: ['rain', 'snow'],
      }),
    ).toEqual([
      { path: ['a'], value: 'x' },
      { path: ['nested', 'b'], value: true },
      { path: ['nested', 'c', 'd'], value: 1 },
      { path: ['rows', 0, 'path'], value: 'p1' },
      { path: ['rows', 1, 'path'], value: 'p2' },
      { path: ['keywords'], value: ['rain', 'snow'] },
    ]);
  });

  test('empty lists and objects have no leaves', () => {
    expect(flatten({ keywords: [], user_metadata: {} })).toEqual([]);
  });
});

describe('diffData', () => {
  test('no change, no entries', () => {
    const data = { display_name: 'A', nested: { list: [{ x: 1 }] } };
    expect(diffData(data, structuredClone(data))).toEqual([]);
  });

  test('added, removed and changed fields with old and new values, labelled with schema titles', () => {
    const before = {
      display_name: 'Rainfall',
      associations: { organisation_id: 'org-1', point_of_contact: 'Ada' },
      dataset_info: { name: 'Rainfall', access_info: { reposited: true }, keywords: ['rain'] },
    };
    const after = {
      display_name: 'Rainfall 2024',
      associations: { organisation_id: 'org-1', data_custodian_id: 'person-1' },
      dataset_info: { name: 'Rainfall', access_info: { reposited: false, uri: 'https://example.org' }, keywords: ['rain', 'daily'] },
    };
    expect(diffData(before, after, datasetSchema)).toEqual([
      { kind: 'changed', path: ['display_name'], label: 'Display name', before: 'Rainfall', after: 'Rainfall 2024' },
      { kind: 'added', path: ['associations', 'data_custodian_id'], label: 'Associations › Data custodian', after: 'person-1' },
      {
        kind: 'changed',
        path: ['dataset_info', 'access_info', 'reposited'],
        label: 'Dataset information › Access information › Data reposited in the Registry',
        before: true,
        after: false,
      },
      {
        kind: 'added',
        path: ['dataset_info', 'access_info', 'uri'],
        label: 'Dataset information › Access information › Access address',
        after: 'https://example.org',
      },
      {
        kind: 'changed',
        path: ['dataset_info', 'keywords'],
        label: 'Dataset information › Keywords',
        before: ['rain'],
        after: ['rain', 'daily'],
      },
      { kind: 'removed', path: ['associations', 'point_of_contact'], label: 'Associations › Point of contact', before: 'Ada' },
    ]);
  });

  test('entries of lists of objects are compared by position and numbered from 1', () => {
    const before = { defined_resources: [{ path: 'a.nc', description: 'A', usage_type: 'FORCING_DATA' }] };
    const after = {
      defined_resources: [
        { path: 'a.nc', description: 'A, daily', usage_type: 'FORCING_DATA' },
        { path: 'b.nc', description: 'B', usage_type: 'CONFIG_FILE' },
      ],
    };
    expect(diffData(before, after, templateSchema).map(({ kind, label }) => [kind, label])).toEqual([
      ['changed', 'Defined resources #1 › Description'],
      ['added', 'Defined resources #2 › Path'],
      ['added', 'Defined resources #2 › Description'],
      ['added', 'Defined resources #2 › Usage type'],
    ]);
  });

  test('map keys are the user’s own words, dots included, and stay distinct from nesting', () => {
    const before = { user_metadata: { 'a.b': '1' }, display_name: 'X' };
    const after = { user_metadata: { 'a.b': '2', a: '3' }, display_name: 'X' };
    expect(diffData(before, after, templateSchema)).toEqual([
      { kind: 'changed', path: ['user_metadata', 'a.b'], label: 'User metadata › a.b', before: '1', after: '2' },
      { kind: 'added', path: ['user_metadata', 'a'], label: 'User metadata › a', after: '3' },
    ]);
  });

  test('an optional list left out equals an empty one', () => {
    expect(diffData({ display_name: 'X' }, { display_name: 'X', defined_resources: [], user_metadata: {} }, templateSchema)).toEqual([]);
  });

  test('without a schema, keys are turned into words', () => {
    expect(diffData({ some_field: 1 }, {})).toEqual([{ kind: 'removed', path: ['some_field'], label: 'Some field', before: 1 }]);
  });
});
