import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../api/client.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Field, firstWithError, focusField, NO_ERRORS, PasswordField, serverErrors, type FieldErrors, type FormErrors } from '../../components/form.tsx';
import { useMe } from '../auth/api.ts';
import { AdminOnly } from './AdminOnly.tsx';
import { useCreateUser, useResetPassword, useUpdateUser, useUsers, type GeneralRole, type User } from './api.ts';
import './admin.css';

const ROLES: readonly { value: GeneralRole; can: string }[] = [
  { value: 'registry-read', can: 'Can explore and view records.' },
  { value: 'registry-write', can: 'Can also register, edit and clone records.' },
  { value: 'registry-admin', can: 'Can also manage users, groups and every record.' },
];

const USER_FIELDS = ['username', 'display_name', 'email', 'password', 'roles'] as const;
type UserField = (typeof USER_FIELDS)[number];

const MIN_PASSWORD_LENGTH = 12;

// The server's rules, in words (they are also shown as each field's help).
const RULES: Record<Exclude<UserField, 'roles'>, string> = {
  username: '1 to 64 letters, digits, dots, underscores or hyphens, starting with a letter or digit.',
  display_name: 'Use 1 to 256 characters.',
  email: 'An e-mail address such as name@example.org.',
  password: `At least ${MIN_PASSWORD_LENGTH} characters.`,
};

export function UsersPage() {
  return (
    <AdminOnly task="manage users">
      <UsersAdmin />
    </AdminOnly>
  );
}

function UsersAdmin() {
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Users</h1>
          <p className="lead admin-lead">Everyone who can sign in to the Registry, and what they may do.</p>
        </div>
      </div>
      <section className="admin-users" aria-labelledby="users-heading">
        <h2 id="users-heading">All users</h2>
        <UserTable />
      </section>
      <div className="admin-users__create">
        <CreateUserForm />
      </div>
    </>
  );
}

const countOf = (users: number) => (users === 1 ? '1 user' : `${users} users`);

function matches(user: User, search: string): boolean {
  const wanted = search.trim().toLowerCase();
  return [user.username, user.display_name, user.email].some((text) => text.toLowerCase().includes(wanted));
}

