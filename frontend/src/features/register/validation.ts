// Client-side checks for a subtype's form, without compiling code in the browser: the server's
// Content-Security-Policy (script-src 'self') forbids the `new Function` Ajv compiles schemas with, so
// scripts/compile-validators.mjs compiles them ahead of time from src/api/subtypes.json.
import type { RJSFSchema, ValidatorType } from '@rjsf/utils';
import { createPrecompiledValidator } from '@rjsf/validator-ajv8';
import type { SubtypeInfo } from '../items/api.ts';
import type { FormData } from './api.ts';
import { precompiledValidators } from './generated/index.js';

type FormValidator = ValidatorType<FormData>;

/** Finds nothing wrong: for when this page cannot check a form itself. The server checks every submit. */
const serverOnly: FormValidator = {
  validateFormData: () => ({ errors: [], errorSchema: {} }),
  isValid: () => true,
  rawValidation: () => ({}),
};

export interface FormValidation {
  validator: FormValidator;
  /** False when this page cannot check the form: its validators were compiled from other schemas than the form's. */
  available: boolean;
}

/**
 * The subtype's precompiled validator. RJSF finds it by a hash of the whole schema, so a schema that
 * differs from the one the validators were compiled from (generated/ older than src/api/subtypes.json) has
 * none: the form is then checked by the server alone. Should a check fail later all the same, `onUnavailable`
 * is called and the form goes on as if unchecked, rather than breaking.
 */
export function formValidation(subtype: SubtypeInfo, onUnavailable: () => void): FormValidation {
  const validateFns = precompiledValidators[subtype.subtype];
  if (!validateFns) return { validator: serverOnly, available: false };
  let precompiled: FormValidator;
  try {
    precompiled = createPrecompiledValidator<FormData>(validateFns, subtype.json_schema as RJSFSchema);
  } catch {
    return { validator: serverOnly, available: false };
  }

  let failed = false;
  function attempt<R>(check: () => R, fallback: () => R): R {
    if (failed) return fallback();
    try {
      return check();
    } catch (error) {
      failed = true;
      // Not expected with matching schemas: say why for whoever looks into it.
      console.error('The form’s precompiled validator failed; the server checks the data instead.', error);
      onUnavailable();
      return fallback();
    }
  }
  const validator: FormValidator = {
    validateFormData: (...args) => attempt(() => precompiled.validateFormData(...args), () => serverOnly.validateFormData(...args)),
    isValid: (...args) => attempt(() => precompiled.isValid(...args), () => serverOnly.isValid(...args)),
    rawValidation: (...args) => attempt(() => precompiled.rawValidation(...args), () => serverOnly.rawValidation(...args)),
  };
  return { validator, available: true };
}
