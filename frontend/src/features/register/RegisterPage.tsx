// /register/:subtype — a new record, or a clone (?clone={id}[&revision={n}]) prefilled from the
// source's `data` only. Cloning exists only here: the API is create-only (DESIGN.md §4).
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../../api/client.ts';
import { SubmitCancelRow } from '../../components/SubmitCancelRow.tsx';
import { useSingleSubmit } from '../../components/useSingleSubmit.ts';
import { useMe } from '../auth/api.ts';
import { useHistory, useItem, type Item, type SubtypeInfo } from '../items/api.ts';
import { markCloneFormFilled } from '../items/cloneTiming.ts';
import { findSubtype } from '../items/subtypes.ts';
import { useCreateItem, type FormData } from './api.ts';
import { idempotencyKeys } from './idempotency.ts';
import { applyCloneResets } from './schemaWalk.ts';
import { displayNameOf, FailureAlert, PageLoading, recordHref, serverErrors, withArticle, type Failure } from './shared.tsx';
import { SubtypeForm } from './SubtypeForm.tsx';

export function RegisterPage() {
  const { subtype: name = '' } = useParams();
  const [params] = useSearchParams();
  const cloneId = params.get('clone');
  const revision = params.get('revision');
  const me = useMe();

  const subtype = findSubtype(name);
  if (!subtype) {
    return (
      <Problem heading="Unknown record type">
        <p>
          There is no record type called <code>{name}</code>.
        </p>
        <p>
          <Link to="/register">Choose a record type to register</Link>
        </p>
      </Problem>
    );
  }

  const heading = `Register ${withArticle(subtype.label)}`;
  // Nothing of the form until the account's roles are known: a read-only account must never see it, even briefly.
  if (!me.data) return <PageLoading heading={heading} />;
  if (!me.data.roles.includes('registry-write')) {
    return (
      <Problem heading={heading}>
        <p>Your account may view records but not register them. Ask an administrator for write access.</p>
        <p>
          <Link to="/">Back to Explore</Link>
        </p>
      </Problem>
    );
  }

  if (cloneId) {
    return <CloneRegistration key={`${cloneId}:${revision ?? ''}`} heading={heading} subtype={subtype} cloneId={cloneId} revisionParam={revision} />;
  }
  return (
    <section>
      <h1>{heading}</h1>
      <p className="lead">Fill in the details and submit. Fields are required unless marked optional.</p>
      <RegistrationForm key={subtype.subtype} subtype={subtype} initialData={{}} cancelTo="/" />
    </section>
  );
}

function Problem({ heading, children }: { heading: string; children: ReactNode }) {
  return (
    <section>
      <h1>{heading}</h1>
      <div className="alert alert--error register-alert" role="alert">
        {children}
      </div>
    </section>
  );
}

/** `revision=` must be a whole number from 1. */
function parseRevision(text: string | null): number | null {
  return text !== null && /^[1-9]\d*$/.test(text) ? Number(text) : null;
}

interface CloneRegistrationProps {
  heading: string;
  subtype: SubtypeInfo;
  cloneId: string;
  revisionParam: string | null;
}

