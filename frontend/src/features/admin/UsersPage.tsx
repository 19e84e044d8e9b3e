import { useRef, useState, type FormEvent } from 'react';
import { describeError } from '../../api/client.ts';
import { AdminOnly } from './AdminOnly.tsx';
import { useCreateUser, useUsers, type GeneralRole, type User } from './api.ts';
import { Field, firstWithError, focusField, NO_ERRORS, serverErrors, type FieldErrors, type FormErrors } from './form.tsx';
import './admin.css';

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
      <div className="admin-layout">
        <section aria-labelledby="users-heading">
          <h2 id="users-heading">All users</h2>
          <UserTable />
        </section>
        <CreateUserForm />
      </div>
    </>
  );
}

function UserTable() {
  const users = useUsers();
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
  return (
    <div className="admin-table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Display name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Roles</th>
          </tr>
        </thead>
        <tbody>
          {users.data.map((user) => (
            <UserRow key={user.username} user={user} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function UserRow({ user }: { user: User }) {
  return (
    <tr>
      <th scope="row" className="admin-table__key">
        {user.username}
      </th>
      <td>{user.display_name}</td>
      <td>{user.email}</td>
      <td>
        <span className="admin-roles">
          {user.roles.map((role) => (
            <span key={role} className="badge">
              {role}
            </span>
          ))}
        </span>
      </td>
    </tr>
  );
}

const ROLES: readonly { value: GeneralRole; can: string }[] = [
  { value: 'registry-read', can: 'Can explore and view records.' },
  { value: 'registry-write', can: 'Can also register, edit and clone records.' },
  { value: 'registry-admin', can: 'Can also manage users, groups and every record.' },
];

const USER_FIELDS = ['username', 'display_name', 'email', 'password', 'roles'] as const;
type UserField = (typeof USER_FIELDS)[number];

// The server's rules, in words (they are also shown as each field's help).
const RULES: Record<Exclude<UserField, 'roles'>, string> = {
  username: '1 to 64 letters, digits, dots, underscores or hyphens, starting with a letter or digit.',
  display_name: 'Use 1 to 256 characters.',
  email: 'An e-mail address such as name@example.org.',
  password: 'At least 8 characters.',
};

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
  if (values.password.length < 8) errors.password = values.password ? 'Use at least 8 characters.' : 'Enter a password.';
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
        <Field label="Password" help={RULES.password} error={errors.fields.password}>
          {(control) => (
            <input {...control} name="password" type="password" autoComplete="new-password" maxLength={1024} value={values.password} onChange={set('password')} />
          )}
        </Field>
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