function UserTable() {
  const users = useUsers();
  const signedIn = useMe().data?.username;
  const [search, setSearch] = useState('');
  // What the last change did, said once for everyone (the row that changed may have moved or gone).
  const [done, setDone] = useState('');
  const searchId = useId();
  if (users.isPending) {
    return (
      <p className="loading admin-pending" role="status">
        Loading users…
      </p>
    );
  }
  if (users.isError) {
    return (
      <div className="alert alert--error" role="alert">
        <p className="admin-alert__text">The users could not be loaded. {describeError(users.error)}</p>
        <button type="button" className="button" onClick={() => void users.refetch()} aria-busy={users.isFetching}>
          Retry
        </button>
      </div>
    );
  }
  const shown = users.data.filter((user) => matches(user, search));
  return (
    <>
      <div className="admin-find">
        <label className="field__label" htmlFor={searchId}>
          Find a user
        </label>
        <input
          id={searchId}
          type="search"
          autoComplete="off"
          placeholder="Username, name or e-mail"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <span className="muted" role="status">
          {search.trim() ? `${shown.length} of ${countOf(users.data.length)}` : countOf(users.data.length)}
        </span>
      </div>
      <p role="status" className="admin-create__done admin-users__done">
        {done}
      </p>
      {shown.length === 0 ? (
        <p className="card muted">No user matches “{search.trim()}”. Try part of a username, name or e-mail address.</p>
      ) : (
        <div className="admin-table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Display name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Roles</th>
                <th scope="col">Signs in</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((user) => (
                <UserRow key={user.username} user={user} isSelf={user.username === signedIn} onDone={setDone} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

interface UserRowProps {
  user: User;
  /** The signed-in administrator's own row: the server refuses to deactivate or demote them. */
  isSelf: boolean;
  onDone: (message: string) => void;
}

type OpenDialog = 'role' | 'password' | null;

function UserRow({ user, isSelf, onDone }: UserRowProps) {
  const [dialog, setDialog] = useState<OpenDialog>(null);
  return (
    <tr className={user.active ? undefined : 'admin-users__inactive'}>
      <th scope="row" className="admin-table__key">
        {user.username}
      </th>
      <td>{user.display_name}</td>
      <td>{user.email}</td>
      <td>
        <span className="admin-roles">
          {user.roles.length === 0 && <span className="muted">none</span>}
          {user.roles.map((role) => (
            <span key={role} className="badge">
              {role}
            </span>
          ))}
        </span>
      </td>
      <td>{user.source === 'local' ? 'Password' : 'Organisation'}</td>
      <td>
        <span className={user.active ? 'badge admin-status--active' : 'badge admin-status--inactive'}>{user.active ? 'Active' : 'Deactivated'}</span>
      </td>
      <td className="admin-users__actions">
        {isSelf ? (
          <span className="muted">
            This is you. Change your password on <Link to="/account">your account page</Link>.
          </span>
        ) : (
          <span className="admin-users__buttons">
            <button type="button" className="button button--quiet" aria-label={`Change the role of ${user.username}`} onClick={() => setDialog('role')}>
              Change role
            </button>
            {user.source === 'local' && (
              <button
                type="button"
                className="button button--quiet"
                aria-label={`Reset the password of ${user.username}`}
                onClick={() => setDialog('password')}
              >
                Reset password
              </button>
            )}
            <ActiveSwitch user={user} onDone={onDone} />
          </span>
        )}
        {dialog === 'role' && <ChangeRoleDialog user={user} onClose={() => setDialog(null)} onDone={onDone} />}
        {dialog === 'password' && <ResetPasswordDialog user={user} onClose={() => setDialog(null)} onDone={onDone} />}
      </td>
    </tr>
  );
}

/** Deactivate or reactivate, asking in place before anything changes. */
function ActiveSwitch({ user, onDone }: { user: User; onDone: (message: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const update = useUpdateUser();
  const confirmButton = useRef<HTMLButtonElement>(null);
  const askButton = useRef<HTMLButtonElement>(null);
  // Focus follows the question: to "Yes, …" when asked, back to the button on Cancel or once done.
  const returnFocus = useRef(false);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (returnFocus.current) askButton.current?.focus();
  }, [confirming]);

  const verb = user.active ? 'Deactivate' : 'Reactivate';
  const question = user.active
    ? `Deactivate ${user.username}? They are signed out at once, and their tokens stop working until the account is reactivated.`
    : `Reactivate ${user.username}? They can sign in again, and their unexpired tokens work again.`;

  function finish() {
    returnFocus.current = true;
    setConfirming(false);
  }

  function confirm() {
    update.mutate(
      { username: user.username, change: { active: !user.active } },
      {
        onSuccess: (changed) => {
          onDone(changed.active ? `${changed.username} is active again.` : `${changed.username} is deactivated and signed out.`);
          finish();
        },
      },
    );
  }

  if (!confirming) {
    return (
      <button
        ref={askButton}
        type="button"
        className={user.active ? 'button button--quiet admin-danger' : 'button button--quiet'}
        aria-label={`${verb} ${user.username}`}
        onClick={() => {
          update.reset();
          setConfirming(true);
        }}
      >
        {verb}
      </button>
    );
  }
  return (
    <span className="admin-users__confirm" role="group" aria-label={`${verb} ${user.username}`}>
      <span>{question}</span>
      <span className="button-row">
        <button
          ref={confirmButton}
          type="button"
          className={user.active ? 'button button--danger' : 'button button--primary'}
          disabled={update.isPending}
          aria-busy={update.isPending}
          onClick={confirm}
        >
          Yes, {verb.toLowerCase()}
        </button>
        <button type="button" className="button button--quiet" onClick={finish} disabled={update.isPending}>
          Cancel
        </button>
      </span>
      {update.isError && (
        <span className="field__error" role="alert">
          {user.username} could not be {user.active ? 'deactivated' : 'reactivated'}. {describeError(update.error)}
        </span>
      )}
    </span>
  );
}

/** The role that includes the others the user has: the one the role dialog starts from. */
function highestRole(roles: readonly GeneralRole[]): GeneralRole | 'none' {
  return [...ROLES].reverse().find((role) => roles.includes(role.value))?.value ?? 'none';
}

interface UserDialogProps {
  user: User;
  onClose: () => void;
  onDone: (message: string) => void;
}

function ChangeRoleDialog({ user, onClose, onDone }: UserDialogProps) {
  const [role, setRole] = useState<GeneralRole | 'none'>(highestRole(user.roles));
  const update = useUpdateUser();
  const choices = [{ value: 'none' as const, can: 'Can sign in, but sees nothing until given a role.' }, ...ROLES];

  function submit(event: FormEvent) {
    event.preventDefault();
    update.mutate(
      { username: user.username, change: { roles: role === 'none' ? [] : [role] } },
      {
        onSuccess: (changed) => {
          onDone(`${changed.username} now has ${role === 'none' ? 'no role' : role}. It applies from their next request.`);
          onClose();
        },
      },
    );
  }

  return (
    <Dialog title={`Change the role of ${user.display_name} (${user.username})`} onClose={onClose}>
      <form onSubmit={submit}>
        {update.isError && (
          <p className="alert alert--error" role="alert">
            The role could not be changed. {describeError(update.error)}
          </p>
        )}
        <fieldset className="admin-role-choices">
          <legend className="field__label">Role</legend>
          {choices.map((choice) => (
            <label key={choice.value} className="admin-role-choice">
              <input type="radio" name="role" value={choice.value} checked={role === choice.value} onChange={() => setRole(choice.value)} />
              <span>
                {choice.value === 'none' ? 'No role' : choice.value}
                <span className="field__help admin-role-choice__help">{choice.can}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <p className="field__help">Each role includes the ones before it.</p>
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={update.isPending} aria-busy={update.isPending}>
            Save role
          </button>
          <button type="button" className="button" onClick={onClose} disabled={update.isPending}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

const PASSWORD_FIELDS = ['password', 'repeat_password'] as const;
type PasswordField = (typeof PASSWORD_FIELDS)[number];

function ResetPasswordDialog({ user, onClose, onDone }: UserDialogProps) {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [errors, setErrors] = useState<FormErrors<PasswordField>>(NO_ERRORS);
  const reset = useResetPassword();
  const form = useRef<HTMLFormElement>(null);
  const first = useRef<HTMLInputElement>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const found: FieldErrors<PasswordField> = {};
    if (password.length < MIN_PASSWORD_LENGTH) found.password = password ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : 'Enter the new password.';
    else if (repeat !== password) found.repeat_password = 'The two passwords differ. Type the same password twice.';
    if (firstWithError(PASSWORD_FIELDS, found)) {
      setErrors({ fields: found, general: null });
      focusField(form.current, firstWithError(PASSWORD_FIELDS, found));
      return;
    }
    setErrors(NO_ERRORS);
    reset.mutate(
      { username: user.username, password },
      {
        onSuccess: () => {
          onDone(`${user.username} has a new password and was signed out everywhere. Give them the password in person or by phone, not by e-mail.`);
          onClose();
        },
        onError: (failure) => {
          const fromServer = serverErrors(failure, { fields: PASSWORD_FIELDS, rules: { password: RULES.password } });
          setErrors(fromServer);
          focusField(form.current, firstWithError(PASSWORD_FIELDS, fromServer.fields));
        },
      },
    );
  }

  return (
    <Dialog title={`Reset the password of ${user.display_name} (${user.username})`} onClose={onClose} initialFocus={first}>
      <form ref={form} onSubmit={submit} noValidate className="admin-dialog-form">
        <p>They are signed out everywhere at once and sign in again with the new password. Their personal access tokens keep working.</p>
        {errors.general && (
          <p className="alert alert--error" role="alert">
            {errors.general}
          </p>
        )}
        <PasswordField
          label="New password"
          help={RULES.password}
          name="password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={errors.fields.password}
          inputRef={first}
        />
        <PasswordField
          label="Repeat the new password"
          name="repeat_password"
          autoComplete="new-password"
          value={repeat}
          onChange={(event) => setRepeat(event.target.value)}
          error={errors.fields.repeat_password}
        />
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={reset.isPending} aria-busy={reset.isPending}>
            Set password
          </button>
          <button type="button" className="button" onClick={onClose} disabled={reset.isPending}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

interface UserValues {
  username: string;
  display_name: string;
  email: string;
  password: string;
  role: GeneralRole;
}

const EMPTY: UserValues = { username: '', display_name: '', email: '', password: '', role: 'registry-read' };

function roleHelp(role: GeneralRole): string {
  return `${ROLES.find((candidate) => candidate.value === role)?.can ?? ''} Each role includes the ones before it.`;
}

function checkUser(values: UserValues): FieldErrors<UserField> {
  const errors: FieldErrors<UserField> = {};
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(values.username)) {
    errors.username = values.username ? 'Use only letters, digits, dots, underscores or hyphens, starting with a letter or digit.' : 'Enter a username.';
  }
  if (!values.display_name.trim()) errors.display_name = 'Enter the name to show for this user.';
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email)) {
    errors.email = values.email ? 'Enter an e-mail address such as name@example.org.' : 'Enter an e-mail address.';
  }
  if (values.password.length < MIN_PASSWORD_LENGTH) errors.password = values.password ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : 'Enter a password.';
  return errors;
}

function CreateUserForm() {
  const [values, setValues] = useState<UserValues>(EMPTY);
  const [errors, setErrors] = useState<FormErrors<UserField>>(NO_ERRORS);
  const [created, setCreated] = useState<string | null>(null);
  const create = useCreateUser();
  const form = useRef<HTMLFormElement>(null);
  const set = (field: keyof UserValues) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    const found = checkUser(values);
    if (firstWithError(USER_FIELDS, found)) {
      setErrors({ fields: found, general: null });
      focusField(form.current, firstWithError(USER_FIELDS, found));
      return;
    }
    setErrors(NO_ERRORS);
    const { role, ...rest } = values;
    create.mutate(
      { ...rest, display_name: rest.display_name.trim(), roles: [role] },
      {
        onSuccess: (user) => {
          // The password goes with the rest: nothing typed stays on screen once the account exists.
          setValues(EMPTY);
          setCreated(user.username);
        },
        onError: (failure) => {
          const fromServer = serverErrors(failure, {
            fields: USER_FIELDS,
            taken: { field: 'username', message: 'That username is taken. Choose another.' },
            rules: RULES,
          });
          setErrors(fromServer);
          focusField(form.current, firstWithError(USER_FIELDS, fromServer.fields));
        },
      },
    );
  }

  return (
    <section className="card admin-create" aria-labelledby="create-user-heading">
      <h2 id="create-user-heading">Create a user</h2>
      <form ref={form} onSubmit={submit} noValidate>
        {errors.general && (
          <p className="alert alert--error" role="alert">
            {errors.general}
          </p>
        )}
        <Field label="Username" help={RULES.username} error={errors.fields.username}>
          {(control) => (
            <input {...control} name="username" autoComplete="off" spellCheck={false} maxLength={64} value={values.username} onChange={set('username')} />
          )}
        </Field>
        <Field label="Display name" error={errors.fields.display_name}>
          {(control) => <input {...control} name="display_name" autoComplete="off" maxLength={256} value={values.display_name} onChange={set('display_name')} />}
        </Field>
        <Field label="E-mail" error={errors.fields.email}>
          {(control) => <input {...control} name="email" type="email" autoComplete="off" maxLength={320} value={values.email} onChange={set('email')} />}
        </Field>
        <PasswordField
          label="Password"
          help={RULES.password}
          name="password"
          autoComplete="new-password"
          value={values.password}
          onChange={set('password')}
          error={errors.fields.password}
        />
        <Field label="Role" help={roleHelp(values.role)} error={errors.fields.roles}>
          {(control) => (
            <select {...control} name="roles" value={values.role} onChange={set('role')}>
              {ROLES.map((role) => (
                <option key={role.value} value={role.value}>
                  {role.value}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={create.isPending} aria-busy={create.isPending}>
            Create user
          </button>
        </div>
        <p role="status" className="admin-create__done">
          {created && `User “${created}” created. They can sign in now.`}
        </p>
      </form>
    </section>
  );
}
