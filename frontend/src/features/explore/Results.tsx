import { useEffect, useEffectEvent, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../api/client.ts';
import { subtypeLabel } from '../items/subtypes.ts';
import { useExplore, type ExploreParams, type Summary } from './api.ts';
import { fullTime, timeAgo } from './time.ts';

const SKELETON_ROWS = 6;

/** How a list speaks of what it holds: explore lists every kind of record, the datastore only datasets. */
export interface ListWording {
  one: string;
  many: string;
  /** Where a writer registers a new one, and the link's words. */
  register: { to: string; label: string };
  /** Said when there is nothing yet, and when filters match nothing. */
  emptyHint: string;
  noMatchHint: string;
  /** Rows show their subtype only when the list mixes subtypes. */
  showSubtype: boolean;
}

const RECORDS: ListWording = {
  one: 'record',
  many: 'records',
  register: { to: '/register', label: 'Register a record' },
  emptyHint: 'Records you may view will be listed here.',
  noMatchHint: 'Try other words or another subtype, or clear the filters to see every record you may view.',
  showSubtype: true,
};

interface ResultsProps {
  params: ExploreParams;
  filtered: boolean;
  canWrite: boolean;
  onClear: () => void;
  wording?: ListWording;
}

export function Results({ params, filtered, canWrite, onClear, wording = RECORDS }: ResultsProps) {
  const query = useExplore(params);
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <p role="status" className="visually-hidden">
        {statusText(wording, query.isPending, query.isError && !query.data, items.length, query.hasNextPage)}
      </p>
      {query.isPending ? (
        <ResultsSkeleton />
      ) : !query.data ? (
        <div className="alert alert--error" role="alert">
          <p className="explore-alert__text">
            The {wording.many} could not be loaded. {describeError(query.error)}
          </p>
          <div className="button-row">
            <button type="button" className="button" onClick={() => void query.refetch()} disabled={query.isFetching} aria-busy={query.isFetching}>
              Retry
            </button>
            {filtered && (
              <button type="button" className="button button--quiet" onClick={onClear}>
                Clear filters
              </button>
            )}
          </div>
        </div>
      ) : items.length === 0 ? (
        <EmptyResults filtered={filtered} canWrite={canWrite} onClear={onClear} wording={wording} />
      ) : (
        <ResultList
          items={items}
          wording={wording}
          stale={query.isPlaceholderData}
          hasMore={query.hasNextPage}
          loadingMore={query.isFetchingNextPage}
          loadMoreError={query.isFetchNextPageError ? query.error : null}
          onLoadMore={() => void query.fetchNextPage()}
        />
      )}
    </>
  );
}

function statusText({ one, many }: ListWording, loading: boolean, failed: boolean, count: number, hasMore: boolean): string {
  if (loading) return `Loading ${many}…`;
  if (failed) return '';
  if (count === 0) return `No ${many} to show.`;
  const shown = count === 1 ? `1 ${one} shown` : `${count} ${many} shown`;
  return hasMore ? `${shown}; more can be loaded.` : `${shown}.`;
}

function ResultsSkeleton() {
  return (
    <ul className="explore-results" aria-hidden="true">
      {Array.from({ length: SKELETON_ROWS }, (_, index) => (
        <li key={index} className="explore-result explore-result--skeleton">
          <span className="explore-skeleton explore-skeleton--title" />
          <span className="explore-skeleton explore-skeleton--meta" />
        </li>
      ))}
    </ul>
  );
}

function EmptyResults({ filtered, canWrite, onClear, wording }: Omit<ResultsProps, 'params'> & { wording: ListWording }) {
  const { many } = wording;
  return (
    <div className="card explore-empty">
      <h2>{filtered ? `No ${many} match your search` : `No ${many} yet`}</h2>
      <p className="muted">
        {filtered ? wording.noMatchHint : wording.emptyHint}
      </p>
      <div className="button-row">
        {filtered && (
          <button type="button" className="button" onClick={onClear}>
            Clear filters
          </button>
        )}
        {canWrite && (
          <Link className="button button--quiet" to={wording.register.to}>
            {wording.register.label}
          </Link>
        )}
      </div>
    </div>
  );
}

