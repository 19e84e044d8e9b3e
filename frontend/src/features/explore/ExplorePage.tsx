import { Link } from 'react-router';
import { useHasRole, useMe } from '../auth/api.ts';
import { FilterBar } from './FilterBar.tsx';
import { isFiltered, toParams, useExploreFilters } from './filters.ts';
import { Results } from './Results.tsx';
import './explore.css';

/** The start page: every record the signed-in user may view, searchable, filterable and paged. */
export function ExplorePage() {
  const [filters, updateFilters] = useExploreFilters();
  const username = useMe().data?.username ?? null;
  const canWrite = useHasRole('registry-write');
  const clearFilters = () => updateFilters({ q: '', subtype: '', mine: false });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Explore</h1>
          <p className="lead explore-lead">Find records by name or content, narrow them by subtype, and open one to see its details.</p>
        </div>
        <div className="page-header__actions">
          {canWrite && (
            <Link className="button button--primary" to="/register">
              Register a record
            </Link>
          )}
        </div>
      </div>
      <FilterBar filters={filters} onChange={updateFilters} onClear={clearFilters} />
      <Results params={toParams(filters, username)} filtered={isFiltered(filters)} canWrite={canWrite} onClear={clearFilters} />
    </>
  );
}
