import { useId, useRef, useState } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import type { usePermissions } from '../items/api.ts';
import { useFiles, type FileInfo } from './api.ts';
import { FileLog } from './FileLog.tsx';
import { FileTable } from './FileTable.tsx';
import { formatBytes } from './format.ts';
import { UploadArea } from './UploadArea.tsx';
import type { Upload, UploadQueue } from './uploads.ts';

interface FilesTabProps {
  itemId: string;
  permissions: ReturnType<typeof usePermissions>;
  queue: UploadQueue;
  uploads: readonly Upload[];
}

/** The dataset's files for those who may read them; uploads and deletes for those who may write. */
export function FilesTab({ itemId, permissions, queue, uploads }: FilesTabProps) {
  if (permissions.isPending) {
    return (
      <p className="loading datastore-placeholder" role="status">
        Checking your access to the files…
      </p>
    );
  }
  if (permissions.isError) {
    return (
      <div className="alert alert--error" role="alert">
        <p>Your access to the files could not be checked. {describeError(permissions.error)}</p>
        <button type="button" className="button" onClick={() => void permissions.refetch()}>
          Retry
        </button>
      </div>
    );
  }
  if (!permissions.data.actions.read_files) return <NoFileAccess />;
  return <Files itemId={itemId} canWrite={permissions.data.actions.write_files} queue={queue} uploads={uploads} />;
}

function NoFileAccess() {
  return (
    <div className="alert alert--info">
      <p className="datastore-no-access">
        You can see this dataset’s description but not its files. Ask its owner for the Download data role.
      </p>
    </div>
  );
}

function Files({ itemId, canWrite, queue, uploads }: { itemId: string; canWrite: boolean; queue: UploadQueue; uploads: readonly Upload[] }) {
  const files = useFiles(itemId, true);
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [announcement, setAnnouncement] = useState('');
  // Access can be taken away while the page is open.
  if (files.error instanceof ApiError && files.error.status === 403) return <NoFileAccess />;

  function deleted(message: string) {
    setAnnouncement(message);
    heading.current?.focus();
  }

  return (
    <>
      <section className="datastore-section" aria-labelledby={headingId}>
        <div className="datastore-section__head">
          <h2 id={headingId} ref={heading} tabIndex={-1}>
            Files
          </h2>
          {files.data && <span className="muted">{summary(files.data.files)}</span>}
        </div>
        {canWrite && <UploadArea queue={queue} uploads={uploads} listed={files.data?.files} />}
        <p className="visually-hidden" role="status">
          {announcement}
        </p>
        {files.isPending && (
          <p className="loading datastore-placeholder" role="status">
            Loading the files…
          </p>
        )}
        {files.isError && (
          <div className="alert alert--error" role="alert">
            <p>The files could not be listed. {describeError(files.error)}</p>
            <button type="button" className="button" onClick={() => void files.refetch()}>
              Retry
            </button>
          </div>
        )}
        {/* Writers see "No files yet" in the drop zone, which is where they act on it. */}
        {files.data && files.data.files.length === 0 && !canWrite && (
          <div className="card datastore-empty">
            <h3>No files yet</h3>
            <p className="muted">Files added to this dataset will be listed here.</p>
          </div>
        )}
        {files.data && files.data.files.length > 0 && <FileTable itemId={itemId} files={files.data.files} canWrite={canWrite} onDeleted={deleted} />}
      </section>
      <FileLog itemId={itemId} />
    </>
  );
}

function summary(files: readonly FileInfo[]): string {
  if (files.length === 0) return '';
  const total = formatBytes(files.reduce((sum, file) => sum + file.size, 0));
  return files.length === 1 ? `1 file, ${total}` : `${files.length} files, ${total}`;
}
