import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import { AdminOnly } from './AdminOnly.tsx';
import { useAddMember, useCreateGroup, useGroups, useRemoveMember, useUsers, type Group, type User } from './api.ts';
import { Field, firstWithError, focusField, NO_ERRORS, serverErrors, type FormErrors } from '../../components/form.tsx';
import './admin.css';

export function GroupsPage() {
  return (
    <AdminOnly task="manage groups">
      <GroupsAdmin />
    </AdminOnly>
  );
}

function GroupsAdmin() {
  const groups = useGroups();
  // Only for display names and suggestions: the page works without it.
  const users = useUsers().data ?? [];
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Groups</h1>
          <p className="lead admin-lead">A group gives its members the roles that records grant it in their access settings.</p>
        </div>
      </div>
      <div className="admin-layout">
        <section aria-labelledby="groups-heading">
          <h2 id="groups-heading">All groups</h2>
          {groups.isPending ? (
            <p className="loading admin-pending" role="status">
              Loading groups…
            </p>
          ) : groups.isError ? (
            <div className="alert alert--error" role="alert">
              <p className="admin-alert__text">The groups could not be loaded. {describeError(groups.error)}</p>
              <button type="button" className="button" onClick={() => void groups.refetch()} aria-busy={groups.isFetching}>
                Retry
              </button>
            </div>
          ) : groups.data.length === 0 ? (
            <p className="card muted">No groups yet. Create the first one with the form on this page.</p>
          ) : (
            <ul className="admin-groups">
              {groups.data.map((group) => (
                <GroupCard key={group.id} group={group} users={users} />
              ))}
            </ul>
          )}
        </section>
        <CreateGroupForm />
      </div>
    </>
  );
}

function GroupCard({ group, users }: { group: Group; users: User[] }) {
  const addInput = useRef<HTMLInputElement>(null);
  const nameOf = (username: string) => users.find((user) => user.username === username)?.display_name;
  return (
    <li className="card admin-group">
      <h3>{group.name}</h3>
      <p className={group.description ? 'admin-group__description' : 'admin-group__description muted'}>
        {group.description || 'No description.'}
      </p>
      <h4 className="admin-group__members-heading">Members ({group.members.length})</h4>
      {group.members.length === 0 ? (
        <p className="muted admin-group__none">No members yet.</p>
      ) : (
        <ul className="admin-members">
          {group.members.map((username) => (
            <MemberRow
              key={username}
              group={group}
              username={username}
              displayName={nameOf(username)}
              onRemoved={() => addInput.current?.focus()}
            />
          ))}
        </ul>
      )}
      <AddMemberForm group={group} users={users} inputRef={addInput} />
    </li>
  );
}

interface MemberRowProps {
  group: Group;
  username: string;
  displayName: string | undefined;
  onRemoved: () => void;
}

/** A member, with Remove asking for a confirmation in place before anything changes. */
function MemberRow({ group, username, displayName, onRemoved }: MemberRowProps) {
  const [confirming, setConfirming] = useState(false);
  const remove = useRemoveMember();
  const confirmButton = useRef<HTMLButtonElement>(null);
  const removeButton = useRef<HTMLButtonElement>(null);
  // Focus follows the question: to "Yes, remove" when asked, back to "Remove" on Cancel.
  const returnFocus = useRef(false);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (returnFocus.current) removeButton.current?.focus();
  }, [confirming]);

  function cancel() {
    remove.reset();
    returnFocus.current = true;
    setConfirming(false);
  }

  return (
    <li className="admin-member">
      <span className="admin-member__name">
        {displayName ? (
          <>
            {displayName} <span className="muted">({username})</span>
          </>
        ) : (
          username
        )}
      </span>
      {confirming ? (
        <span className="admin-member__confirm" role="group" aria-label={`Remove ${username} from ${group.name}`}>
          <span>
            Remove {username} from {group.name}?
          </span>
          <button
            ref={confirmButton}
            type="button"
            className="button button--danger"
            disabled={remove.isPending}
            aria-busy={remove.isPending}
            onClick={() => remove.mutate({ groupId: group.id, username }, { onSuccess: onRemoved })}
          >
            Yes, remove
          </button>
          <button type="button" className="button button--quiet" onClick={cancel} disabled={remove.isPending}>
            Cancel
          </button>
        </span>
      ) : (
        <button ref={removeButton} type="button" className="button button--quiet" aria-label={`Remove ${username}`} onClick={() => setConfirming(true)}>
          Remove
        </button>
      )}
      {remove.isError && (
        <span className="field__error admin-member__error" role="alert">
          {username} could not be removed. {describeError(remove.error)}
        </span>
      )}
    </li>
  );
}

