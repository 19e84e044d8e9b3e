// RJSF templates drawn with the design system: labelled fields, grouped sections, and list and
// name/value buttons that say what they do (RJSF's own buttons are Bootstrap icons, blank here).
import type {
  ArrayFieldItemTemplateProps,
  ArrayFieldTemplateProps,
  DescriptionFieldProps,
  FieldErrorProps,
  FieldHelpProps,
  FieldTemplateProps,
  IconButtonProps,
  ObjectFieldTemplateProps,
  SubmitButtonProps,
  TemplatesType,
  TitleFieldProps,
  WrapIfAdditionalTemplateProps,
} from '@rjsf/utils';
import { ADDITIONAL_PROPERTY_FLAG, canExpand, descriptionId, errorId, getUiOptions, helpId, titleId } from '@rjsf/utils';
import type { ReactNode } from 'react';
import type { FormData } from './api.ts';
import { entryNoun } from './schemaWalk.ts';

function FieldTemplate(props: FieldTemplateProps<FormData>) {
  const { id, label, children, errors, help, description, rawDescription, hidden, required, displayLabel, schema, registry } = props;
  if (hidden) return <div hidden>{children}</div>;
  const WrapIfAdditional = registry.templates.WrapIfAdditionalTemplate;
  // The value of a name/value pair: its name has a field of its own beside it.
  const isPairValue = ADDITIONAL_PROPERTY_FLAG in schema;
  const shownLabel = isPairValue ? 'Value' : label;
  return (
    <WrapIfAdditional {...props}>
      {displayLabel && (
        <span className="register-field__label-row">
          <label className="field__label" htmlFor={id}>
            {shownLabel}
          </label>
          {!required && !isPairValue && <span className="register-field__optional">optional</span>}
        </span>
      )}
      {displayLabel && rawDescription && description}
      {children}
      {errors}
      {help}
    </WrapIfAdditional>
  );
}

/** A field, or a name/value pair of a free-form object (such as User metadata). */
function WrapIfAdditionalTemplate(props: WrapIfAdditionalTemplateProps<FormData>) {
  const { id, label, children, schema, disabled, readonly, onKeyRenameBlur, onRemoveProperty, rawErrors, hideError } = props;
  const invalid = !hideError && (rawErrors?.length ?? 0) > 0;
  if (!(ADDITIONAL_PROPERTY_FLAG in schema)) {
    return <div className={`field register-field${invalid ? ' register-field--invalid' : ''}`}>{children}</div>;
  }
  const keyId = `${id}-key`;
  return (
    <div className="register-pair">
      <div className="field register-field">
        <label className="field__label" htmlFor={keyId}>
          Name
        </label>
        <input key={label} id={keyId} type="text" defaultValue={label} onBlur={onKeyRenameBlur} disabled={disabled} readOnly={readonly} />
      </div>
      <div className={`field register-field${invalid ? ' register-field--invalid' : ''}`}>{children}</div>
      <button
        type="button"
        className="button button--quiet register-pair__remove"
        onClick={onRemoveProperty}
        disabled={disabled || readonly}
        aria-label={`Remove the entry ${label}`}
      >
        Remove
      </button>
    </div>
  );
}

function ObjectFieldTemplate(props: ObjectFieldTemplateProps<FormData>) {
  const { title, description, properties, fieldPathId, schema, uiSchema, formData, onAddProperty, disabled, readonly, registry } = props;
  const fields = properties.filter((property) => !property.hidden).map((property) => property.content);
  // The page's heading names the record type already: the root needs no legend of its own.
  if (fieldPathId.path.length === 0) return <div className="register-fields">{fields}</div>;
  const { TitleFieldTemplate, DescriptionFieldTemplate } = registry.templates;
  return (
    <fieldset className="register-group" id={fieldPathId.$id}>
      {title && <TitleFieldTemplate id={titleId(fieldPathId)} title={title} schema={schema} uiSchema={uiSchema} registry={registry} />}
      {description && (
        <DescriptionFieldTemplate id={descriptionId(fieldPathId)} description={description} schema={schema} uiSchema={uiSchema} registry={registry} />
      )}
      {fields}
      {canExpand(schema, uiSchema, formData) && (
        <div className="button-row">
          <button type="button" className="button" onClick={onAddProperty} disabled={disabled || readonly} aria-label={`Add entry to ${title}`}>
            Add entry
          </button>
        </div>
      )}
    </fieldset>
  );
}

