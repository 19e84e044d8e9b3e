import { useEffect, useId, useRef, useState, type ChangeEvent, type DragEvent } from 'react';
import type { FileInfo } from './api.ts';
import { exactBytes, formatBytes } from './format.ts';
import { checkFolder, uploadPath } from './paths.ts';
import { isFinished, type Upload, type UploadQueue } from './uploads.ts';

interface UploadAreaProps {
  queue: UploadQueue;
  uploads: readonly Upload[];
  /** The dataset's files, to ask before replacing one; undefined while the list loads. */
  listed: readonly FileInfo[] | undefined;
}

/** Choose files or drop them on the marked zone; each then shows its own progress below. */
export function UploadArea({ queue, uploads, listed }: UploadAreaProps) {
  const folderId = useId();
  const folderInput = useRef<HTMLInputElement>(null);
  const [folder, setFolder] = useState('');
  const [folderProblem, setFolderProblem] = useState<string>();
  const [note, setNote] = useState<string>();
  const [dragging, setDragging] = useState(false);
  // dragenter/dragleave fire for every child the pointer crosses: count them to know when it left the zone.
  const dragDepth = useRef(0);
  const ready = listed !== undefined;
  useDropOutsideGuard();

  function add(files: readonly File[]) {
    if (!listed || files.length === 0) return;
    const checked = checkFolder(folder);
    if (!checked.ok) {
      setFolderProblem(checked.problem);
      folderInput.current?.focus();
      return;
    }
    setFolderProblem(undefined);
    queue.add(
      files.map((file) => ({ path: uploadPath(checked.folder, file.name), file })),
      listed,
    );
  }

  function choose(event: ChangeEvent<HTMLInputElement>) {
    setNote(undefined);
    add([...(event.target.files ?? [])]);
    // Cleared, so choosing the same file again (say, after fixing the folder) still counts as a change.
    event.target.value = '';
  }

  function drop(event: DragEvent) {
    event.preventDefault();
    dragDepth.current = 0;
    setDragging(false);
    if (!ready) return;
    const { files, folders } = droppedFiles(event.dataTransfer);
    setNote(
      folders > 0
        ? 'Folders cannot be dropped. Open the folder and drop or choose the files inside it, with its name under Folder.'
        : undefined,
    );
    add(files);
  }

  const zoneClass = ['datastore-dropzone', dragging && 'datastore-dropzone--over', !ready && 'datastore-dropzone--waiting'].filter(Boolean).join(' ');
  return (
    <div className="datastore-upload" role="group" aria-label="Upload files">
      <div
        className={zoneClass}
        onDragEnter={(event) => {
          event.preventDefault();
          dragDepth.current += 1;
          setDragging(ready);
        }}
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = ready ? 'copy' : 'none';
        }}
        onDragLeave={() => {
          dragDepth.current -= 1;
          if (dragDepth.current <= 0) setDragging(false);
        }}
        onDrop={drop}
      >
        {listed?.length === 0 && <p className="datastore-dropzone__empty">No files yet</p>}
        <p className="datastore-dropzone__title">{ready ? 'Drop files here or choose files to upload' : 'Loading the file list…'}</p>
        <div className="datastore-dropzone__controls">
          <label className={ready ? 'button button--primary datastore-choose' : 'button button--primary datastore-choose datastore-choose--disabled'}>
            <input type="file" multiple className="visually-hidden" onChange={choose} disabled={!ready} />
            Choose files
          </label>
          <div className="field datastore-folder">
            <label className="field__label" htmlFor={folderId}>
              Folder
            </label>
            <input
              ref={folderInput}
              id={folderId}
              type="text"
              value={folder}
              placeholder="e.g. raw/2024"
              spellCheck={false}
              autoComplete="off"
              aria-invalid={folderProblem ? true : undefined}
              aria-describedby={`${folderId}-help${folderProblem ? ` ${folderId}-error` : ''}`}
              onChange={(event) => {
                setFolder(event.target.value);
                setFolderProblem(undefined);
              }}
            />
            <span id={`${folderId}-help`} className="field__help">
              Optional. Files go into this folder; leave it empty for the top level.
            </span>
            {folderProblem && (
              <span id={`${folderId}-error`} className="field__error">
                {folderProblem}
              </span>
            )}
          </div>
        </div>
        {note && <p className="datastore-dropzone__note">{note}</p>}
      </div>
      <UploadList queue={queue} uploads={uploads} />
    </div>
  );
}

/** Files from a drop; folders are counted, not read (their File objects hold no bytes). */
function droppedFiles(transfer: DataTransfer): { files: File[]; folders: number } {
  const items = transfer.items ? [...transfer.items].filter((item) => item.kind === 'file') : [];
  if (items.length === 0) return { files: [...(transfer.files ?? [])], folders: 0 };
  const files: File[] = [];
  let folders = 0;
  for (const item of items) {
    if (item.webkitGetAsEntry?.()?.isDirectory) folders += 1;
    else {
      const file = item.getAsFile();
      if (file) files.push(file);
    }
  }
  return { files, folders };
}