function CloneRegistration({ heading, subtype, cloneId, revisionParam }: CloneRegistrationProps) {
  const wantsRevision = revisionParam !== null;
  const revision = parseRevision(revisionParam);
  // Both come from the cache when Clone is clicked on a loaded record view or history tab.
  const source = useItem(cloneId);
  const history = useHistory(cloneId, revision !== null);

  if (!source.data) {
    if (source.isError) return <UnreadableSource heading={heading} error={source.error} retry={() => void source.refetch()} />;
    return <PageLoading heading={heading} />;
  }
  const item = source.data;
  const sourceName = displayNameOf(item.data);
  const sourceHref = recordHref(item);

  if (item.item_subtype !== subtype.subtype) {
    const actual = findSubtype(item.item_subtype);
    return (
      <Problem heading={heading}>
        <p>
          “{sourceName}” is {actual ? withArticle(actual.label) : 'another kind of record'}, not {withArticle(subtype.label)}, so it cannot be
          copied into this form.
        </p>
        <p className="button-row">
          <Link to={sourceHref}>Back to “{sourceName}”</Link>
          {actual && <Link to={`/register/${actual.subtype}?clone=${item.id}`}>Copy it as {withArticle(actual.label)}</Link>}
        </p>
      </Problem>
    );
  }

  let data: FormData = item.data;
  if (wantsRevision) {
    if (revision !== null && !history.data) {
      if (!history.isError) return <PageLoading heading={heading} />;
      return (
        <Problem heading={heading}>
          <p>The history of “{sourceName}” could not be loaded. {describeError(history.error)}</p>
          <p className="button-row">
            <button type="button" className="button" onClick={() => void history.refetch()}>
              Try again
            </button>
            <Link to={sourceHref}>Back to “{sourceName}”</Link>
          </p>
        </Problem>
      );
    }
    const entry = history.data?.entries.find((candidate) => candidate.revision === revision);
    if (!entry) {
      return (
        <Problem heading={heading}>
          <p>
            “{sourceName}” has no revision {revisionParam}, so there is nothing to copy from it.
          </p>
          <p className="button-row">
            <Link to={sourceHref}>Back to “{sourceName}”</Link>
            <Link to={`/register/${subtype.subtype}?clone=${item.id}`}>Copy its latest revision instead</Link>
          </p>
        </Problem>
      );
    }
    data = entry.data;
  }

  return (
    <section>
      <h1>{heading}</h1>
      <CloneBanner item={item} name={sourceName} revision={wantsRevision ? revision : null} />
      <RegistrationForm subtype={subtype} initialData={applyCloneResets(subtype.json_schema, data)} cancelTo={sourceHref} />
      <CloneFormFilled />
    </section>
  );
}

/** Marks the moment the prefilled form is on screen: its effect runs once the form above it is in the page. */
function CloneFormFilled() {
  useEffect(markCloneFormFilled, []);
  return null;
}

function CloneBanner({ item, name, revision }: { item: Item; name: string; revision: number | null }) {
  const notCopied = item.item_subtype === 'DATASET' ? 'Access settings, history and dataset files are' : 'Access settings and history are';
  return (
    <p className="alert alert--info">
      You are creating a new record from a copy of “{name}”{revision !== null && ` (revision ${revision})`}. {notCopied} not copied: the new record is
      yours, has default access and starts its own history.
    </p>
  );
}

function UnreadableSource({ heading, error, retry }: { heading: string; error: unknown; retry: () => void }) {
  const status = error instanceof ApiError ? error.status : undefined;
  return (
    <Problem heading={heading}>
      {status === 403 ? (
        <p>You do not have permission to view the record you asked to copy, so it cannot be copied.</p>
      ) : status === 404 || status === 422 ? (
        <p>The record you asked to copy does not exist. It may have been given a wrong address.</p>
      ) : (
        <>
          <p>The record to copy could not be loaded. {describeError(error)}</p>
          <p>
            <button type="button" className="button" onClick={retry}>
              Try again
            </button>
          </p>
        </>
      )}
      <p>
        <Link to="/">Find a record in Explore</Link>
      </p>
    </Problem>
  );
}

interface RegistrationFormProps {
  subtype: SubtypeInfo;
  initialData: FormData;
  /** Where Cancel goes: the clone's source, or the start page. */
  cancelTo: string;
}

function RegistrationForm({ subtype, initialData, cancelTo }: RegistrationFormProps) {
  const navigate = useNavigate();
  // The form owns its data from here on: a background refresh of the source never overwrites edits.
  const [formData, setFormData] = useState(initialData);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [keys] = useState(() => idempotencyKeys());
  const { submitting, submitOnce } = useSingleSubmit();
  const create = useCreateItem();
  const split = useMemo(() => serverErrors(subtype, failure, formData), [subtype, failure, formData]);

  function submit(data: FormData) {
    submitOnce((release) => {
      setFailure(null);
      const idempotencyKey = keys.keyFor({ item_subtype: subtype.subtype, data });
      create.mutate(
        { itemSubtype: subtype.subtype, data, idempotencyKey },
        {
          onSuccess: (item) => navigate(recordHref(item)),
          onError: (error) => {
            release();
            setFailure({ error, submitted: data });
          },
        },
      );
    });
  }

  return (
    <>
      {failure && <FailureAlert failure={failure} split={split} forbidden="Your account may not register records. Ask an administrator for write access." />}
      <SubtypeForm subtype={subtype} formData={formData} onChange={setFormData} onSubmit={submit} serverErrors={split.atFields}>
        <SubmitCancelRow className="register-actions" submitting={submitting} submittingText="Registering the record…" onCancel={() => navigate(cancelTo)} />
      </SubtypeForm>
    </>
  );
}
