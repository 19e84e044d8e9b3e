import { describe, expect, test } from 'vitest';
import { describeRoles, impliedRoles, rolesForSubtype, withIncluded } from './roles.ts';

describe('item roles', () => {
  test('data roles only on datasets', () => {
    expect(rolesForSubtype('MODEL')).toEqual(['metadata-read', 'metadata-write', 'admin']);
    expect(rolesForSubtype('DATASET')).toEqual(['metadata-read', 'metadata-write', 'dataset-data-read', 'dataset-data-write', 'admin']);
  });

  test('each role brings what it includes, limited to the record’s roles, in the API’s order', () => {
    const dataset = rolesForSubtype('DATASET');
    expect(withIncluded(['dataset-data-write'], dataset)).toEqual(['metadata-read', 'dataset-data-read', 'dataset-data-write']);
    expect(withIncluded(['admin'], rolesForSubtype('MODEL'))).toEqual(['metadata-read', 'metadata-write', 'admin']);
    expect(withIncluded([], dataset)).toEqual([]);
  });

  test('roles included by another ticked role', () => {
    expect([...impliedRoles(['metadata-write'])]).toEqual(['metadata-read']);
    expect(impliedRoles(['metadata-read']).size).toBe(0);
  });

  test('roles in words', () => {
    expect(describeRoles(['metadata-write', 'metadata-read'])).toBe('View metadata, Edit metadata');
    expect(describeRoles([])).toBe('No access');
  });
});
