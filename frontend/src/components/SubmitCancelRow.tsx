// The row under a create or edit form: Submit, Cancel, and what is happening while the request is out.
import { useId } from 'react';

interface SubmitCancelRowProps {
  submitting: boolean;
  /** What the page is doing while the request is out, e.g. "Registering the record…". */
  submittingText: string;
  onCancel: () => void;
  className?: string;
}

/**
 * Cancel is off while the request is out: leaving then would not stop the server, and the record would be
 * created or changed without the person seeing it. The reason is on screen, beside the buttons.
 */
export function SubmitCancelRow({ submitting, submittingText, onCancel, className }: SubmitCancelRowProps) {
  const reasonId = useId();
  return (
    <div className={['button-row', className].filter(Boolean).join(' ')}>
      <button type="submit" className="button button--primary" disabled={submitting} aria-busy={submitting}>
        Submit
      </button>
      <button type="button" className="button" onClick={onCancel} disabled={submitting} aria-describedby={submitting ? reasonId : undefined}>
        Cancel
      </button>
      <span className="muted" role="status">
        {submitting && (
          <>
            {submittingText} <span id={reasonId}>Cancel is unavailable until the server answers.</span>
          </>
        )}
      </span>
    </div>
  );
}
