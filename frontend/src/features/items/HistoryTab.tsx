import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../api/client.ts';
import { useHistory, type HistoryEntry, type Item, type SubtypeInfo } from './api.ts';
import { markCloneClicked } from './cloneTiming.ts';
import { diffData, type ChangeKind, type DataChange } from './diff.ts';
import { DateTime } from './format.tsx';
import { clonePath } from './links.ts';
import { RecordData, Value } from './RecordData.tsx';
import { asSchema, asUiNode, schemaAt, uiAt, type SchemaNode, type UiNode } from './schema.ts';

/** Every revision, newest first: who, when and why, with its data and its changes on demand. */
export function HistoryTab({ item, subtype, mayClone }: { item: Item; subtype: SubtypeInfo | undefined; mayClone: boolean }) {
  const history = useHistory(item.id);
  if (history.isPending) {
    return (
      <p className="loading" role="status">
        Loading the history…
      </p>
    );
  }
  if (history.isError) {
    return (
      <div className="alert alert--error" role="alert">
        <p>The history could not be loaded. {describeError(history.error)}</p>
        <button type="button" className="button" onClick={() => void history.refetch()}>
          Retry
        </button>
      </div>
    );
  }
  const { entries } = history.data;
  if (entries.length === 0) return <p className="muted">This record has no history yet.</p>;
  return (
    <ol className="record-history">
      {entries.map((entry, index) => (
        <Revision
          key={entry.revision}
          entry={entry}
          previous={entries[index + 1]}
          isCurrent={entry.revision === item.revision}
          subtype={subtype}
          cloneTo={mayClone ? clonePath(item, entry.revision) : undefined}
        />
      ))}
    </ol>
  );
}

function Revision({
  entry,
  previous,
  isCurrent,
  subtype,
  cloneTo,
}: {
  entry: HistoryEntry;
  previous: HistoryEntry | undefined;
  isCurrent: boolean;
  subtype: SubtypeInfo | undefined;
  cloneTo: string | undefined;
}) {
  const [showChanges, setShowChanges] = useState(false);
  const [showData, setShowData] = useState(false);
  const id = useId();
  const headingId = `${id}-heading`;
  return (
    <li className="card record-revision" aria-labelledby={headingId}>
      <h2 id={headingId} className="record-revision__title">
        Revision {entry.revision} {isCurrent && <span className="badge">Current</span>}
      </h2>
      <p className="record-revision__meta">
        By <strong>{entry.by}</strong> on <DateTime value={entry.at} />
      </p>
      <p className="record-revision__reason">
        <span className="muted">Reason: </span>
        {entry.reason}
      </p>
      <div className="button-row">
        {previous && (
          <button
            type="button"
            className="button"
            aria-expanded={showChanges}
            aria-controls={`${id}-changes`}
            aria-describedby={headingId}
            onClick={() => setShowChanges(!showChanges)}
          >
            {showChanges ? 'Hide changes' : 'Show changes'}
          </button>
        )}
        <button
          type="button"
          className="button"
          aria-expanded={showData}
          aria-controls={`${id}-data`}
          aria-describedby={headingId}
          onClick={() => setShowData(!showData)}
        >
          {showData ? 'Hide data' : 'Show data'}
        </button>
        {cloneTo && (
          <Link className="button" to={cloneTo} aria-describedby={headingId} onClick={markCloneClicked}>
            Clone this revision
          </Link>
        )}
      </div>
      {previous && (
        <div id={`${id}-changes`} hidden={!showChanges} className="record-revision__section">
          {showChanges && (
            <>
              <h3 className="record-revision__subtitle">Changes from revision {previous.revision}</h3>
              <Changes before={previous} after={entry} subtype={subtype} />
            </>
          )}
        </div>
      )}
      <div id={`${id}-data`} hidden={!showData} className="record-revision__section">
        {showData && (
          <>
            <h3 className="record-revision__subtitle">Data of revision {entry.revision}</h3>
            <RecordData data={entry.data} subtype={subtype} headingLevel={4} />
          </>
        )}
      </div>
    </li>
  );
}

const KIND_TEXT: Record<ChangeKind, string> = { added: 'Added', removed: 'Removed', changed: 'Changed' };

function Changes({ before, after, subtype }: { before: HistoryEntry; after: HistoryEntry; subtype: SubtypeInfo | undefined }) {
  const root = useMemo(() => asSchema(subtype?.json_schema), [subtype]);
  const ui = asUiNode(subtype?.ui_schema);
  const changes = useMemo(() => diffData(before.data, after.data, root), [before, after, root]);
  if (changes.length === 0) return <p className="muted">No field changed in this revision.</p>;
  return (
    <div className="record-table">
      <table className="table record-diff">
        <caption className="visually-hidden">
          Changes from revision {before.revision} to revision {after.revision}
        </caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Change</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((change) => (
            <tr key={JSON.stringify(change.path)}>
              <th scope="row">{change.label}</th>
              <td>
                <span className={`badge record-diff__${change.kind}`}>{KIND_TEXT[change.kind]}</span>
              </td>
              <td>{change.kind !== 'added' && <ChangedValue change={change} side="before" root={root} ui={ui} />}</td>
              <td>{change.kind !== 'removed' && <ChangedValue change={change} side="after" root={root} ui={ui} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChangedValue({
  change,
  side,
  root,
  ui,
}: {
  change: DataChange;
  side: 'before' | 'after';
  root: SchemaNode;
  ui: UiNode;
}) {
  return <Value value={change[side]} schema={schemaAt(root, change.path) ?? {}} ui={uiAt(ui, change.path)} root={root} />;
}
