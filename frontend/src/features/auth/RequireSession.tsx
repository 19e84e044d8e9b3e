import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from './session.ts';

/** Pages behind sign-in: a signed-out visitor goes to /signin?next=<where they were>. */
export function RequireSession() {
  const username = useSession();
  const location = useLocation();
  if (!username) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/signin?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}
