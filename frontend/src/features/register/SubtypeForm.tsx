// The form engine: react-jsonschema-form driven by a subtype's JSON Schema and ui_schema (the checked-in
// GET /subtypes answer, items/subtypes.ts). Loaded only with the register and edit pages, so the
// validators stay out of the first paint.
import Form from '@rjsf/core';
import { englishStringTranslator, TranslatableString, type ErrorSchema, type RJSFSchema, type UiSchema } from '@rjsf/utils';
import { useMemo, useState, type ReactNode } from 'react';
import type { SubtypeInfo } from '../items/api.ts';
import type { FormData } from './api.ts';
import { plainLanguageErrors } from './errorMessages.ts';
import { RecordPickerWidget } from './RecordPicker.tsx';
import { prepareUiSchema } from './schemaWalk.ts';
import { templates } from './templates.tsx';
import { formValidation } from './validation.ts';
import './register.css';

const RECORD_PICKER = 'RecordPicker';
const widgets = { [RECORD_PICKER]: RecordPickerWidget };
// A new name/value entry starts empty, not with RJSF's "New Value" as if someone had typed it.
function translateString(text: TranslatableString, params?: string[]): string {
  return text === TranslatableString.NewStringDefault ? '' : englishStringTranslator(text, params);
}
// Optional objects and lists stay absent until filled in; required ones get their defaults (false, []).
const defaultFormState = { emptyObjectFields: 'populateRequiredDefaults' } as const;

export interface SubtypeFormProps {
  subtype: SubtypeInfo;
  formData: FormData;
  onChange: (data: FormData) => void;
  /** Called only with data the schema accepts. */
  onSubmit: (data: FormData) => void;
  /** Called when a submit is stopped by the schema's rules (the fields show why). */
  onInvalid?: () => void;
  /** The server's complaints, at their fields. */
  serverErrors?: ErrorSchema<FormData>;
  /** Fields outside the schema and the buttons: inside the same <form>. */
  children: ReactNode;
}

export function SubtypeForm({ subtype, formData, onChange, onSubmit, onInvalid, serverErrors, children }: SubtypeFormProps) {
  const schema = subtype.json_schema as RJSFSchema;
  const uiSchema = useMemo(() => prepareUiSchema(subtype.json_schema, subtype.ui_schema, RECORD_PICKER) as UiSchema<FormData>, [subtype]);
  const transformErrors = useMemo(() => plainLanguageErrors(subtype.json_schema), [subtype]);
  // After a first stopped submit, messages follow the person's corrections as they type.
  const [attempted, setAttempted] = useState(false);
  const [checksFailed, setChecksFailed] = useState(false);
  // A check can fail while RJSF renders: report it once that render is over.
  const validation = useMemo(() => formValidation(subtype, () => queueMicrotask(() => setChecksFailed(true))), [subtype]);

  return (
    <>
      {(!validation.available || checksFailed) && <OutOfDateAlert />}
      <Form<FormData>
        className="register-form"
        schema={schema}
        uiSchema={uiSchema}
        validator={validation.validator}
        templates={templates}
        widgets={widgets}
        formData={formData}
        onChange={(event) => onChange(event.formData ?? {})}
        onSubmit={(event) => onSubmit(event.formData ?? {})}
        onError={() => {
          setAttempted(true);
          onInvalid?.();
        }}
        transformErrors={transformErrors}
        translateString={translateString}
        extraErrors={serverErrors}
        liveValidate={attempted ? 'onChange' : undefined}
        experimental_defaultFormStateBehavior={defaultFormState}
        noHtml5Validate
        showErrorList={false}
        focusOnFirstError
      >
        {children}
      </Form>
    </>
  );
}

/** The form's schemas are not the ones its validators were compiled from: the web app and the
 * server are different builds. A reload helps only if the server was updated while the page was open. */
function OutOfDateAlert() {
  return (
    <div className="alert alert--error register-alert" role="alert">
      <p>This form cannot check your entries as you type: the web app and the server are different versions.</p>
      <p>
        You can still submit: the server checks everything and names each field to correct. If the Registry was updated while
        this page was open, reloading it brings the checks back; if not, tell the registry’s operators.
      </p>
      <button type="button" className="button" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}
