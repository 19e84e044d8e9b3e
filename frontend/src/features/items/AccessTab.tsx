// Item admins: who may do what with this record (owner, everyone, groups), and the log of changes.
import { useId, useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import { useAccess, useAccessLog, useGroups, useSaveAccess, type AccessSettings, type AccessUpdate, type Group, type Item } from './api.ts';
import { DateTime, shortId } from './format.tsx';
import { describeRoles, impliedRoles, rolesForSubtype, ROLE_TEXT, withIncluded, type ItemRole } from './roles.ts';

type GroupNames = (id: string) => string;

function namesOf(groups: Group[] | undefined): GroupNames {
  return (id) => groups?.find((group) => group.id === id)?.name ?? `Group ${shortId(id)}`;
}

export function AccessTab({ item }: { item: Item }) {
  const access = useAccess(item.id);
  const groups = useGroups();
  const save = useSaveAccess(item.id);
  const groupName = namesOf(groups.data);
  return (
    <>
      <section className="access-section" aria-labelledby="access-settings-heading">
        <h2 id="access-settings-heading">Who has access</h2>
        {access.isPending && (
          <p className="loading" role="status">
            Loading the access settings…
          </p>
        )}
        {access.isError && (
          <div className="alert alert--error" role="alert">
            <p>The access settings could not be loaded. {describeError(access.error)}</p>
            <button type="button" className="button" onClick={() => void access.refetch()}>
              Retry
            </button>
          </div>
        )}
        {access.data && (
          <AccessEditor
            settings={access.data}
            available={rolesForSubtype(item.item_subtype)}
            groups={groups}
            groupName={groupName}
            saving={save.isPending}
            onEdit={() => {
              if (!save.isPending) save.reset();
            }}
            onSave={(body, onSaved) => save.mutate(body, { onSuccess: onSaved })}
          />
        )}
        {save.isSuccess && (
          <p className="alert alert--success" role="status">
            Access settings saved. They apply from now on.
          </p>
        )}
        {save.isError && <SaveError error={save.error} groupName={groupName} />}
      </section>
      <AccessLogSection itemId={item.id} groupName={groupName} />
    </>
  );
}

interface Draft {
  general: ItemRole[];
  groups: { id: string; roles: ItemRole[] }[];
}

function draftOf(settings: AccessSettings, available: readonly ItemRole[]): Draft {
  return {
    general: withIncluded(settings.general, available),
    groups: Object.entries(settings.groups).map(([id, roles]) => ({ id, roles: withIncluded(roles, available) })),
  };
}

function bodyOf(draft: Draft): AccessUpdate {
  return { general: draft.general, groups: Object.fromEntries(draft.groups.map((group) => [group.id, group.roles])) };
}

/** Equal settings, whatever order the groups were listed in. */
function sameSettings(a: Draft, b: Draft): boolean {
  const canonical = (draft: Draft) => JSON.stringify([draft.general, [...draft.groups].sort((x, y) => x.id.localeCompare(y.id))]);
  return canonical(a) === canonical(b);
}

/** The admin's edits, and the stored settings they started from. */
interface Edits {
  from: AccessSettings;
  draft: Draft;
}

/**
 * The form shows the stored settings until the admin edits them; from then on it shows the draft,
 * whatever a background refresh brings, and says so when the stored settings changed meanwhile.
 */
function AccessEditor({
  settings,
  available,
  groups,
  groupName,
  saving,
  onEdit,
  onSave,
}: {
  settings: AccessSettings;
  available: ItemRole[];
  groups: ReturnType<typeof useGroups>;
  groupName: GroupNames;
  saving: boolean;
  onEdit: () => void;
  onSave: (body: AccessUpdate, onSaved: () => void) => void;
}) {
  const stored = draftOf(settings, available);
  const [edits, setEdits] = useState<Edits | null>(null);
  const [groupToAdd, setGroupToAdd] = useState('');
  // Edits undone by hand are no edits: the form follows the stored settings again.
  const editing = edits && !sameSettings(edits.draft, draftOf(edits.from, available)) ? edits : null;
  const draft = editing?.draft ?? stored;
  const changed = !sameSettings(draft, stored);
  const changedMeanwhile = editing !== null && changed && !sameSettings(draftOf(editing.from, available), stored);
  const groupsWithoutRoles = draft.groups.filter((group) => group.roles.length === 0);

  function update(next: Draft) {
    setEdits({ from: editing?.from ?? settings, draft: next });
    onEdit();
  }

  function discard() {
    setEdits(null);
    onEdit();
  }

  function setGroupRoles(id: string, roles: ItemRole[]) {
    update({ ...draft, groups: draft.groups.map((group) => (group.id === id ? { id, roles } : group)) });
  }

  function addGroup() {
    if (!groupToAdd) return;
    update({ ...draft, groups: [...draft.groups, { id: groupToAdd, roles: ['metadata-read'] }] });
    setGroupToAdd('');
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (changed && groupsWithoutRoles.length === 0) onSave(bodyOf(draft), () => setEdits(null));
  }

  const addable = (groups.data ?? []).filter((group) => !draft.groups.some((listed) => listed.id === group.id));
  return (
    <form className="access-form" onSubmit={submit} aria-busy={saving}>
      {changedMeanwhile && (
        <div className="alert alert--info" role="alert">
          <p>The access settings were changed by someone else while you were editing: review them before saving.</p>
          <p>Now stored:</p>
          <AccessSummary settings={settings} groupName={groupName} />
          <button type="button" className="button" onClick={discard}>
            Discard my changes and load the new settings
          </button>
        </div>
      )}
      <p>
        Owner: <strong>{settings.owner}</strong>. The owner always has full access and never changes. Registry administrators
        also have full access to every record.
      </p>
      <RoleChoices
        legend="Everyone signed in to the Registry"
        available={available}
        ticked={draft.general}
        onChange={(general) => update({ ...draft, general })}
      />

      <h3>Groups</h3>
      {draft.groups.length === 0 ? (
        <p className="muted">No group has access of its own.</p>
      ) : (
        <div className="record-table">
          <table className="table access-groups">
            <caption className="visually-hidden">Roles of each group</caption>
            <thead>
              <tr>
                <th scope="col">Group</th>
                {available.map((role) => (
                  <th scope="col" key={role}>
                    {ROLE_TEXT[role].label}
                  </th>
                ))}
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {draft.groups.map((group) => (
                <GroupRow
                  key={group.id}
                  name={groupName(group.id)}
                  available={available}
                  ticked={group.roles}
                  onChange={(roles) => setGroupRoles(group.id, roles)}
                  onRemove={() => update({ ...draft, groups: draft.groups.filter((listed) => listed.id !== group.id) })}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {groupsWithoutRoles.length > 0 && (
        <p className="field__error">
          Tick at least one role for {groupsWithoutRoles.map((group) => groupName(group.id)).join(', ')}, or remove the group.
        </p>
      )}

      <AddGroup groups={groups} addable={addable} value={groupToAdd} onPick={setGroupToAdd} onAdd={addGroup} />

      <div className="button-row access-form__actions">
        <button type="submit" className="button button--primary" disabled={!changed || saving} aria-busy={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        {changed && !saving && (
          <button type="button" className="button button--quiet" onClick={discard}>
            Discard changes
          </button>
        )}
      </div>
    </form>
  );
}

/** Ticking a role ticks what it includes; a role included by another ticked one stays ticked. */
function toggle(ticked: ItemRole[], role: ItemRole, on: boolean, available: readonly ItemRole[]): ItemRole[] {
  return on ? withIncluded([...ticked, role], available) : ticked.filter((other) => other !== role);
}

function RoleChoices({
  legend,
  available,
  ticked,
  onChange,
}: {
  legend: string;
  available: ItemRole[];
  ticked: ItemRole[];
  onChange: (roles: ItemRole[]) => void;
}) {
  const id = useId();
  const implied = impliedRoles(ticked);
  return (
    <fieldset className="access-roles">
      <legend className="field__label">{legend}</legend>
      {available.map((role) => (
        <div className="access-role" key={role}>
          <input
            type="checkbox"
            id={`${id}-${role}`}
            checked={ticked.includes(role)}
            disabled={implied.has(role)}
            aria-describedby={`${id}-${role}-help`}
            onChange={(event) => onChange(toggle(ticked, role, event.target.checked, available))}
          />
          <label htmlFor={`${id}-${role}`}>{ROLE_TEXT[role].label}</label>
          <span id={`${id}-${role}-help`} className="field__help">
            {ROLE_TEXT[role].help}
          </span>
        </div>
      ))}
    </fieldset>
  );
}

function GroupRow({
  name,
  available,
  ticked,
  onChange,
  onRemove,
}: {
  name: string;
  available: ItemRole[];
  ticked: ItemRole[];
  onChange: (roles: ItemRole[]) => void;
  onRemove: () => void;
}) {
  const implied = impliedRoles(ticked);
  return (
    <tr>
      <th scope="row">{name}</th>
      {available.map((role) => (
        <td key={role}>
          <input
            type="checkbox"
            aria-label={`${ROLE_TEXT[role].label} for ${name}`}
            checked={ticked.includes(role)}
            disabled={implied.has(role)}
            onChange={(event) => onChange(toggle(ticked, role, event.target.checked, available))}
          />
        </td>
      ))}
      <td>
        <button type="button" className="button button--quiet" onClick={onRemove}>
          Remove <span className="visually-hidden">{name}</span>
        </button>
      </td>
    </tr>
  );
}

function AddGroup({
  groups,
  addable,
  value,
  onPick,
  onAdd,
}: {
  groups: ReturnType<typeof useGroups>;
  addable: Group[];
  value: string;
  onPick: (id: string) => void;
  onAdd: () => void;
}) {
  const id = useId();
  if (groups.isPending) return <p className="loading">Loading the groups…</p>;
  if (groups.isError) {
    return (
      <p className="field__error">
        The groups could not be loaded. {describeError(groups.error)}{' '}
        <button type="button" className="button button--quiet" onClick={() => void groups.refetch()}>
          Retry
        </button>
      </p>
    );
  }
  if (groups.data.length === 0) return <p className="muted">There are no groups yet. Registry administrators can create them.</p>;
  if (addable.length === 0) return <p className="muted">Every group is listed above.</p>;
  return (
    <div className="access-add-group">
      <div className="field">
        <label className="field__label" htmlFor={id}>
          Add a group
        </label>
        <select id={id} value={value} onChange={(event) => onPick(event.target.value)}>
          <option value="">Choose a group…</option>
          {addable.map((group) => (
            <option key={group.id} value={group.id}>
              {group.name}
            </option>
          ))}
        </select>
      </div>
      <button type="button" className="button" disabled={!value} onClick={onAdd}>
        Add group
      </button>
    </div>
  );
}

/** The server's words, each problem tied to what the person sees ("Everyone", a group's name). */
function SaveError({ error, groupName }: { error: Error; groupName: GroupNames }) {
  const problems = error instanceof ApiError ? error.fieldErrors : [];
  const where = (field: string) => {
    const [head, id] = field.split('.');
    if (head === 'general') return 'Everyone';
    if (head === 'groups' && id) return groupName(id);
    return undefined;
  };
  return (
    <div className="alert alert--error" role="alert">
      <p>The access settings were not saved. {describeError(error)}</p>
      {problems.length > 0 && (
        <ul>
          {problems.map((problem, index) => {
            const place = where(problem.field);
            return <li key={index}>{place ? `${place}: ${problem.message}` : problem.message}</li>;
          })}
        </ul>
      )}
    </div>
  );
}

function AccessLogSection({ itemId, groupName }: { itemId: string; groupName: GroupNames }) {
  const log = useAccessLog(itemId);
  return (
    <section className="access-section" aria-labelledby="access-log-heading">
      <h2 id="access-log-heading">Access log</h2>
      {log.isPending && (
        <p className="loading" role="status">
          Loading the access log…
        </p>
      )}
      {log.isError && (
        <div className="alert alert--error" role="alert">
          <p>The access log could not be loaded. {describeError(log.error)}</p>
          <button type="button" className="button" onClick={() => void log.refetch()}>
            Retry
          </button>
        </div>
      )}
      {log.data && log.data.entries.length === 0 && (
        <p className="muted">Access has not changed since the record was created.</p>
      )}
      {log.data && log.data.entries.length > 0 && (
        <div className="record-table">
          <table className="table">
            <caption className="visually-hidden">Changes to access, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {log.data.entries.map((entry, index) => (
                <tr key={`${entry.at}-${index}`}>
                  <td>
                    <DateTime value={entry.at} />
                  </td>
                  <td>{entry.by}</td>
                  <td>
                    <AccessSummary settings={entry.old} groupName={groupName} />
                  </td>
                  <td>
                    <AccessSummary settings={entry.new} groupName={groupName} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AccessSummary({ settings, groupName }: { settings: AccessUpdate; groupName: GroupNames }) {
  return (
    <ul className="access-summary">
      <li>Everyone: {describeRoles(settings.general)}</li>
      {Object.entries(settings.groups).map(([id, roles]) => (
        <li key={id}>
          {groupName(id)}: {describeRoles(roles)}
        </li>
      ))}
    </ul>
  );
}
