import { Link } from 'react-router';
import { useHasRole, useMe } from '../auth/api.ts';
import { FilterBar } from '../explore/FilterBar.tsx';
import { isFiltered, toParams, useExploreFilters } from '../explore/filters.ts';
import { Results, type ListWording } from '../explore/Results.tsx';
import { DATASET } from '../items/roles.ts';
import '../explore/explore.css';
import './datastore.css';

const DATASETS: ListWording = {
  one: 'dataset',
  many: 'datasets',
  register: { to: '/register/DATASET', label: 'Register a dataset' },
  emptyHint: 'Datasets you may view will be listed here.',
  noMatchHint: 'Try other words, or clear the filters to see every dataset you may view.',
  showSubtype: false,
};

/** The datastore's start page: the explore list, fixed to datasets; each opens with its files. */
export function DatasetsPage() {
  const [addressFilters, updateFilters] = useExploreFilters();
  // The list is always datasets: a subtype in the address means nothing here.
  const filters = { ...addressFilters, subtype: '' };
  const username = useMe().data?.username ?? null;
  const canWrite = useHasRole('registry-write');
  const clearFilters = () => updateFilters({ q: '', subtype: '', mine: false });
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Datastore</h1>
          <p className="lead explore-lead">Datasets and their files: find one, then download, upload or replace its files.</p>
        </div>
        <div className="page-header__actions">
          {canWrite && (
            <Link className="button button--primary" to="/register/DATASET">
              Register a dataset
            </Link>
          )}
        </div>
      </div>
      <FilterBar filters={filters} onChange={updateFilters} onClear={clearFilters} label="Datasets" subtypeFilter={false} />
      <Results
        params={{ ...toParams(filters, username), subtype: DATASET }}
        filtered={isFiltered(filters)}
        canWrite={canWrite}
        onClear={clearFilters}
        wording={DATASETS}
      />
    </>
  );
}
