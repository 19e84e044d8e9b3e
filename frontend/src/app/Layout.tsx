import { Link, NavLink, Outlet } from 'react-router';
import { ApiError, describeError } from '../api/client.ts';
import { useMe, useReturnToSignInWhenSessionEnds, useSignOut, type Me } from '../features/auth/api.ts';

export function Layout() {
  const me = useMe();
  useReturnToSignInWhenSessionEnds();
  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="site-header__brand">
          Registry
        </Link>
        {me.data && <Navigation me={me.data} />}
      </header>
      <main id="main" className="site-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

function Navigation({ me }: { me: Me }) {
  const canWrite = me.roles.includes('registry-write');
  const isAdmin = me.roles.includes('registry-admin');
  const signOut = useSignOut();
  // A 401 means the session had already ended: the app is on its way to the sign-in page anyway.
  const failed = signOut.isError && !(signOut.error instanceof ApiError && signOut.error.status === 401);
  return (
    <>
      <nav className="site-nav" aria-label="Main">
        <NavLink to="/" end>
          Explore
        </NavLink>
        <NavLink to="/datastore">Datastore</NavLink>
        {canWrite && <NavLink to="/register">Register</NavLink>}
        {isAdmin && <NavLink to="/admin/groups">Groups</NavLink>}
        {isAdmin && <NavLink to="/admin/users">Users</NavLink>}
      </nav>
      <div className="site-user">
        <span className="site-user__name">{me.display_name}</span>
        <NavLink to="/account" className="site-user__account">
          Account
        </NavLink>
        <button type="button" className="button button--quiet" onClick={() => signOut.mutate()} disabled={signOut.isPending} aria-busy={signOut.isPending}>
          Sign out
        </button>
        {failed && (
          <span className="site-user__error" role="alert">
            You are still signed in. {describeError(signOut.error)}
          </span>
        )}
      </div>
    </>
  );
}
