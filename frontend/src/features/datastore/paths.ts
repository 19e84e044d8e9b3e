// File paths inside a dataset, as the server takes them (DESIGN.md §3): relative, `/`-separated,
// no empty, `.` or `..` parts, no backslash or control characters.

/** A path in a URL: each part encoded on its own, joined with `/` (the server refuses an encoded `/`). */
export function encodeFilePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** Where a file is downloaded from. A plain link works: the session's cookie signs it in. */
export function fileUrl(itemId: string, path: string): string {
  return `/api/v1/items/${encodeURIComponent(itemId)}/files/${encodeFilePath(path)}`;
}

function isControl(character: string): boolean {
  const code = character.charCodeAt(0);
  return code < 32 || code === 127;
}

export type FolderCheck = { ok: true; folder: string } | { ok: false; problem: string };

/** The upload form's Folder field: surrounding spaces and slashes dropped, then checked part by part. */
export function checkFolder(input: string): FolderCheck {
  const folder = input.trim().replace(/^\/+|\/+$/g, '');
  if (folder === '') return { ok: true, folder };
  if (folder.includes('\\')) return { ok: false, problem: 'Use / between folder names, not \\.' };
  if ([...folder].some(isControl)) return { ok: false, problem: 'A folder name cannot contain control characters.' };
  const parts = folder.split('/');
  if (parts.some((part) => part === '')) return { ok: false, problem: 'Leave no empty folder name between two slashes.' };
  if (parts.some((part) => part === '.' || part === '..')) return { ok: false, problem: 'A folder cannot be named . or .. here.' };
  return { ok: true, folder };
}

/** The path a chosen file is uploaded to. */
export function uploadPath(folder: string, fileName: string): string {
  return folder ? `${folder}/${fileName}` : fileName;
}
