// A dataset in the datastore (DESIGN.md §4): its header with Clone Dataset and Edit, then its
// files (the tab a new or cloned dataset opens on, ready for upload), fields, history (each
// revision with Clone this revision) and access.
import { useEffect, useRef } from 'react';
import { Link, useBlocker, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { AccessTab } from '../items/AccessTab.tsx';
import { useItem, usePermissions, type Item, type Permissions } from '../items/api.ts';
import { markCloneClicked } from '../items/cloneTiming.ts';
import { DateTime } from '../items/format.tsx';
import { HistoryTab } from '../items/HistoryTab.tsx';
import { clonePath, editPath, mayCloneRevisions, recordPath } from '../items/links.ts';
import { RecordData } from '../items/RecordData.tsx';
import { LoadFailed, RecordSkeleton, Unavailable, type BackLink } from '../items/RecordPage.tsx';
import { DATASET } from '../items/roles.ts';
import { findSubtype } from '../items/subtypes.ts';
import { Tabs, type Tab } from '../items/Tabs.tsx';
import { FilesTab } from './FilesTab.tsx';
import { useUploadQueue, type UploadQueue } from './uploads.ts';
import '../items/record.css';
import './datastore.css';

type TabId = 'files' | 'overview' | 'history' | 'access';

const TO_DATASTORE: BackLink = { to: '/datastore', label: 'Back to the Datastore' };

export function DatasetPage() {
  const { id = '' } = useParams();
  const item = useItem(id);
  const permissions = usePermissions(id);
  // Refused or missing: nothing of the record stays on screen, even data loaded earlier.
  if (item.error instanceof ApiError && (item.error.status === 403 || item.error.status === 404)) {
    return <Unavailable status={item.error.status} back={TO_DATASTORE} />;
  }
  if (item.data) {
    if (item.data.item_subtype !== DATASET) return <NotADataset item={item.data} />;
    return <DatasetView key={id} item={item.data} permissions={permissions} />;
  }
  if (item.isError) return <LoadFailed error={item.error} onRetry={() => void item.refetch()} back={TO_DATASTORE} />;
  return <RecordSkeleton />;
}

function NotADataset({ item }: { item: Item }) {
  return (
    <section>
      <h1>This record is not a dataset</h1>
      <p>Only datasets have files in the Datastore. This record is shown in the registry.</p>
      <p>
        <Link className="button button--primary" to={recordPath(item.id)}>
          Open the record
        </Link>
      </p>
    </section>
  );
}

function DatasetView({ item, permissions }: { item: Item; permissions: ReturnType<typeof usePermissions> }) {
  const subtype = findSubtype(item.item_subtype);
  const [queue, uploads] = useUploadQueue(item.id);
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  // A deep link to the access tab waits for the permissions answer instead of jumping to the files.
  const showAccess = permissions.data?.actions.manage_access === true || (requested === 'access' && permissions.isPending);
  const tabs: Tab<TabId>[] = [
    { id: 'files', label: 'Files' },
    { id: 'overview', label: 'Overview' },
    { id: 'history', label: 'History' },
    ...(showAccess ? [{ id: 'access' as const, label: 'Access' }] : []),
  ];
  const active = tabs.find((tab) => tab.id === requested)?.id ?? 'files';

  function select(tab: TabId) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (tab === 'files') next.delete('tab');
        else next.set('tab', tab);
        return next;
      },
      { replace: true },
    );
  }

  return (
    <article className="record">
      <DatasetHeader item={item} permissions={permissions} />
      <LeaveWhileUploading queue={queue} busy={queue.busy} />
      <Tabs label="Dataset" tabs={tabs} active={active} onSelect={select} idPrefix="dataset">
        {active === 'files' && <FilesTab itemId={item.id} permissions={permissions} queue={queue} uploads={uploads} />}
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

function DatasetHeader({ item, permissions }: { item: Item; permissions: ReturnType<typeof usePermissions> }) {
  const name = typeof item.data.display_name === 'string' && item.data.display_name ? item.data.display_name : 'Untitled dataset';
  return (
    <header className="page-header record-header">
      <div className="record-header__text">
        <p className="record-header__kind">Dataset</p>
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
        <DatasetActions item={item} permissions={permissions} />
      </div>
    </header>
  );
}

/** Only what the permissions answer allows, and nothing at all before it has arrived. */
function DatasetActions({ item, permissions }: { item: Item; permissions: ReturnType<typeof usePermissions> }) {
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
  return (
    <>
      {permissions.actions.edit && (
        <Link className="button button--primary" to={editPath(item.id)}>
          Edit
        </Link>
      )}
      {permissions.actions.clone && (
        <Link className="button" to={clonePath(item)} onClick={markCloneClicked}>
          Clone Dataset
        </Link>
      )}
      {permissions.actions.view && (
        <Link className="button button--quiet" to={recordPath(item.id)}>
          Open in the registry
        </Link>
      )}
    </>
  );
}

/**
 * Leaving the page stops its uploads, so leaving while files are on their way asks first: a
 * link in the app shows this question, closing or reloading the tab the browser's own.
 */
function LeaveWhileUploading({ queue, busy }: { queue: UploadQueue; busy: boolean }) {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => busy && currentLocation.pathname !== nextLocation.pathname);
  const question = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!busy) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [busy]);
  useEffect(() => {
    if (blocker.state === 'blocked') question.current?.focus();
  }, [blocker.state]);
  // Uploads that finished while the question was open: nothing is lost, so carry on.
  useEffect(() => {
    if (blocker.state === 'blocked' && !busy) blocker.proceed();
  }, [blocker, busy]);

  if (blocker.state !== 'blocked') return null;
  return (
    <div ref={question} className="alert alert--error datastore-leave" role="alertdialog" aria-labelledby="datastore-leave-text" tabIndex={-1}>
      <p id="datastore-leave-text">Files are still uploading. If you leave this page, the uploads stop and those files are not stored.</p>
      <div className="button-row">
        <button type="button" className="button" onClick={() => blocker.reset()}>
          Stay on this page
        </button>
        <button
          type="button"
          className="button button--danger"
          onClick={() => {
            queue.cancelAll();
            blocker.proceed();
          }}
        >
          Leave and stop the uploads
        </button>
      </div>
    </div>
  );
}
