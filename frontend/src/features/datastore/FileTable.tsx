import { useEffect, useId, useRef, useState } from 'react';
import { describeError } from '../../api/client.ts';
import { DateTime } from '../items/format.tsx';
import { useDeleteFile, type FileInfo } from './api.ts';
import { exactBytes, formatBytes, shortChecksum } from './format.ts';
import { fileUrl } from './paths.ts';

interface FileTableProps {
  itemId: string;
  files: readonly FileInfo[];
  canWrite: boolean;
  /** A file is gone from the list: say so and put the focus somewhere that still exists. */
  onDeleted: (message: string) => void;
}

export function FileTable({ itemId, files, canWrite, onDeleted }: FileTableProps) {
  return (
    <div className="record-table datastore-table">
      <table className="table datastore-files">
        <caption className="visually-hidden">The dataset’s files, by path</caption>
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Size</th>
            <th scope="col">Checksum (SHA-256)</th>
            <th scope="col">Uploaded</th>
            {canWrite && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {files.map((file) => (
            <FileRow key={file.path} itemId={itemId} file={file} canWrite={canWrite} onDeleted={onDeleted} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function FileRow({ itemId, file, canWrite, onDeleted }: { itemId: string; file: FileInfo; canWrite: boolean; onDeleted: FileTableProps['onDeleted'] }) {
  const [confirming, setConfirming] = useState(false);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const confirmId = useId();
  return (
    <>
      <tr>
        <td className="datastore-files__path">
          {/* A plain link: the browser streams the file to disk (the session cookie signs it in). */}
          <a href={fileUrl(itemId, file.path)} download>
            {file.path}
          </a>
        </td>
        <td className="datastore-files__size">
          <span title={exactBytes(file.size)}>{formatBytes(file.size)}</span>
        </td>
        <td className="datastore-files__checksum">
          <code title={file.sha256}>{shortChecksum(file.sha256)}</code>
          <CopyButton text={file.sha256} what={`the checksum of ${file.path}`} />
        </td>
        <td className="datastore-table__time">
          <DateTime value={file.uploaded_at} />
        </td>
        {canWrite && (
          <td className="datastore-files__actions">
            <button
              ref={deleteButton}
              type="button"
              className="button button--quiet"
              aria-expanded={confirming}
              aria-controls={confirming ? confirmId : undefined}
              aria-label={`Delete ${file.path}`}
              onClick={() => setConfirming(true)}
            >
              Delete
            </button>
          </td>
        )}
      </tr>
      {confirming && (
        <tr className="datastore-files__confirm-row">
          <td colSpan={5} id={confirmId}>
            <DeleteConfirmation
              itemId={itemId}
              path={file.path}
              onCancel={() => {
                setConfirming(false);
                deleteButton.current?.focus();
              }}
              onDeleted={onDeleted}
            />
          </td>
        </tr>
      )}
    </>
  );
}

function DeleteConfirmation({ itemId, path, onCancel, onDeleted }: { itemId: string; path: string; onCancel: () => void; onDeleted: FileTableProps['onDeleted'] }) {
  const remove = useDeleteFile(itemId);
  const questionId = useId();
  const cancelButton = useRef<HTMLButtonElement>(null);
  // The safe answer has the focus, so Enter pressed twice by habit deletes nothing.
  useEffect(() => cancelButton.current?.focus(), []);

  async function confirm() {
    // mutateAsync, not mutate's callbacks: this row is gone from the list by the time the delete succeeds.
    const outcome = await remove.mutateAsync(path).catch(() => undefined);
    if (outcome) onDeleted(outcome === 'gone' ? `${path} had already been deleted.` : `Deleted ${path}.`);
  }
  return (
    <div className="datastore-confirm" role="group" aria-labelledby={questionId}>
      <p id={questionId} className="datastore-confirm__question">
        Delete {path}? This cannot be undone.
      </p>
      {remove.isError && (
        <p className="field__error" role="alert">
          The file was not deleted. {describeError(remove.error)}
        </p>
      )}
      <div className="button-row">
        <button
          type="button"
          className="button button--danger"
          disabled={remove.isPending}
          aria-busy={remove.isPending}
          onClick={() => void confirm()}
        >
          {remove.isPending ? 'Deleting…' : 'Yes, delete'}
        </button>
        <button ref={cancelButton} type="button" className="button" onClick={onCancel} disabled={remove.isPending}>
          Cancel
        </button>
      </div>
    </div>
  );
}

const COPIED_FOR_MS = 2000;

/** Copies a value people compare by machine (a checksum); hidden where the browser offers no clipboard. */
function CopyButton({ text, what }: { text: string; what: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), COPIED_FOR_MS);
    return () => clearTimeout(timer);
  }, [state]);
  if (!navigator.clipboard) return null;
  const label = state === 'copied' ? 'Copied' : state === 'failed' ? 'Not copied' : 'Copy';
  const copy = () => navigator.clipboard.writeText(text).then(() => setState('copied'), () => setState('failed'));
  return (
    <>
      <button type="button" className="button button--quiet datastore-copy" aria-label={`${label} ${what}`} onClick={() => void copy()}>
        {label}
      </button>
      <span className="visually-hidden" role="status">
        {state === 'copied' ? 'Copied.' : state === 'failed' ? 'The browser did not allow copying.' : ''}
      </span>
    </>
  );
}
