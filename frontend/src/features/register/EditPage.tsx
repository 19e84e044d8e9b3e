// /items/:id/edit — the record's form prefilled with its `data`, plus the reason for the change.
// The PUT carries If-Match with the revision the form was opened with: no edit is silently lost.
import { useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, describeError } from '../../api/client.ts';
import { SubmitCancelRow } from '../../components/SubmitCancelRow.tsx';
import { useSingleSubmit } from '../../components/useSingleSubmit.ts';
import { useItem, usePermissions, type Item, type SubtypeInfo } from '../items/api.ts';
import { findSubtype } from '../items/subtypes.ts';
import { useUpdateItem, type FormData } from './api.ts';
import { displayNameOf, ErrorAlert, FailureAlert, PageLoading, serverErrors, type Failure } from './shared.tsx';
import { SubtypeForm } from './SubtypeForm.tsx';

const REASON_MAX = 1000;
const count = new Intl.NumberFormat('en');

export function EditPage() {
  const { id = '' } = useParams();
  const item = useItem(id);
  const permissions = usePermissions(id);
  // The revision the form shows: fixed when the form opens, so a background refresh never resets it.
  const [opened, setOpened] = useState<Item | null>(null);
  const [reloadNotice, setReloadNotice] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  if (!opened && item.data) setOpened(item.data);

  if (!opened) {
    if (item.isError) return <UnreadableRecord error={item.error} retry={() => void item.refetch()} />;
    return <PageLoading heading="Edit record" />;
  }
  const name = displayNameOf(opened.data);
  const heading = `Edit “${name}”`;
  if (permissions.isPending) return <PageLoading heading={heading} />;
  const subtype = findSubtype(opened.item_subtype);
  const back = `/items/${opened.id}`;

  if (permissions.data && !permissions.data.actions.edit) {
    return (
      <section>
        <h1>{heading}</h1>
        <div className="alert alert--error register-alert" role="alert">
          <p>You may not edit this record.</p>
          <p>
            <Link to={back}>Back to “{name}”</Link>
          </p>
        </div>
      </section>
    );
  }
  if (!subtype) {
    return (
      <section>
        <h1>{heading}</h1>
        <p className="alert alert--error" role="alert">
          Records of this type cannot be edited here. <Link to={back}>Back to “{name}”</Link>
        </p>
      </section>
    );
  }

  async function reload() {
    const fresh = await item.refetch();
    if (!fresh.data) return;
    setOpened(fresh.data);
    setReloads((n) => n + 1);
    setReloadNotice(`The form now shows revision ${fresh.data.revision}, the latest. Your earlier changes were discarded: make them again if they are still needed.`);
  }

  return (
    <section>
      <div className="page-header">
        <div>
          <h1>{heading}</h1>
          <p className="muted register-subtitle">
            {subtype.label} · revision {opened.revision}
          </p>
        </div>
      </div>
      {reloadNotice && (
        <p className="alert alert--info" role="status">
          {reloadNotice}
        </p>
      )}
      <EditForm key={reloads} item={opened} subtype={subtype} back={back} onReload={reload} />
    </section>
  );
}

function UnreadableRecord({ error, retry }: { error: unknown; retry: () => void }) {
  const status = error instanceof ApiError ? error.status : undefined;
  if (status === 403) {
    return (
      <section>
        <h1>Access denied</h1>
        <p>You do not have permission to view this record.</p>
        <p>
          <Link to="/">Back to Explore</Link>
        </p>
      </section>
    );
  }
  if (status === 404 || status === 422) {
    return (
      <section>
        <h1>Record not found</h1>
        <p>There is no record at this address.</p>
        <p>
          <Link to="/">Back to Explore</Link>
        </p>
      </section>
    );
  }
  return (
    <section>
      <h1>Edit record</h1>
      <div className="alert alert--error register-alert" role="alert">
        <p>The record could not be loaded. {describeError(error)}</p>
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      </div>
    </section>
  );
}

interface EditFormProps {
  item: Item;
  subtype: SubtypeInfo;
  back: string;
  onReload: () => Promise<void>;
}

