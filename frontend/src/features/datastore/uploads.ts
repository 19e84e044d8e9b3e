// The uploads of one dataset page: files wait in line and go one at a time, so a large batch does
// not split the bandwidth and each file's progress means something. The queue lives above the
// tabs, so switching tabs does not stop an upload.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import { refreshFiles, showUploaded, type FileInfo } from './api.ts';
import { startUpload, UploadCancelled, type UploadHandle } from './upload.ts';

export type UploadStatus = 'confirm' | 'queued' | 'uploading' | 'done' | 'failed' | 'cancelled';

export interface Upload {
  readonly key: number;
  readonly path: string;
  readonly size: number;
  readonly file: Blob;
  readonly status: UploadStatus;
  readonly loaded: number;
  /** The sha256 of the listed file this upload replaces. */
  readonly replaces?: string;
  readonly error?: string;
}

const WAITING: readonly UploadStatus[] = ['confirm', 'queued', 'uploading'];
const FINISHED: readonly UploadStatus[] = ['done', 'failed', 'cancelled'];

export function isFinished(upload: Upload): boolean {
  return FINISHED.includes(upload.status);
}

/** What to tell a person whose upload failed. */
export function uploadErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 412) return 'This file changed meanwhile; reload the list and try again.';
    if (error.status === 413) return 'This file is larger than the server allows.';
    // A refused path says why in its field error; the detail alone would only say "invalid".
    const reasons = error.fieldErrors.map((problem) => problem.message);
    if (reasons.length > 0) return reasons.join(' ');
  }
  return describeError(error);
}

interface QueueEvents {
  uploaded: (info: FileInfo) => void;
  /** Every waiting upload has ended, and the server's list may have changed meanwhile. */
  settled: () => void;
}

export class UploadQueue {
  readonly #itemId: string;
  readonly #events: QueueEvents;
  readonly #listeners = new Set<() => void>();
  #uploads: readonly Upload[] = [];
  #active: { key: number; handle: UploadHandle } | null = null;
  #nextKey = 1;
  #endedSinceSettled = false;

  constructor(itemId: string, events: QueueEvents) {
    this.#itemId = itemId;
    this.#events = events;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly snapshot = (): readonly Upload[] => this.#uploads;

  /** Files are waiting or on their way (an open "Replace?" question does not count). */
  get busy(): boolean {
    return this.#uploads.some((upload) => upload.status === 'queued' || upload.status === 'uploading');
  }

  /** Queue files for these paths; a path already listed waits for "Replace?" first. */
  add(entries: readonly { path: string; file: Blob }[], listed: readonly FileInfo[]): void {
    const added: Upload[] = [];
    for (const { path, file } of entries) {
      const key = this.#nextKey++;
      const base = { key, path, file, size: file.size, loaded: 0 };
      const pending = [...this.#uploads, ...added].some((upload) => upload.path === path && WAITING.includes(upload.status));
      if (pending) {
        added.push({ ...base, status: 'failed', error: 'A file with this path is already in the upload list.' });
        continue;
      }
      const existing = listed.find((info) => info.path === path);
      added.push(existing ? { ...base, status: 'confirm', replaces: existing.sha256 } : { ...base, status: 'queued' });
    }
    this.#set([...this.#uploads, ...added]);
    this.#next();
  }

  confirm(key: number): void {
    this.#update(key, { status: 'queued' });
    this.#next();
  }

  /** Forget an upload: a "Replace?" answered no, or a finished one. */
  dismiss(key: number): void {
    if (this.#active?.key === key) return;
    this.#set(this.#uploads.filter((upload) => upload.key !== key));
  }

  cancel(key: number): void {
    if (this.#active?.key === key) this.#active.handle.cancel();
    else this.#update(key, { status: 'cancelled' });
  }

  clearFinished(): void {
    this.#set(this.#uploads.filter((upload) => !isFinished(upload)));
  }

  /** Stop everything (the page is left). */
  cancelAll(): void {
    for (const upload of this.#uploads) {
      if (upload.status === 'queued' || upload.status === 'confirm') this.#update(upload.key, { status: 'cancelled' });
    }
    this.#active?.handle.cancel();
  }

  #next(): void {
    if (this.#active) return;
    const upload = this.#uploads.find((candidate) => candidate.status === 'queued');
    if (!upload) {
      if (this.#endedSinceSettled && !this.busy) {
        this.#endedSinceSettled = false;
        this.#events.settled();
      }
      return;
    }
    const { key, path, file, replaces } = upload;
    this.#update(key, { status: 'uploading', loaded: 0 });
    const handle = startUpload({ itemId: this.#itemId, path, file, replaces, onProgress: (loaded) => this.#update(key, { loaded }) });
    this.#active = { key, handle };
    handle.done
      .then(
        (info) => {
          this.#endedSinceSettled = true;
          this.#update(key, { status: 'done', loaded: upload.size });
          this.#events.uploaded(info);
        },
        (error: unknown) => {
          if (error instanceof UploadCancelled) {
            this.#update(key, { status: 'cancelled' });
            return;
          }
          // A 412 means the list is out of date: the refresh shows what is there now.
          this.#endedSinceSettled = true;
          this.#update(key, { status: 'failed', error: uploadErrorMessage(error) });
        },
      )
      .finally(() => {
        this.#active = null;
        this.#next();
      });
  }

  #update(key: number, change: Partial<Upload>): void {
    this.#set(this.#uploads.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)));
  }

  #set(uploads: readonly Upload[]): void {
    this.#uploads = uploads;
    this.#listeners.forEach((listener) => listener());
  }
}

/** The upload queue of one dataset, and its uploads; leaving the page stops them. */
export function useUploadQueue(itemId: string): [UploadQueue, readonly Upload[]] {
  const queryClient = useQueryClient();
  const [queue] = useState(
    () =>
      new UploadQueue(itemId, {
        uploaded: (info) => showUploaded(queryClient, itemId, info),
        settled: () => void refreshFiles(queryClient, itemId),
      }),
  );
  const uploads = useSyncExternalStore(queue.subscribe, queue.snapshot);
  useEffect(() => () => queue.cancelAll(), [queue]);
  return [queue, uploads];
}
