// The signed-in session: the bearer token and when it expires, kept in localStorage until it
// expires or the user signs out. Components read it with useSession().
import { useSyncExternalStore } from 'react';

interface StoredSession {
  token: string;
  username: string;
  expiresAt: number; // epoch milliseconds
}

const STORAGE_KEY = 'registry.session';
// File downloads are plain links (streamed to disk, resumable), so the server also takes the
// token from this cookie — only on download routes, only same-site.
const DOWNLOAD_COOKIE = 'registry_token';
const listeners = new Set<() => void>();
let current: StoredSession | null = null;
let expiryTimer: ReturnType<typeof setTimeout> | undefined;
save(load());

function load(): StoredSession | null {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as StoredSession | null;
    return stored && stored.expiresAt > Date.now() ? stored : null;
  } catch {
    return null;
  }
}

function setDownloadCookie(next: StoredSession | null): void {
  const secure = globalThis.location?.protocol === 'https:' ? '; Secure' : '';
  const lifetime = next ? Math.max(0, Math.floor((next.expiresAt - Date.now()) / 1000)) : 0;
  document.cookie = `${DOWNLOAD_COOKIE}=${next?.token ?? ''}; Path=/api/v1/items/; Max-Age=${lifetime}; SameSite=Strict${secure}`;
}

function save(next: StoredSession | null): void {
  current = next;
  if (next) localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  else localStorage.removeItem(STORAGE_KEY);
  setDownloadCookie(next);
  clearTimeout(expiryTimer);
  // End the session the moment the token expires, so no page goes on as if signed in.
  if (next) expiryTimer = setTimeout(() => save(null), Math.min(next.expiresAt - Date.now(), 2 ** 31 - 1));
  listeners.forEach((listener) => listener());
}

function live(): StoredSession | null {
  return current && current.expiresAt > Date.now() ? current : null;
}

export const session = {
  start(token: string, username: string, expiresInSeconds: number): void {
    save({ token, username, expiresAt: Date.now() + expiresInSeconds * 1000 });
  },
  /** The token, or null once it has expired. */
  token(): string | null {
    return live()?.token ?? null;
  },
  username(): string | null {
    return live()?.username ?? null;
  },
  /** Sign out: forget the token. */
  end(): void {
    save(null);
  },
  /** The server refused the token (401): forget it; RequireSession sends the user to sign in. */
  expire(): void {
    save(null);
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** The signed-in username, or null; re-renders when the session starts or ends. */
export function useSession(): string | null {
  return useSyncExternalStore(session.subscribe, () => session.username());
}

/** Where to go after signing in: only a path on this site (a single leading slash), else '/'. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
