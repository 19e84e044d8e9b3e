import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { describeError } from '../../api/client.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field, firstWithError, focusField, NO_ERRORS, PasswordField, serverErrors, type FieldErrors, type FormErrors } from '../../components/form.tsx';
import { useMe, type Me } from '../auth/api.ts';
import { DateTime } from '../items/format.tsx';
import { useAccessTokens, useChangePassword, useCreateAccessToken, useRevokeAccessToken, type AccessToken, type NewAccessToken } from './api.ts';
import './account.css';

/** The signed-in user's own page: who they are, their personal access tokens, their password. */
export function AccountPage() {
  // RequireSession renders this page only once /me has answered with a user.
  const me = useMe().data;
  if (!me) return null;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Your account</h1>
          <p className="lead account-lead">
            {me.display_name} ({me.username}) · {me.email}
          </p>
        </div>
      </div>
      <AccountFacts me={me} />
      <AccessTokens />
      <section className="account-section" aria-labelledby="password-heading">
        <h2 id="password-heading">Change password</h2>
        {me.source === 'local' ? (
          <ChangePasswordForm />
        ) : (
          <p className="card muted account-password-elsewhere">
            You sign in through your organisation, so your password is kept there, not in the Registry. Change it at your organisation's sign-in
            service.
          </p>
        )}
      </section>
    </>
  );
}

function AccountFacts({ me }: { me: Me }) {
  return (
    <dl className="account-facts">
      <div>
        <dt>Roles</dt>
        <dd>{me.roles.length > 0 ? me.roles.join(', ') : 'None yet: ask a registry administrator for access.'}</dd>
      </div>
      <div>
        <dt>Groups</dt>
        <dd>{me.groups.length > 0 ? me.groups.map((group) => group.name).join(', ') : 'None'}</dd>
      </div>
      <div>
        <dt>Signs in</dt>
        <dd>{me.source === 'local' ? 'With a password kept by the Registry' : 'Through your organisation'}</dd>
      </div>
    </dl>
  );
}

function AccessTokens() {
  const heading = useRef<HTMLHeadingElement>(null);
  const [revoked, setRevoked] = useState<string | null>(null);
  return (
    <section className="account-section" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading" ref={heading} tabIndex={-1}>
        Personal access tokens
      </h2>
      <p className="account-section__intro">
        Scripts and other programs sign in with a token instead of your password: they send it in the header <code>Authorization: Bearer</code>{' '}
        followed by the token. A token acts as you, with your roles; a read token cannot change anything. Revoke a token as soon as it is no longer
        needed or may have been seen by someone else.
      </p>
      <div className="account-tokens">
        <div>
          <TokenTable
            onRevoked={(name) => {
              setRevoked(name);
              heading.current?.focus();
            }}
          />
          <p role="status" className="account-done">
            {revoked && `Token “${revoked}” revoked. Programs using it can no longer sign in with it.`}
          </p>
        </div>
        <CreateTokenForm onCreated={() => setRevoked(null)} />
      </div>
    </section>
  );
}

