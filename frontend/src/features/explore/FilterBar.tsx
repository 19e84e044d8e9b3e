import { useEffect, useEffectEvent, useState, type KeyboardEvent } from 'react';
import { SUBTYPES, subtypeLabel } from '../items/subtypes.ts';
import { isFiltered, SORTS, type ExploreFilters, type UpdateFilters } from './filters.ts';

const SEARCH_DELAY_MS = 300;

interface FilterBarProps {
  filters: ExploreFilters;
  onChange: UpdateFilters;
  onClear: () => void;
  /** The search landmark's name. */
  label?: string;
  /** Off for a list fixed to one subtype (the datastore's datasets). */
  subtypeFilter?: boolean;
}

export function FilterBar({ filters, onChange, onClear, label = 'Records', subtypeFilter = true }: FilterBarProps) {
  const known = SUBTYPES.some((subtype) => subtype.subtype === filters.subtype);
  return (
    <form role="search" aria-label={label} className="explore-filters" onSubmit={(event) => event.preventDefault()}>
      <SearchBox value={filters.q} onSearch={(q) => onChange({ q }, { replace: true })} />
      {subtypeFilter && (
        <label className="field explore-filters__field">
          <span className="field__label">Subtype</span>
          <select value={filters.subtype} onChange={(event) => onChange({ subtype: event.target.value })}>
            <option value="">All subtypes</option>
            {SUBTYPES.map((subtype) => (
              <option key={subtype.subtype} value={subtype.subtype}>
                {subtype.label}
              </option>
            ))}
            {/* A subtype in the address that this app does not know stays shown as chosen. */}
            {filters.subtype && !known && <option value={filters.subtype}>{subtypeLabel(filters.subtype)}</option>}
          </select>
        </label>
      )}
      <label className="field explore-filters__field">
        <span className="field__label">Sort</span>
        <select value={filters.sort} onChange={(event) => onChange({ sort: event.target.value as ExploreFilters['sort'] })}>
          {SORTS.map((sort) => (
            <option key={sort.value} value={sort.value}>
              {sort.label}
            </option>
          ))}
        </select>
      </label>
      <label className="explore-filters__mine">
        <input type="checkbox" checked={filters.mine} onChange={(event) => onChange({ mine: event.target.checked })} />
        Only mine
      </label>
      {isFiltered(filters) && (
        <button type="button" className="button button--quiet explore-filters__clear" onClick={onClear}>
          Clear filters
        </button>
      )}
    </form>
  );
}

/** The search text: sent ~300 ms after the last keystroke, or at once on Enter. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  const [applied, setApplied] = useState(value);
  // The address changed from elsewhere (Back, Clear filters): show what it says.
  if (value !== applied) {
    setApplied(value);
    setText(value);
  }
  const search = useEffectEvent((q: string) => onSearch(q));
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => search(text), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, value]);

  function searchNow(event: KeyboardEvent) {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    if (text !== value) onSearch(text);
  }

  return (
    <label className="field explore-filters__search">
      <span className="field__label">Search</span>
      <input
        type="search"
        value={text}
        maxLength={256}
        placeholder="Name or any text"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={searchNow}
      />
    </label>
  );
}
