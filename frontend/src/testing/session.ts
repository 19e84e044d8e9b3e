// A signed-in browser, as far as the app can tell: the server sets the readable CSRF cookie with the
// HttpOnly session cookie, and the app asks GET /me (stubbed by each test) only when it is there.
import { CSRF_COOKIE } from '../api/csrf.ts';

export const TEST_CSRF_TOKEN = 'csrf-token-for-tests';

export function startSession(): void {
  document.cookie = `${CSRF_COOKIE}=${TEST_CSRF_TOKEN}; path=/`;
}

/** What the server's sign-out leaves: no cookie. */
export function endSession(): void {
  document.cookie = `${CSRF_COOKIE}=; path=/; max-age=0`;
}