function reasonProblem(reason: string): string | null {
  if (reason.trim() === '') return 'Give a reason for the change';
  if (reason.trim().length > REASON_MAX) return `Use at most ${count.format(REASON_MAX)} characters`;
  return null;
}

function EditForm({ item, subtype, back, onReload }: EditFormProps) {
  const navigate = useNavigate();
  const [formData, setFormData] = useState<FormData>(item.data);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [submittedReason, setSubmittedReason] = useState('');
  const [reloading, setReloading] = useState(false);
  const { submitting, submitOnce } = useSingleSubmit();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const update = useUpdateItem();
  const split = useMemo(() => serverErrors(subtype, failure, formData), [subtype, failure, formData]);
  // The reason is a field of this page (outside the schema form): its server error belongs there.
  const serverReasonErrors = split.general.filter((problem) => problem.field === 'reason');
  const general = { ...split, general: split.general.filter((problem) => problem.field !== 'reason') };
  const serverReasonError = reason === submittedReason ? serverReasonErrors[0] : undefined;
  const status = failure?.error instanceof ApiError ? failure.error.status : undefined;

  function checkReason(): boolean {
    const problem = reasonProblem(reason);
    setReasonError(problem);
    return problem === null;
  }

  function submit(data: FormData) {
    if (!checkReason()) {
      reasonRef.current?.focus();
      return;
    }
    submitOnce((release) => {
      setFailure(null);
      setSubmittedReason(reason);
      update.mutate(
        { id: item.id, revision: item.revision, data, reason: reason.trim() },
        {
          onSuccess: () => navigate(`/items/${item.id}`),
          onError: (error) => {
            release();
            setFailure({ error, submitted: data });
          },
        },
      );
    });
  }

  async function reload() {
    setReloading(true);
    try {
      await onReload();
    } finally {
      setReloading(false);
    }
  }

  const shownReasonError = reasonError ?? serverReasonError?.message ?? null;
  const reasonLength = reason.trim().length;

  return (
    <>
      {failure && status === 412 ? (
        <ErrorAlert focusKey={failure}>
          <p>
            <strong>This record has changed since you opened it.</strong>
          </p>
          <p>Someone saved a newer revision. Reload to see it: the form will show the latest version, and the changes you made here will be discarded.</p>
          <button type="button" className="button" onClick={() => void reload()} disabled={reloading} aria-busy={reloading}>
            Reload
          </button>
        </ErrorAlert>
      ) : (
        failure && <FailureAlert failure={failure} split={general} forbidden="You may not edit this record." />
      )}
      <SubtypeForm subtype={subtype} formData={formData} onChange={setFormData} onSubmit={submit} onInvalid={checkReason} serverErrors={split.atFields}>
        <div className={`field register-field register-reason${shownReasonError ? ' register-field--invalid' : ''}`}>
          <label className="field__label" htmlFor="edit-reason">
            Reason for the change
          </label>
          <p id="edit-reason-help" className="field__help">
            Kept in the record’s history with this revision. At most {count.format(REASON_MAX)} characters.
          </p>
          <textarea
            id="edit-reason"
            ref={reasonRef}
            name="reason"
            required
            rows={3}
            value={reason}
            onChange={(event) => {
              setReason(event.target.value);
              if (reasonError) setReasonError(reasonProblem(event.target.value));
            }}
            aria-invalid={shownReasonError ? true : undefined}
            aria-describedby={`edit-reason-help edit-reason-count${shownReasonError ? ' edit-reason-error' : ''}`}
          />
          <p id="edit-reason-count" className={`field__help${reasonLength > REASON_MAX ? ' field__error' : ''}`}>
            {count.format(reasonLength)} of {count.format(REASON_MAX)} characters
          </p>
          {shownReasonError && (
            <p id="edit-reason-error" className="field__error">
              {shownReasonError}
            </p>
          )}
        </div>
        <SubmitCancelRow className="register-actions" submitting={submitting} submittingText="Saving the changes…" onCancel={() => navigate(back)} />
      </SubtypeForm>
    </>
  );
}
