import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { describeError } from '../../api/client.ts';
import { providerSignInUrl, useAuthConfig, useMe, useSignIn } from './api.ts';
import { safeNext } from './session.ts';
import { signInErrorMessage } from './signInErrors.ts';

/** Sign in with what the server offers (GET /auth/config): the organisation's sign-in, a local account, or both. */
export function SignInPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const providerProblem = signInErrorMessage(params.get('error'));
  const me = useMe();
  const config = useAuthConfig();
  const signIn = useSignIn();

  // Already signed in (e.g. back to this page): straight on. After signing in here, the form goes on by itself.
  if (me.data && signIn.isIdle) return <Navigate to={next} replace />;

  return (
    <section className="signin">
      <h1>Sign in to the Registry</h1>
      {providerProblem && (
        <p className="alert alert--error" role="alert">
          {providerProblem}
        </p>
      )}
      {config.isPending ? (
        <p className="loading" role="status">
          Loading…
        </p>
      ) : config.isError ? (
        <div className="alert alert--error" role="alert">
          <p className="signin__alert-text">The sign-in options could not be loaded. {describeError(config.error)}</p>
          <button type="button" className="button" onClick={() => void config.refetch()} aria-busy={config.isFetching}>
            Retry
          </button>
        </div>
      ) : (
        <>
          {config.data.oidc && (
            <button
              type="button"
              className="button button--primary signin__provider"
              // A whole-page visit: the server sends the browser on to the provider's own sign-in page.
              onClick={() => window.location.assign(providerSignInUrl(next))}
            >
              {config.data.oidc.name}
            </button>
          )}
          {config.data.oidc && config.data.local && (
            <p className="signin__or">
              <span>or with a Registry account</span>
            </p>
          )}
          {config.data.local && <LocalSignInForm next={next} signIn={signIn} />}
          {!config.data.oidc && !config.data.local && (
            <p className="alert alert--info">No way of signing in is set up on this Registry. Ask its administrator.</p>
          )}
        </>
      )}
    </section>
  );
}

function LocalSignInForm({ next, signIn }: { next: string; signIn: ReturnType<typeof useSignIn> }) {
  const navigate = useNavigate();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    signIn.mutate({ username, password }, { onSuccess: () => void navigate(next, { replace: true }) });
  }

  const busy = signIn.isPending || signIn.isSuccess;
  return (
    <form className="signin__form" onSubmit={submit} aria-busy={busy}>
      {signIn.isError && (
        <p className="alert alert--error" role="alert">
          {describeError(signIn.error)}
        </p>
      )}
      <label className="field">
        <span className="field__label">Username</span>
        <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
      </label>
      <label className="field">
        <span className="field__label">Password</span>
        <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