/** A file dropped just beside the zone would make the browser open it in place of the app. */
function useDropOutsideGuard() {
  useEffect(() => {
    const refuse = (event: globalThis.DragEvent) => {
      if (!event.dataTransfer?.types.includes('Files')) return;
      event.preventDefault();
      if (event.type === 'dragover') event.dataTransfer.dropEffect = 'none';
    };
    window.addEventListener('dragover', refuse);
    window.addEventListener('drop', refuse);
    return () => {
      window.removeEventListener('dragover', refuse);
      window.removeEventListener('drop', refuse);
    };
  }, []);
}

function UploadList({ queue, uploads }: { queue: UploadQueue; uploads: readonly Upload[] }) {
  if (uploads.length === 0) return null;
  return (
    <>
      <p className="visually-hidden" role="status">
        {uploadsStatus(uploads)}
      </p>
      <ul className="datastore-uploads" aria-label="Uploads">
        {uploads.map((upload) => (
          <UploadRow key={upload.key} upload={upload} queue={queue} />
        ))}
      </ul>
      {uploads.some(isFinished) && (
        <div className="button-row datastore-uploads__actions">
          <button type="button" className="button button--quiet" onClick={() => queue.clearFinished()}>
            Clear finished uploads
          </button>
        </div>
      )}
    </>
  );
}

/** One sentence for screen readers, changing only when something worth hearing happens. */
function uploadsStatus(uploads: readonly Upload[]): string {
  const asking = uploads.filter((upload) => upload.status === 'confirm').length;
  const current = uploads.find((upload) => upload.status === 'uploading');
  const waiting = uploads.filter((upload) => upload.status === 'queued').length;
  if (asking > 0) return asking === 1 ? 'One file already exists: choose whether to replace it.' : `${asking} files already exist: choose whether to replace them.`;
  if (current) return `Uploading ${current.path}${waiting > 0 ? `; ${waiting} more waiting` : ''}.`;
  const done = uploads.filter((upload) => upload.status === 'done').length;
  const failed = uploads.filter((upload) => upload.status === 'failed').length;
  if (failed > 0) return `Uploads finished: ${done} uploaded, ${failed} failed.`;
  return done > 0 ? 'Uploads finished.' : '';
}

function percent(upload: Upload): number {
  if (upload.status === 'done') return 100;
  return upload.size > 0 ? Math.min(100, Math.floor((upload.loaded / upload.size) * 100)) : 0;
}

function UploadRow({ upload, queue }: { upload: Upload; queue: UploadQueue }) {
  const id = useId();
  const pathId = `${id}-path`;
  return (
    <li className={`datastore-uploads__item datastore-uploads__item--${upload.status}`} aria-labelledby={pathId}>
      <div className="datastore-uploads__head">
        <span id={pathId} className="datastore-uploads__path">
          {upload.path}
        </span>
        <span className="muted" title={exactBytes(upload.size)}>
          {formatBytes(upload.size)}
        </span>
      </div>
      {upload.status === 'confirm' && (
        <div className="datastore-uploads__question">
          <p id={`${id}-question`}>
            Replace {upload.path}? <span className="muted">The file of that name in this dataset will be overwritten.</span>
          </p>
          <div className="button-row">
            <button type="button" className="button button--primary" aria-describedby={`${id}-question`} onClick={() => queue.confirm(upload.key)}>
              Replace
            </button>
            <button type="button" className="button" aria-describedby={`${id}-question`} onClick={() => queue.dismiss(upload.key)}>
              Skip
            </button>
          </div>
        </div>
      )}
      {(upload.status === 'queued' || upload.status === 'uploading' || upload.status === 'done') && (
        <div className="datastore-uploads__progress">
          <progress max={100} value={percent(upload)} aria-label={`Upload of ${upload.path}`} />
          <span className="datastore-uploads__percent">{percent(upload)}%</span>
          <span className="datastore-uploads__state">{upload.status === 'queued' ? 'Waiting' : upload.status === 'done' ? 'Uploaded' : 'Uploading'}</span>
          {upload.status !== 'done' && (
            <button type="button" className="button button--quiet" aria-describedby={pathId} onClick={() => queue.cancel(upload.key)}>
              Cancel
            </button>
          )}
        </div>
      )}
      {upload.status === 'failed' && <p className="datastore-uploads__error">{upload.error}</p>}
      {upload.status === 'cancelled' && <p className="muted datastore-uploads__cancelled">Cancelled; nothing was changed.</p>}
      {(upload.status === 'failed' || upload.status === 'cancelled') && (
        <button type="button" className="button button--quiet" aria-describedby={pathId} onClick={() => queue.dismiss(upload.key)}>
          Dismiss
        </button>
      )}
    </li>
  );
}
