import { Link } from 'react-router';

// Shown instead of the layout when rendering a page throws.
export function RouteError() {
  return (
    <main className="site-main">
      <h1>Something went wrong</h1>
      <p>The page could not be shown. Reload it, or go back to the start page.</p>
      <p>
        <Link to="/">Go to the start page</Link>
      </p>
    </main>
  );
}
