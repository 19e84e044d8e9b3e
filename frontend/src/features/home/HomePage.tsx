import { ApiError } from '../../api/client.ts';
import { useHealth } from './health.ts';

// Placeholder for the explore page: a heading and whether the API is up.
export function HomePage() {
  return (
    <section>
      <h1>Registry</h1>
      <p className="lead">A metadata registry for research.</p>
      <HealthStatus />
    </section>
  );
}

function HealthStatus() {
  const health = useHealth();

  if (health.isPending) {
    return (
      <p className="status" role="status">
        Checking the API…
      </p>
    );
  }

  if (health.isError) {
    return (
      <p className="status status--problem" role="alert">
        {describeError(health.error)}
      </p>
    );
  }

  const { status, database } = health.data;
  const allOk = status === 'ok' && database === 'ok';
  return (
    <p className={allOk ? 'status status--ok' : 'status status--problem'} role="status">
      API: {status} · database: {database}
    </p>
  );
}

function describeError(error: Error) {
  // Proxies answer 500/502/504 without a JSON body when nothing listens behind them.
  const unreachable =
    !(error instanceof ApiError) || ([500, 502, 503, 504].includes(error.status) && error.body === undefined);
  if (unreachable) {
    return (
      <>
        The API cannot be reached. Start it with <code>make run</code>.
      </>
    );
  }
  return <>The API answered with an error (HTTP {error.status}). Check the server’s log.</>;
}
