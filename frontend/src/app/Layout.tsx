import { Link, NavLink, Outlet } from 'react-router';
import { useHasRole, useMe, useSignOut } from '../features/auth/api.ts';
import { useSession } from '../features/auth/session.ts';

export function Layout() {
  const username = useSession();
  return (
    <div className="layout">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="site-header__brand">
          Registry
        </Link>
        {username && <Navigation />}
      </header>
      <main id="main" className="site-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

function Navigation() {
  const me = useMe();
  const canWrite = useHasRole('registry-write');
  const isAdmin = useHasRole('registry-admin');
  const signOut = useSignOut();
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
        <span className="site-user__name">{me.data?.display_name ?? me.data?.username}</span>
        <button type="button" className="button button--quiet" onClick={signOut}>
          Sign out
        </button>
      </div>
    </>
  );
}
