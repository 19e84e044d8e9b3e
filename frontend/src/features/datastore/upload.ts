// One file's upload: a PUT of its bytes with XMLHttpRequest, because fetch reports no upload progress.
import { ApiError, NetworkError } from '../../api/client.ts';
import { CSRF_HEADER, csrfToken } from '../../api/csrf.ts';
import { sessionEnd } from '../auth/session.ts';
import type { FileInfo } from './api.ts';
import { fileUrl } from './paths.ts';

export interface UploadRequest {
  itemId: string;
  path: string;
  file: Blob;
  /** The sha256 of the file this one replaces (sent as If-Match); absent for a new path. */
  replaces?: string;
  onProgress: (loaded: number) => void;
}

export interface UploadHandle {
  /** The stored file; rejects with ApiError, NetworkError or UploadCancelled. */
  done: Promise<FileInfo>;
  cancel: () => void;
}

export class UploadCancelled extends Error {
  constructor() {
    super('The upload was cancelled.');
    this.name = 'UploadCancelled';
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function startUpload({ itemId, path, file, replaces, onProgress }: UploadRequest): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<FileInfo>((resolve, reject) => {
    xhr.open('PUT', fileUrl(itemId, path));
    // As for every change through api/client.ts: the session cookie goes by itself, the CSRF header by hand.
    const token = csrfToken();
    if (token) xhr.setRequestHeader(CSRF_HEADER, token);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (replaces) xhr.setRequestHeader('If-Match', `"${replaces}"`);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      const body = parse(xhr.responseText);
      if (xhr.status === 200 || xhr.status === 201) {
        resolve(body as FileInfo);
        return;
      }
      // As for every other call (api/client.ts): a 401 means the session has ended.
      if (xhr.status === 401) sessionEnd.report();
      reject(new ApiError(xhr.status, body));
    };
    xhr.onerror = () => reject(new NetworkError(new Error(`PUT ${path} failed`)));
    xhr.onabort = () => reject(new UploadCancelled());
    xhr.send(file);
  });
  return { done, cancel: () => xhr.abort() };
}
