import { Navigate, Outlet, useLocation } from 'react-router';
import { describeError } from '../../api/client.ts';
import { useMe } from './api.ts';
import { signInPath } from './session.ts';

/** Pages behind sign-in: a signed-out visitor goes to /signin?next=<where they were>. */
export function RequireSession() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) {
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }
  if (me.isError) {
    return (
      <div className="alert alert--error" role="alert">
        <p className="session-alert__text">Your account details could not be loaded. {describeError(me.error)}</p>
        <button type="button" className="button" onClick={() => void me.refetch()} aria-busy={me.isFetching}>
          Retry
        </button>
      </div>
    );
  }
  if (me.data === null) return <Navigate to={signInPath(location)} replace />;
  return <Outlet />;
}