function ArrayFieldTemplate(props: ArrayFieldTemplateProps<FormData>) {
  const { title, schema, uiSchema, items, canAdd, onAddClick, disabled, readonly, fieldPathId, registry } = props;
  const uiOptions = getUiOptions(uiSchema);
  const shownTitle = uiOptions.title ?? title;
  const description = uiOptions.description ?? schema.description;
  const { TitleFieldTemplate, DescriptionFieldTemplate } = registry.templates;
  return (
    <fieldset className="register-group register-list" id={fieldPathId.$id}>
      {shownTitle && <TitleFieldTemplate id={titleId(fieldPathId)} title={shownTitle} schema={schema} uiSchema={uiSchema} registry={registry} />}
      {description && (
        <DescriptionFieldTemplate id={descriptionId(fieldPathId)} description={description} schema={schema} uiSchema={uiSchema} registry={registry} />
      )}
      {items.length === 0 ? <p className="muted register-list__empty">None yet.</p> : <div className="register-list__items">{items}</div>}
      {canAdd && (
        <div className="button-row">
          <button type="button" className="button" onClick={onAddClick} disabled={disabled || readonly}>
            Add {entryNoun(shownTitle)}
          </button>
        </div>
      )}
    </fieldset>
  );
}

function ArrayFieldItemTemplate(props: ArrayFieldItemTemplateProps<FormData>) {
  const { children, buttonsProps, hasToolbar, uiSchema, schema, index, disabled, readonly } = props;
  const { hasMoveUp, hasMoveDown, hasRemove, onMoveUpItem, onMoveDownItem, onRemoveItem } = buttonsProps;
  const itemName = getUiOptions(uiSchema).title ?? `entry ${index + 1}`;
  const off = disabled || readonly;
  return (
    <div className={`register-list__item${schema.type === 'object' || schema.type === 'array' ? '' : ' register-list__item--inline'}`}>
      <div className="register-list__content">{children}</div>
      {hasToolbar && (
        <div className="button-row register-list__tools">
          {(hasMoveUp || hasMoveDown) && (
            <>
              <button type="button" className="button button--quiet" onClick={onMoveUpItem} disabled={off || !hasMoveUp} aria-label={`Move up ${itemName}`}>
                Move up
              </button>
              <button type="button" className="button button--quiet" onClick={onMoveDownItem} disabled={off || !hasMoveDown} aria-label={`Move down ${itemName}`}>
                Move down
              </button>
            </>
          )}
          {hasRemove && (
            <button type="button" className="button button--quiet" onClick={onRemoveItem} disabled={off} aria-label={`Remove ${itemName}`}>
              Remove
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function TitleFieldTemplate({ id, title }: TitleFieldProps<FormData>) {
  return (
    <legend id={id} className="register-group__title">
      {title}
    </legend>
  );
}

function DescriptionFieldTemplate({ id, description }: DescriptionFieldProps<FormData>) {
  return (
    <p id={id} className="field__help">
      {description}
    </p>
  );
}

function FieldErrorTemplate({ errors, fieldPathId }: FieldErrorProps<FormData>) {
  const shown = (errors ?? []).filter(Boolean);
  if (shown.length === 0) return null;
  return (
    <ul id={errorId(fieldPathId)} className="field__error register-field__errors">
      {shown.map((error, index) => (
        <li key={index}>{error}</li>
      ))}
    </ul>
  );
}

function FieldHelpTemplate({ help, fieldPathId }: FieldHelpProps<FormData>) {
  if (!help) return null;
  return (
    <p id={helpId(fieldPathId)} className="field__help">
      {help}
    </p>
  );
}

/** RJSF's remaining buttons (used by widgets we do not replace), with words instead of icons. */
function textButton(text: string) {
  return function TextButton({ iconType: _iconType, icon: _icon, uiSchema: _uiSchema, registry: _registry, className: _className, ...rest }: IconButtonProps<FormData>) {
    return (
      <button type="button" className="button button--quiet" {...rest}>
        {text}
      </button>
    );
  };
}

function SubmitButton(_props: SubmitButtonProps<FormData>): ReactNode {
  // The pages render their own Submit and Cancel buttons as the form's children.
  return null;
}

export const templates: Partial<Omit<TemplatesType<FormData>, 'ButtonTemplates'>> & {
  ButtonTemplates?: Partial<TemplatesType<FormData>['ButtonTemplates']>;
} = {
  FieldTemplate,
  WrapIfAdditionalTemplate,
  ObjectFieldTemplate,
  ArrayFieldTemplate,
  ArrayFieldItemTemplate,
  TitleFieldTemplate,
  DescriptionFieldTemplate,
  FieldErrorTemplate,
  FieldHelpTemplate,
  ButtonTemplates: {
    AddButton: textButton('Add'),
    RemoveButton: textButton('Remove'),
    MoveUpButton: textButton('Move up'),
    MoveDownButton: textButton('Move down'),
    CopyButton: textButton('Copy'),
    ClearButton: textButton('Clear'),
    SubmitButton,
  },
};