interface AddMemberFormProps {
  group: Group;
  users: User[];
  inputRef: RefObject<HTMLInputElement | null>;
}

function AddMemberForm({ group, users, inputRef }: AddMemberFormProps) {
  const id = useId();
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const add = useAddMember();
  const candidates = users.filter((user) => !group.members.includes(user.username));

  function submit(event: FormEvent) {
    event.preventDefault();
    const name = username.trim();
    setAdded(null);
    if (!name || group.members.includes(name)) {
      setError(name ? `${name} is already a member.` : 'Enter the username of the person to add.');
      return;
    }
    setError(null);
    add.mutate(
      { groupId: group.id, username: name },
      {
        onSuccess: () => {
          setUsername('');
          setAdded(name);
        },
        onError: (failure) =>
          setError(failure instanceof ApiError && failure.status === 404 ? `There is no user called “${name}”.` : describeError(failure)),
      },
    );
  }

  return (
    <form className="admin-add-member" onSubmit={submit} noValidate>
      <label className="field__label" htmlFor={`${id}-input`}>
        Add a member{' '}
        <span className="visually-hidden">to {group.name}</span>
      </label>
      <div className="admin-add-member__row">
        <input
          ref={inputRef}
          id={`${id}-input`}
          name="username"
          list={`${id}-users`}
          autoComplete="off"
          placeholder="Username"
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <datalist id={`${id}-users`}>
          {candidates.map((user) => (
            <option key={user.username} value={user.username}>
              {user.display_name}
            </option>
          ))}
        </datalist>
        <button type="submit" className="button" disabled={add.isPending} aria-busy={add.isPending}>
          Add{' '}
          <span className="visually-hidden">to {group.name}</span>
        </button>
      </div>
      {error && (
        <span id={`${id}-error`} className="field__error">
          {error}
        </span>
      )}
      <span role="status" className="visually-hidden">
        {added ? `${added} added to ${group.name}.` : ''}
      </span>
    </form>
  );
}

const GROUP_FIELDS = ['name', 'description'] as const;
type GroupField = (typeof GROUP_FIELDS)[number];

function CreateGroupForm() {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<FormErrors<GroupField>>(NO_ERRORS);
  const [created, setCreated] = useState<string | null>(null);
  const create = useCreateGroup();
  const form = useRef<HTMLFormElement>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    setCreated(null);
    const trimmed = name.trim();
    if (!trimmed) {
      setErrors({ fields: { name: 'Give the group a name.' }, general: null });
      focusField(form.current, 'name');
      return;
    }
    setErrors(NO_ERRORS);
    create.mutate(
      { name: trimmed, description: description.trim() },
      {
        onSuccess: (group) => {
          setName('');
          setDescription('');
          setCreated(group.name);
        },
        onError: (failure) => {
          const found = serverErrors(failure, {
            fields: GROUP_FIELDS,
            taken: { field: 'name', message: 'That name is taken. Choose another.' },
            rules: { name: 'Use 1 to 128 characters.', description: 'Use at most 4,000 characters.' },
          });
          setErrors(found);
          focusField(form.current, firstWithError(GROUP_FIELDS, found.fields));
        },
      },
    );
  }

  return (
    <section className="card admin-create" aria-labelledby="create-group-heading">
      <h2 id="create-group-heading">Create a group</h2>
      <form ref={form} onSubmit={submit} noValidate>
        {errors.general && (
          <p className="alert alert--error" role="alert">
            {errors.general}
          </p>
        )}
        <Field label="Name" error={errors.fields.name}>
          {(control) => <input {...control} name="name" maxLength={128} value={name} onChange={(event) => setName(event.target.value)} />}
        </Field>
        <Field label="Description" help="Optional: what the group is for." error={errors.fields.description}>
          {(control) => (
            <textarea {...control} name="description" maxLength={4000} value={description} onChange={(event) => setDescription(event.target.value)} />
          )}
        </Field>
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={create.isPending} aria-busy={create.isPending}>
            Create group
          </button>
        </div>
        <p role="status" className="admin-create__done">
          {created && `Group “${created}” created.`}
        </p>
      </form>
    </section>
  );
}
