// The widget of every ref field (a schema property with `x-ref-subtype`): a combobox that searches
// records of that subtype by name and stores the chosen record's id. Never a bare UUID box.
import type { WidgetProps } from '@rjsf/utils';
import { ariaDescribedByIds } from '@rjsf/utils';
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { describeError, type Schemas } from '../../api/client.ts';
import { useItem } from '../items/api.ts';
import { findSubtype } from '../items/subtypes.ts';
import { PICKER_PAGE_SIZE, useRecordSearch, type FormData } from './api.ts';

type Summary = Schemas['Summary'];

const SEARCH_DELAY_MS = 250;

function useDebounced<T>(value: T, delay: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}

/** The chosen record's display name, for a value the form started with (a clone, an edit). */
type ChoiceName = { id: string; name: string | null };

function ChoiceNameLoader({ id, onLoaded }: { id: string; onLoaded: (choice: ChoiceName) => void }) {
  const item = useItem(id);
  const name = item.data ? String(item.data.data.display_name ?? '') : item.isError ? null : undefined;
  useEffect(() => {
    if (name !== undefined) onLoaded({ id, name });
  }, [id, name, onLoaded]);
  return null;
}

export function RecordPickerWidget(props: WidgetProps<FormData>) {
  const { id, value, required, disabled, readonly, autofocus, onChange, onBlur, onFocus, schema, rawErrors, placeholder } = props;
  const subtype = String(schema['x-ref-subtype']);
  const subtypeLabel = findSubtype(subtype)?.label.toLowerCase() ?? 'record';
  const chosenId = typeof value === 'string' && value !== '' ? value : undefined;

  const [choice, setChoice] = useState<ChoiceName | null>(null);
  const [text, setText] = useState('');
  const [editing, setEditing] = useState(false);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const query = useDebounced(text.trim(), SEARCH_DELAY_MS);
  const search = useRecordSearch(subtype, editing ? query : '', open);
  const results: Summary[] = search.data?.items ?? [];
  const listId = `${id}__listbox`;
  const statusId = useId();

  const knownName = choice && choice.id === chosenId ? choice.name : undefined;
  const shownText = editing ? text : chosenId ? (knownName ?? (knownName === null ? 'A record you cannot open' : '')) : '';
  const off = disabled || readonly;

  function choose(record: Summary) {
    setChoice({ id: record.id, name: record.display_name });
    setEditing(false);
    setOpen(false);
    setActive(-1);
    onChange(record.id);
  }

  function clear() {
    setChoice(null);
    setText('');
    setEditing(false);
    setOpen(false);
    onChange(undefined);
  }

  function close() {
    setOpen(false);
    setActive(-1);
    setEditing(false);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) setOpen(true);
        else setActive((index) => Math.min(index + 1, results.length - 1));
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (open) setActive((index) => Math.max(index - 1, 0));
        break;
      case 'Enter':
        // Enter picks the highlighted record; it never submits the form from an open list.
        if (open) {
          event.preventDefault();
          const record = results[active];
          if (record) choose(record);
        }
        break;
      case 'Escape':
        if (open || editing) {
          event.preventDefault();
          close();
        }
        break;
    }
  }

  const status = !open
    ? ''
    : search.isError
      ? `The search failed: ${describeError(search.error)}`
      : search.isPending
        ? 'Searching…'
        : results.length === 0
          ? editing && query
            ? `No ${subtypeLabel} matches “${query}”.`
            : `There is no ${subtypeLabel} you can choose yet.`
          : `${results.length} ${results.length === 1 ? 'result' : 'results'}${results.length === PICKER_PAGE_SIZE ? ', type to narrow the search' : ''}.`;

  return (
    <div className="register-picker">
      {chosenId && (!choice || choice.id !== chosenId) && <ChoiceNameLoader id={chosenId} onLoaded={setChoice} />}
      <div className="register-picker__control">
        <input
          id={id}
          name={id}
          type="text"
          role="combobox"
          className="register-picker__input"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
          aria-describedby={`${ariaDescribedByIds(id)} ${statusId}`}
          aria-invalid={(rawErrors?.length ?? 0) > 0 || undefined}
          aria-required={required || undefined}
          placeholder={chosenId && knownName === undefined ? 'Loading the current choice…' : (placeholder || 'Search by name')}
          value={shownText}
          disabled={off}
          autoFocus={autofocus}
          onChange={(event) => {
            setText(event.target.value);
            setEditing(true);
            setOpen(true);
            setActive(-1);
          }}
          onClick={() => !off && setOpen(true)}
          onKeyDown={onKeyDown}
          onFocus={() => onFocus(id, value)}
          onBlur={() => {
            // Typing without choosing does not change the choice, except clearing the box.
            if (editing && text.trim() === '' && chosenId) clear();
            close();
            onBlur(id, value);
          }}
        />
        {chosenId && !off && (
          <button
            type="button"
            className="button button--quiet register-picker__clear"
            aria-label={`Clear the chosen ${subtypeLabel}`}
            onClick={() => {
              clear();
              document.getElementById(id)?.focus();
            }}
          >
            Clear
          </button>
        )}
      </div>
      <ul id={listId} role="listbox" className="register-picker__list" hidden={!open || results.length === 0} aria-label={`Matching ${subtypeLabel} records`}>
        {results.map((record, index) => (
          <li
            key={record.id}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className={`register-picker__option${index === active ? ' register-picker__option--active' : ''}`}
            // Keep the focus in the box, so the blur handler does not close the list before the click.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => choose(record)}
          >
            <span>{record.display_name}</span> <span className="muted register-picker__owner">owned by {record.owner}</span>
          </li>
        ))}
      </ul>
      <p id={statusId} className={open && status && (results.length === 0 || search.isError) ? 'field__help register-picker__status' : 'visually-hidden'} aria-live="polite">
        {status}
      </p>
    </div>
  );
}
