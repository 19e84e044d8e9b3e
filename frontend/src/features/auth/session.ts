// The browser's session is the pair of cookies the server sets at sign-in (DESIGN.md §3): the
// HttpOnly session cookie, which the app never sees, and the CSRF cookie it echoes on changes
// (api/csrf.ts). Nothing is kept in storage; who is signed in comes from GET /me (auth/api.ts).
//
// This module carries one piece of news from code outside React (the API client, the upload
// request) into the app: the server refused a request with 401, so the session has ended.

type Listener = () => void;

const listeners = new Set<Listener>();

export const sessionEnd = {
  /** A request was refused with 401: signed out elsewhere, expired, or the account deactivated. */
  report(): void {
    for (const listener of [...listeners]) listener();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

/** Where to go after signing in: only a path on this site (a single leading slash), else '/'. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/** The sign-in page, with the way back to `location` once signed in. */
export function signInPath(location: { pathname: string; search: string }): string {
  return `/signin?next=${encodeURIComponent(`${location.pathname}${location.search}`)}`;
}
