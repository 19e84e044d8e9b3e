import { useId } from 'react';
import { describeError } from '../../api/client.ts';
import { DateTime } from '../items/format.tsx';
import { useFileLog, type FileLogEntry } from './api.ts';
import { exactBytes, formatBytes, shortChecksum } from './format.ts';

const ACTION_TEXT: Record<FileLogEntry['action'], string> = { added: 'Added', replaced: 'Replaced', deleted: 'Deleted' };

/** Every change of the dataset's files, newest first: who, when, what. */
export function FileLog({ itemId }: { itemId: string }) {
  const log = useFileLog(itemId, true);
  const headingId = useId();
  return (
    <section className="datastore-section" aria-labelledby={headingId}>
      <h2 id={headingId}>File log</h2>
      {log.isPending && (
        <p className="loading" role="status">
          Loading the file log…
        </p>
      )}
      {log.isError && (
        <div className="alert alert--error" role="alert">
          <p>The file log could not be loaded. {describeError(log.error)}</p>
          <button type="button" className="button" onClick={() => void log.refetch()}>
            Retry
          </button>
        </div>
      )}
      {log.data && log.data.entries.length === 0 && <p className="muted">No file has been added yet.</p>}
      {log.data && log.data.entries.length > 0 && (
        <div className="record-table datastore-table">
          <table className="table datastore-log">
            <caption className="visually-hidden">Changes to the files, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Path</th>
                <th scope="col">Size</th>
                <th scope="col">Checksum</th>
              </tr>
            </thead>
            <tbody>
              {log.data.entries.map((entry, index) => (
                <tr key={`${entry.at}-${index}`}>
                  <td className="datastore-table__time">
                    <DateTime value={entry.at} />
                  </td>
                  <td>{entry.by}</td>
                  <td>
                    <span className={`badge datastore-log__${entry.action}`}>{ACTION_TEXT[entry.action]}</span>
                  </td>
                  <td className="datastore-files__path">{entry.path}</td>
                  <td className="datastore-files__size">
                    <span title={exactBytes(entry.size)}>{formatBytes(entry.size)}</span>
                  </td>
                  <td>
                    <code title={entry.sha256}>{shortChecksum(entry.sha256)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