function TokenTable({ onRevoked }: { onRevoked: (name: string) => void }) {
  const tokens = useAccessTokens();
  if (tokens.isPending) {
    return (
      <p className="loading account-pending" role="status">
        Loading tokens…
      </p>
    );
  }
  if (tokens.isError) {
    return (
      <div className="alert alert--error" role="alert">
        <p className="account-alert__text">Your tokens could not be loaded. {describeError(tokens.error)}</p>
        <button type="button" className="button" onClick={() => void tokens.refetch()} aria-busy={tokens.isFetching}>
          Retry
        </button>
      </div>
    );
  }
  if (tokens.data.length === 0) {
    return <p className="card muted">You have no tokens. Create one with the form on this page when a program needs to use the Registry as you.</p>;
  }
  return (
    <div className="account-table-wrap">
      <table className="table">
        <caption className="visually-hidden">Your personal access tokens</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Scope</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.data.map((token) => (
            <TokenRow key={token.id} token={token} onRevoked={onRevoked} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

const SCOPE_LABELS: Record<AccessToken['scope'], string> = { read: 'Read', write: 'Read and write' };

function TokenRow({ token, onRevoked }: { token: AccessToken; onRevoked: (name: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const revoke = useRevokeAccessToken();
  const confirmButton = useRef<HTMLButtonElement>(null);
  const revokeButton = useRef<HTMLButtonElement>(null);
  // Focus follows the question: to "Yes, revoke" when asked, back to "Revoke" on Cancel.
  const returnFocus = useRef(false);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (returnFocus.current) revokeButton.current?.focus();
  }, [confirming]);
  const expired = Date.parse(token.expires_at) <= Date.now();

  function cancel() {
    revoke.reset();
    returnFocus.current = true;
    setConfirming(false);
  }

  return (
    <tr>
      <th scope="row" className="account-table__name">
        {token.name}
      </th>
      <td>{SCOPE_LABELS[token.scope]}</td>
      <td>
        <DateTime value={token.created_at} />
      </td>
      <td>
        <DateTime value={token.expires_at} /> {expired && <span className="badge">expired</span>}
      </td>
      <td>{token.last_used_at ? <DateTime value={token.last_used_at} /> : <span className="muted">never</span>}</td>
      <td className="account-table__actions">
        {confirming ? (
          <span className="account-confirm" role="group" aria-label={`Revoke the token ${token.name}`}>
            <span>Revoke “{token.name}”? Programs using it stop working at once.</span>
            <span className="button-row">
              <button
                ref={confirmButton}
                type="button"
                className="button button--danger"
                disabled={revoke.isPending}
                aria-busy={revoke.isPending}
                onClick={() => revoke.mutate(token.id, { onSuccess: () => onRevoked(token.name) })}
              >
                Yes, revoke
              </button>
              <button type="button" className="button button--quiet" onClick={cancel} disabled={revoke.isPending}>
                Cancel
              </button>
            </span>
          </span>
        ) : (
          <button ref={revokeButton} type="button" className="button button--quiet" aria-label={`Revoke ${token.name}`} onClick={() => setConfirming(true)}>
            Revoke
          </button>
        )}
        {revoke.isError && (
          <span className="field__error account-row-error" role="alert">
            The token could not be revoked. {describeError(revoke.error)}
          </span>
        )}
      </td>
    </tr>
  );
}

const TOKEN_FIELDS = ['name', 'scope', 'expires_in_days'] as const;
type TokenField = (typeof TOKEN_FIELDS)[number];

const DEFAULT_EXPIRY_DAYS = '90';
const TOKEN_RULES: FieldErrors<TokenField> = {
  name: 'Use 1 to 100 characters.',
  expires_in_days: 'A whole number of days from 1 to 365.',
};

function checkToken(name: string, days: string): FieldErrors<TokenField> {
  const errors: FieldErrors<TokenField> = {};
  if (!name.trim()) errors.name = 'Give the token a name that says what it is for.';
  const number = Number(days);
  if (!/^\d+$/.test(days.trim()) || number < 1 || number > 365) errors.expires_in_days = 'Enter a whole number of days from 1 to 365.';
  return errors;
}

function CreateTokenForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [scope, setScope] = useState<AccessToken['scope']>('read');
  const [days, setDays] = useState(DEFAULT_EXPIRY_DAYS);
  const [errors, setErrors] = useState<FormErrors<TokenField>>(NO_ERRORS);
  const create = useCreateAccessToken();
  const form = useRef<HTMLFormElement>(null);
  const submitButton = useRef<HTMLButtonElement>(null);
  const scopeHelp = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = checkToken(name, days);
    if (firstWithError(TOKEN_FIELDS, found)) {
      setErrors({ fields: found, general: null });
      focusField(form.current, firstWithError(TOKEN_FIELDS, found));
      return;
    }
    setErrors(NO_ERRORS);
    create.mutate(
      { name: name.trim(), scope, expires_in_days: Number(days) },
      {
        onSuccess: () => {
          setName('');
          setScope('read');
          setDays(DEFAULT_EXPIRY_DAYS);
          onCreated();
        },
        onError: (failure) => {
          const fromServer = serverErrors(failure, { fields: TOKEN_FIELDS, rules: TOKEN_RULES });
          setErrors(fromServer);
          focusField(form.current, firstWithError(TOKEN_FIELDS, fromServer.fields));
        },
      },
    );
  }

  return (
    <section className="card account-create" aria-labelledby="create-token-heading">
      <h3 id="create-token-heading">Create a token</h3>
      <form ref={form} onSubmit={submit} noValidate>
        {errors.general && (
          <p className="alert alert--error" role="alert">
            {errors.general}
          </p>
        )}
        <Field label="Name" help="What the token is for, such as “Nightly backup script”." error={errors.fields.name}>
          {(control) => <input {...control} name="name" autoComplete="off" maxLength={100} value={name} onChange={(event) => setName(event.target.value)} />}
        </Field>
        <fieldset className="field account-scope" aria-describedby={errors.fields.scope ? `${scopeHelp}-error` : undefined}>
          <legend className="field__label">Scope</legend>
          <label className="account-scope__choice">
            <input type="radio" name="scope" value="read" checked={scope === 'read'} onChange={() => setScope('read')} />
            <span>
              Read <span className="field__help">— view records and download files</span>
            </span>
          </label>
          <label className="account-scope__choice">
            <input type="radio" name="scope" value="write" checked={scope === 'write'} onChange={() => setScope('write')} />
            <span>
              Read and write <span className="field__help">— also register, change and upload, as far as your roles allow</span>
            </span>
          </label>
          {errors.fields.scope && (
            <span id={`${scopeHelp}-error`} className="field__error">
              {errors.fields.scope}
            </span>
          )}
        </fieldset>
        <Field label="Expires after (days)" help="From 1 to 365 days." error={errors.fields.expires_in_days}>
          {(control) => (
            <input
              {...control}
              name="expires_in_days"
              type="number"
              inputMode="numeric"
              min={1}
              max={365}
              step={1}
              value={days}
              onChange={(event) => setDays(event.target.value)}
            />
          )}
        </Field>
        <div className="button-row">
          <button ref={submitButton} type="submit" className="button button--primary" disabled={create.isPending} aria-busy={create.isPending}>
            Create token
          </button>
        </div>
      </form>
      {create.data && <NewTokenDialog token={create.data} onClose={() => create.reset()} returnFocus={submitButton} />}
    </section>
  );
}

/** The new token's secret, shown this once; closing the dialog forgets it (reset drops the answer). */
interface NewTokenDialogProps {
  token: NewAccessToken;
  onClose: () => void;
  returnFocus: RefObject<HTMLElement | null>;
}

function NewTokenDialog({ token, onClose, returnFocus }: NewTokenDialogProps) {
  const secret = useRef<HTMLInputElement>(null);
  const warningId = useId();
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');

  function copySecret() {
    navigator.clipboard.writeText(token.token).then(
      () => setCopy('copied'),
      () => setCopy('failed'),
    );
  }

  return (
    <Dialog title={`Your new token “${token.name}”`} onClose={onClose} initialFocus={secret} returnFocus={returnFocus}>
      <p id={warningId} className="alert alert--info account-secret__warning">
        <strong>Copy it now: you will not see it again.</strong> The Registry does not keep the token itself, so it cannot show it to you later. Store
        it where you keep passwords.
      </p>
      <div className="field">
        <label className="field__label" htmlFor={`${warningId}-secret`}>
          Token
        </label>
        <input
          ref={secret}
          id={`${warningId}-secret`}
          className="account-secret__value"
          readOnly
          value={token.token}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={warningId}
          onFocus={(event) => event.target.select()}
        />
      </div>
      <p className="muted account-secret__expiry">
        {SCOPE_LABELS[token.scope]} access, until <DateTime value={token.expires_at} />.
      </p>
      <div className="button-row">
        {navigator.clipboard && (
          <button type="button" className="button button--primary" onClick={copySecret}>
            {copy === 'copied' ? 'Copied' : 'Copy token'}
          </button>
        )}
        <button type="button" className="button" onClick={onClose}>
          Done
        </button>
      </div>
      <p role="status" className="account-secret__status">
        {copy === 'copied' ? 'The token is copied to the clipboard.' : copy === 'failed' ? 'The browser did not allow copying: select the token and copy it yourself.' : ''}
      </p>
    </Dialog>
  );
}

const PASSWORD_FIELDS = ['current_password', 'new_password', 'repeat_password'] as const;
type PasswordFormField = (typeof PASSWORD_FIELDS)[number];

const MIN_PASSWORD_LENGTH = 12;
const PASSWORD_RULES: FieldErrors<PasswordFormField> = { new_password: `Use at least ${MIN_PASSWORD_LENGTH} characters.` };

interface PasswordValues {
  current_password: string;
  new_password: string;
  repeat_password: string;
}

const NO_PASSWORDS: PasswordValues = { current_password: '', new_password: '', repeat_password: '' };

function checkPasswords(values: PasswordValues): FieldErrors<PasswordFormField> {
  const errors: FieldErrors<PasswordFormField> = {};
  if (!values.current_password) errors.current_password = 'Enter your current password.';
  if (values.new_password.length < MIN_PASSWORD_LENGTH) {
    errors.new_password = values.new_password ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : 'Enter a new password.';
  } else if (values.repeat_password !== values.new_password) {
    errors.repeat_password = 'The two new passwords differ. Type the same new password twice.';
  }
  return errors;
}

function ChangePasswordForm() {
  const [values, setValues] = useState<PasswordValues>(NO_PASSWORDS);
  const [errors, setErrors] = useState<FormErrors<PasswordFormField>>(NO_ERRORS);
  const [changed, setChanged] = useState(false);
  const change = useChangePassword();
  const form = useRef<HTMLFormElement>(null);
  const set = (field: PasswordFormField) => (event: { target: { value: string } }) => setValues((current) => ({ ...current, [field]: event.target.value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    setChanged(false);
    const found = checkPasswords(values);
    if (firstWithError(PASSWORD_FIELDS, found)) {
      setErrors({ fields: found, general: null });
      focusField(form.current, firstWithError(PASSWORD_FIELDS, found));
      return;
    }
    setErrors(NO_ERRORS);
    change.mutate(
      { current_password: values.current_password, new_password: values.new_password },
      {
        onSuccess: () => {
          setValues(NO_PASSWORDS);
          setChanged(true);
        },
        onError: (failure) => {
          const fromServer = serverErrors(failure, { fields: PASSWORD_FIELDS, rules: PASSWORD_RULES });
          setErrors(fromServer);
          focusField(form.current, firstWithError(PASSWORD_FIELDS, fromServer.fields));
        },
      },
    );
  }

  return (
    <form ref={form} className="card account-password" onSubmit={submit} noValidate>
      {errors.general && (
        <p className="alert alert--error" role="alert">
          {errors.general}
        </p>
      )}
      <PasswordField
        label="Current password"
        name="current_password"
        autoComplete="current-password"
        value={values.current_password}
        onChange={set('current_password')}
        error={errors.fields.current_password}
      />
      <PasswordField
        label="New password"
        help={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        name="new_password"
        autoComplete="new-password"
        value={values.new_password}
        onChange={set('new_password')}
        error={errors.fields.new_password}
      />
      <PasswordField
        label="Repeat the new password"
        name="repeat_password"
        autoComplete="new-password"
        value={values.repeat_password}
        onChange={set('repeat_password')}
        error={errors.fields.repeat_password}
      />
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={change.isPending} aria-busy={change.isPending}>
          Change password
        </button>
      </div>
      <p role="status" className="account-done">
        {changed && 'Your password is changed. You stay signed in here; everywhere else you were signed in, you are signed out.'}
      </p>
    </form>
  );
}
