// Changes made with the session cookie must carry the header X-CSRF-Token equal to the
// `registry_csrf` cookie (DESIGN.md §3). Another site can make the browser send the Registry's
// cookies, but cannot read them, so it cannot send the header.

export const CSRF_COOKIE = 'registry_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a request with this method changes something, and so needs the CSRF header. */
export function needsCsrfToken(method: string): boolean {
  return !READ_METHODS.has(method.toUpperCase());
}

/** The value of the `registry_csrf` cookie, or null when there is none (no session). */
export function csrfToken(cookies: string = document.cookie): string | null {
  for (const cookie of cookies.split(';')) {
    const [name, ...value] = cookie.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join('=')) || null;
  }
  return null;
}
