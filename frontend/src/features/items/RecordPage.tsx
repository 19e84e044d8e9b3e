// The record view (DESIGN.md §4): header with the actions the permissions answer allows,
// then tabs for the record's fields, its history and (item admins) its access settings.
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../../api/client.ts';
import { AccessTab } from './AccessTab.tsx';
import { useItem, usePermissions, type Item, type Permissions } from './api.ts';
import { markCloneClicked } from './cloneTiming.ts';
import { DateTime } from './format.tsx';
import { HistoryTab } from './HistoryTab.tsx';
import { clonePath, datastorePath, editPath, mayClone, mayCloneRevisions } from './links.ts';
import { RecordData } from './RecordData.tsx';
import { DATASET } from './roles.ts';
import { findSubtype, subtypeLabel } from './subtypes.ts';
import { Tabs, type Tab } from './Tabs.tsx';
import './record.css';

type TabId = 'overview' | 'history' | 'access';

export function RecordPage() {
  const { id = '' } = useParams();
  const item = useItem(id);
  const permissions = usePermissions(id);
  // Refused or missing: nothing of the record stays on screen, even data loaded earlier.
  if (item.error instanceof ApiError && (item.error.status === 403 || item.error.status === 404)) {
    return <Unavailable status={item.error.status} />;
  }
  if (item.data) return <RecordView key={id} item={item.data} permissions={permissions} />;
  if (item.isError) return <LoadFailed error={item.error} onRetry={() => void item.refetch()} />;
  return <RecordSkeleton />;
}

/** Where the "back" link of an error page goes: Explore, or the page the record was opened from. */
export interface BackLink {
  to: string;
  label: string;
}

const TO_EXPLORE: BackLink = { to: '/', label: 'Back to Explore' };

export function Unavailable({ status, back = TO_EXPLORE }: { status: 403 | 404; back?: BackLink }) {
  return (
    <section className="record-unavailable">
      {status === 403 ? (
        <>
          <h1>Access denied</h1>
          <p>You do not have permission to view this record.</p>
          <p className="muted">If you need it, ask the record’s owner to give you access.</p>
        </>
      ) : (
        <>
          <h1>Record not found</h1>
          <p>There is no record at this address. Check the link, or look for the record in Explore.</p>
        </>
      )}
      <p>
        <Link to={back.to}>{back.label}</Link>
      </p>
    </section>
  );
}

export function LoadFailed({ error, onRetry, back = TO_EXPLORE }: { error: Error; onRetry: () => void; back?: BackLink }) {
  return (
    <section>
      <h1>The record could not be loaded</h1>
      <p className="alert alert--error" role="alert">
        {describeError(error)}
      </p>
      <div className="button-row">
        <button type="button" className="button button--primary" onClick={onRetry}>
          Retry
        </button>
        <Link to={back.to}>{back.label}</Link>
      </div>
    </section>
  );
}

/** The header's shape while the record loads, so nothing moves when it arrives. */
export function RecordSkeleton() {
  return (
    <section aria-busy="true">
      <p className="visually-hidden" role="status">
        Loading the record…
      </p>
      <div className="page-header record-header" aria-hidden="true">
        <div className="record-header__text">
          <p className="record-header__kind">
            <span className="record-skeleton record-skeleton--short" />
          </p>
          <div className="record-skeleton record-skeleton--title" />
          <p className="record-meta">
            <span className="record-skeleton record-skeleton--meta" />
          </p>
        </div>
        <div className="page-header__actions" />
      </div>
    </section>
  );
}

function RecordView({ item, permissions }: { item: Item; permissions: ReturnType<typeof usePermissions> }) {
  const subtype = findSubtype(item.item_subtype);
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  // A deep link to the access tab waits for the permissions answer instead of jumping to the overview.
  const showAccess = permissions.data?.actions.manage_access === true || (requested === 'access' && permissions.isPending);
  const tabs: Tab<TabId>[] = [
    { id: 'overview', label: 'Overview' },
    { id: 'history', label: 'History' },
    ...(showAccess ? [{ id: 'access' as const, label: 'Access' }] : []),
  ];
  const active = tabs.find((tab) => tab.id === requested)?.id ?? 'overview';

  function select(tab: TabId) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (tab === 'overview') next.delete('tab');
        else next.set('tab', tab);
        return next;
      },
      { replace: true },
    );
  }

  return (
    <article className="record">
      <RecordHeader item={item} label={subtypeLabel(item.item_subtype)} permissions={permissions} />
      <Tabs label="Record" tabs={tabs} active={active} onSelect={select} idPrefix="record">
        {active === 'overview' && <RecordData data={item.data} subtype={subtype} headingLevel={2} />}
        {active === 'history' && <HistoryTab item={item} subtype={subtype} mayClone={mayCloneRevisions(permissions.data)} />}
        {active === 'access' &&
          (permissions.data ? (
            <AccessTab item={item} />
          ) : (
            <p className="loading" role="status">
              Loading…
            </p>
          ))}
      </Tabs>
    </article>
  );
}

function RecordHeader({
  item,
  label,
  permissions,
}: {
  item: Item;
  label: string;
  permissions: ReturnType<typeof usePermissions>;
}) {
  const name = typeof item.data.display_name === 'string' && item.data.display_name ? item.data.display_name : 'Untitled record';
  return (
    <header className="page-header record-header">
      <div className="record-header__text">
        <p className="record-header__kind">{label}</p>
        <h1>{name}</h1>
        <dl className="record-meta">
          <div>
            <dt>Owner</dt>
            <dd>{item.owner}</dd>
          </div>
          <div>
            <dt>Revision</dt>
            <dd>{item.revision}</dd>
          </div>
          <div>
            <dt>Last updated</dt>
            <dd>
              <DateTime value={item.updated_at} />
            </dd>
          </div>
        </dl>
      </div>
      <div className="page-header__actions">
        <RecordActions item={item} permissions={permissions} />
      </div>
    </header>
  );
}

/** Only what the permissions answer allows, and nothing at all before it has arrived. */
function RecordActions({ item, permissions }: { item: Item; permissions: ReturnType<typeof usePermissions> }) {
  if (permissions.data) return <ActionLinks item={item} permissions={permissions.data} />;
  if (permissions.isError) {
    return (
      <p className="record-actions-error">
        <span className="muted">Could not check what you may do here.</span>{' '}
        <button type="button" className="button button--quiet" onClick={() => void permissions.refetch()}>
          Retry
        </button>
      </p>
    );
  }
  return null;
}

function ActionLinks({ item, permissions }: { item: Item; permissions: Permissions }) {
  const isDataset = item.item_subtype === DATASET;
  return (
    <>
      {permissions.actions.edit && (
        <Link className="button button--primary" to={editPath(item.id)}>
          Edit
        </Link>
      )}
      {mayClone(item, permissions) && (
        <Link className="button" to={clonePath(item)} onClick={markCloneClicked}>
          Clone
        </Link>
      )}
      {isDataset && permissions.actions.view && (
        <Link className="button" to={datastorePath(item.id)}>
          View in Datastore
        </Link>
      )}
    </>
  );
}