interface ResultListProps {
  items: Summary[];
  wording: ListWording;
  /** Still the previous filters' results while the new ones load. */
  stale: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  loadMoreError: unknown;
  onLoadMore: () => void;
}

function ResultList({ items, wording, stale, hasMore, loadingMore, loadMoreError, onLoadMore }: ResultListProps) {
  const listRef = useRef<HTMLUListElement>(null);
  // After "Load more", focus goes to the first new record, so keyboard users carry on reading
  // where they were (and are not left on a button that has just disappeared).
  const focusIndex = useRef<number | null>(null);
  useEffect(() => {
    const index = focusIndex.current;
    if (index === null || items.length <= index) return;
    focusIndex.current = null;
    listRef.current?.querySelectorAll<HTMLAnchorElement>('.explore-result__name')[index]?.focus();
  }, [items.length]);

  const canLoad = hasMore && !stale && !loadingMore && !loadMoreError;
  return (
    <>
      <ul ref={listRef} className={stale ? 'explore-results explore-results--stale' : 'explore-results'} aria-busy={stale}>
        {items.map((item) => (
          <ResultRow key={item.id} item={item} label={wording.showSubtype ? subtypeLabel(item.item_subtype) : undefined} />
        ))}
      </ul>
      {loadMoreError !== null && (
        <div className="alert alert--error" role="alert">
          <p className="explore-alert__text">
            More {wording.many} could not be loaded. {describeError(loadMoreError)}
          </p>
          <button type="button" className="button" onClick={onLoadMore}>
            Retry
          </button>
        </div>
      )}
      {hasMore && (
        <AutoLoad enabled={canLoad} itemCount={items.length} onLoad={onLoadMore}>
          {/* aria-disabled, not disabled: a disabled button would drop the keyboard focus. */}
          <button
            type="button"
            className="button"
            onClick={() => {
              if (!canLoad) return;
              focusIndex.current = items.length;
              onLoadMore();
            }}
            aria-disabled={!canLoad}
            aria-busy={loadingMore}
          >
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </AutoLoad>
      )}
    </>
  );
}

function ResultRow({ item, label }: { item: Summary; label: string | undefined }) {
  // Datasets have their own pages in the datastore, with their files.
  const href = item.item_subtype === 'DATASET' ? `/datastore/${item.id}` : `/items/${item.id}`;
  return (
    <li className="explore-result">
      <div className="explore-result__title">
        <Link className="explore-result__name" to={href}>
          {item.display_name}
        </Link>
        {label && <span className="badge">{label}</span>}
      </div>
      <p className="explore-result__meta">
        <span>Owner: {item.owner}</span>
        <span>
          Updated{' '}
          <time dateTime={item.updated_at} title={fullTime(item.updated_at)}>
            {timeAgo(item.updated_at)}
          </time>
        </span>
      </p>
    </li>
  );
}

/** Loads the next page when the "Load more" button scrolls into view (the button stays for keyboards). */
interface AutoLoadProps {
  enabled: boolean;
  itemCount: number;
  onLoad: () => void;
  children: ReactNode;
}

function AutoLoad({ enabled, itemCount, onLoad, children }: AutoLoadProps) {
  const ref = useRef<HTMLDivElement>(null);
  const load = useEffectEvent(onLoad);
  useEffect(() => {
    const element = ref.current;
    if (!enabled || !element || typeof IntersectionObserver === 'undefined') return;
    // A new observer per page reports at once whether the button is still in view after the list grew.
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) load();
    }, { rootMargin: '200px' });
    observer.observe(element);
    return () => observer.disconnect();
  }, [enabled, itemCount]);
  return (
    <div ref={ref} className="explore-more">
      {children}
    </div>
  );
}
