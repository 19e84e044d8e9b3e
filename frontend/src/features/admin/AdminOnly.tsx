import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../api/client.ts';
import { useMe } from '../auth/api.ts';

/** The page for registry-admins; everyone else is told which role it needs (nothing is fetched for them). */
export function AdminOnly({ task, children }: { task: string; children: ReactNode }) {
  const me = useMe();
  if (me.isPending) {
    return (
      <p className="loading admin-pending" role="status">
        Loading…
      </p>
    );
  }
  if (me.isError) {
    return (
      <div className="alert alert--error" role="alert">
        <p className="admin-alert__text">Your account details could not be loaded. {describeError(me.error)}</p>
        <button type="button" className="button" onClick={() => void me.refetch()}>
          Retry
        </button>
      </div>
    );
  }
  if (!me.data?.roles.includes('registry-admin')) {
    return (
      <>
        <h1>Access denied</h1>
        <p>You need the registry-admin role to {task}.</p>
        <p>
          <Link to="/">Back to Explore</Link>
        </p>
      </>
    );
  }
  return children;
}
