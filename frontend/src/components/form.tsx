// Small form helpers for hand-written forms (admin, account): a labelled field with help and error
// text, and the mapping of a server answer onto the form (422 errors at their fields, 409 at the
// taken name).
import { useId, type ChangeEvent, type ReactNode, type Ref } from 'react';
import { ApiError, describeError } from '../api/client.ts';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

export interface FormErrors<F extends string> {
  fields: FieldErrors<F>;
  /** What belongs to no field, shown in an alert above the form. */
  general: string | null;
}

export const NO_ERRORS = { fields: {}, general: null } as const;

interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface FieldProps {
  label: string;
  help?: string;
  error?: string;
  children: (control: ControlProps) => ReactNode;
}

export function Field({ label, help, error, children }: FieldProps) {
  const id = useId();
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {help && (
        <span id={helpId} className="field__help">
          {help}
        </span>
      )}
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': [helpId, errorId].filter(Boolean).join(' ') || undefined })}
      {error && (
        <span id={errorId} className="field__error">
          {error}
        </span>
      )}
    </div>
  );
}

interface PasswordFieldProps {
  label: string;
  name: string;
  /** 'current-password' for the one the user has, 'new-password' for one being set. */
  autoComplete: 'current-password' | 'new-password';
  value: string;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  help?: string;
  error?: string;
  inputRef?: Ref<HTMLInputElement>;
}

/** A password input in a Field, no longer than the server takes. */
export function PasswordField({ label, name, autoComplete, value, onChange, help, error, inputRef }: PasswordFieldProps) {
  return (
    <Field label={label} help={help} error={error}>
      {(control) => (
        <input {...control} ref={inputRef} name={name} type="password" autoComplete={autoComplete} maxLength={1024} value={value} onChange={onChange} />
      )}
    </Field>
  );
}

interface ServerErrorOptions<F extends string> {
  fields: readonly F[];
  /** Where a 409 (name taken) goes, and what it says; forms that create no named thing have none. */
  taken?: { field: F; message: string };
  /** Each field's rule in plain words, shown instead of a technical server message (a regex, a type). */
  rules: FieldErrors<F>;
}

export function serverErrors<F extends string>(error: unknown, { fields, taken, rules }: ServerErrorOptions<F>): FormErrors<F> {
  if (!(error instanceof ApiError) || !(error.status === 422 || (error.status === 409 && taken))) {
    return { fields: {}, general: describeError(error) };
  }
  if (error.status === 409 && taken) return { fields: { [taken.field]: taken.message } as FieldErrors<F>, general: null };
  const atFields: FieldErrors<F> = {};
  const elsewhere: string[] = [];
  for (const { field, message } of error.fieldErrors) {
    if (isOneOf(field, fields)) atFields[field] ??= plainMessage(message, rules[field]);
    else elsewhere.push(message);
  }
  const general = elsewhere.length > 0 || Object.keys(atFields).length === 0 ? [describeError(error), ...elsewhere].join(' ') : null;
  return { fields: atFields, general };
}

function isOneOf<F extends string>(field: string, fields: readonly F[]): field is F {
  return (fields as readonly string[]).includes(field);
}

function plainMessage(message: string, rule: string | undefined): string {
  return rule && /regex|`/.test(message) ? rule : message;
}

/** The first field (in form order) that has an error, to move the focus there. */
export function firstWithError<F extends string>(fields: readonly F[], errors: FieldErrors<F>): F | undefined {
  return fields.find((field) => errors[field]);
}

export function focusField(form: HTMLFormElement | null, name: string | undefined): void {
  if (!form || !name) return;
  const control = form.elements.namedItem(name);
  if (control instanceof HTMLElement) control.focus();
}
