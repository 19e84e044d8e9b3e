// Pieces the register and edit pages share: addresses, headings, and how a failed submit is shown.
import { useEffect, useRef, type ReactNode } from 'react';
import { ApiError, describeError, NetworkError, type FieldError } from '../../api/client.ts';
import type { Item, SubtypeInfo } from '../items/api.ts';
import type { FormData } from './api.ts';
import { schemaAtPath } from './schemaWalk.ts';
import { splitServerErrors, standingFieldErrors, type SplitErrors } from './serverErrors.ts';

/** Where a record lives in the app: datasets in the datastore, everything else in the record view. */
export function recordHref(item: Pick<Item, 'id' | 'item_subtype'>): string {
  return item.item_subtype === 'DATASET' ? `/datastore/${item.id}` : `/items/${item.id}`;
}

export function displayNameOf(data: Record<string, unknown>): string {
  return typeof data.display_name === 'string' && data.display_name !== '' ? data.display_name : 'Untitled record';
}

/** "a Person", "an Organisation". */
export function withArticle(label: string): string {
  return `${/^[aeiou]/i.test(label) ? 'an' : 'a'} ${label}`;
}

/** A submit that did not succeed, with the data it sent (server errors stay at unchanged fields). */
export interface Failure {
  error: unknown;
  submitted: FormData;
}

/** The server's 422 errors for this failure, split between the form's fields and the alert. */
export function serverErrors(subtype: SubtypeInfo, failure: Failure | null, current: FormData): SplitErrors {
  const errors: FieldError[] = failure?.error instanceof ApiError && failure.error.status === 422 ? failure.error.fieldErrors : [];
  const standing = standingFieldErrors(errors, { ...failure?.submitted }, current);
  return splitServerErrors(standing, (path) => schemaAtPath(subtype.json_schema, path) !== undefined);
}

export function hasFieldErrors(split: SplitErrors): boolean {
  return Object.keys(split.atFields).length > 0;
}

/** An error alert that takes the focus when it appears, so keyboard and screen reader users land on it. */
export function ErrorAlert({ children, focusKey }: { children: ReactNode; focusKey: unknown }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [focusKey]);
  return (
    <div ref={ref} className="alert alert--error register-alert" role="alert" tabIndex={-1}>
      {children}
    </div>
  );
}

interface FailureAlertProps {
  failure: Failure;
  split: SplitErrors;
  /** What to say on a 403. */
  forbidden: string;
}

/** Everything about a failed submit that is not shown at a field. */
export function FailureAlert({ failure, split, forbidden }: FailureAlertProps) {
  const { error } = failure;
  let content: ReactNode;
  if (error instanceof ApiError && error.status === 403) content = <p>{forbidden}</p>;
  else if (error instanceof ApiError && error.status === 422) {
    // Every complaint has been dealt with at its field: nothing left to say up here.
    const allCorrected = error.fieldErrors.length > 0 && !hasFieldErrors(split) && split.general.length === 0;
    if (allCorrected) return null;
    content = (
      <>
        <p>
          <strong>The record was not saved.</strong>{' '}
          {hasFieldErrors(split) ? 'Correct the fields marked below and submit again.' : 'Correct the following and submit again.'}
        </p>
        {error.fieldErrors.length === 0 && <p>{describeError(error)}</p>}
        {split.general.length > 0 && (
          <ul>
            {split.general.map((problem) => (
              <li key={`${problem.field}:${problem.message}`}>{problem.message}</li>
            ))}
          </ul>
        )}
      </>
    );
  } else if (error instanceof NetworkError) {
    content = (
      <p>
        {describeError(error)} What you entered is kept: submit again to retry.
      </p>
    );
  } else content = <p>The record was not saved. {describeError(error)}</p>;
  return <ErrorAlert focusKey={failure}>{content}</ErrorAlert>;
}

export function PageLoading({ heading }: { heading: string }) {
  return (
    <section aria-busy="true">
      <h1>{heading}</h1>
      <p className="loading" role="status">
        Loading the form…
      </p>
    </section>
  );
}
