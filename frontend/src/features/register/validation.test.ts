import type { RJSFSchema } from '@rjsf/utils';
import { describe, expect, test, vi } from 'vitest';
import { subtypesFixture as subtypes } from './subtypes.fixture.ts';
import { formValidation } from './validation.ts';

const study = subtypes.find((candidate) => candidate.subtype === 'STUDY')!;

describe('precompiled form validators', () => {
  test.each(subtypes.map((subtype) => [subtype.subtype, subtype] as const))('%s has one, built from the checked-in schema', (_, subtype) => {
    const onUnavailable = vi.fn();
    const { validator, available } = formValidation(subtype, onUnavailable);
    expect(available).toBe(true);
    const { errors } = validator.validateFormData({}, subtype.json_schema as RJSFSchema);
    expect(errors.map((error) => error.name)).toContain('required');
    expect(onUnavailable).not.toHaveBeenCalled();
  });

  test('valid data passes', () => {
    const { validator } = formValidation(study, vi.fn());
    const { errors } = validator.validateFormData({ display_name: 'S', title: 'T', description: 'D' }, study.json_schema as RJSFSchema);
    expect(errors).toEqual([]);
  });

  test('a schema that differs from the compiled one has none: the server alone checks', () => {
    const changed = { ...study, json_schema: { ...study.json_schema, title: 'Changed' } };
    const onUnavailable = vi.fn();
    const { validator, available } = formValidation(changed, onUnavailable);
    expect(available).toBe(false);
    expect(validator.validateFormData({}, changed.json_schema as RJSFSchema).errors).toEqual([]);
  });

  test('an unknown subtype has none', () => {
    expect(formValidation({ ...study, subtype: 'SPACESHIP' }, vi.fn()).available).toBe(false);
  });

  test('a check that fails later is reported once and lets the data through', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const onUnavailable = vi.fn();
    const { validator } = formValidation(study, onUnavailable);
    const other = { ...(study.json_schema as RJSFSchema), title: 'Not what was compiled' };
    expect(validator.validateFormData({}, other).errors).toEqual([]);
    expect(validator.isValid(other, {}, other)).toBe(true);
    expect(onUnavailable).toHaveBeenCalledTimes(1);
    expect(consoleError).toHaveBeenCalledTimes(1);
  });
});
