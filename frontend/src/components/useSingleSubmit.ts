// One request per submit, for forms that send a create or an update and leave the page on success.
import { useCallback, useRef, useState } from 'react';

export interface SingleSubmit {
  /** True from the submit until the request fails; after a success the page navigates away, so it stays true. */
  submitting: boolean;
  /**
   * Calls `send` unless a submit is already under way. `send` starts the request and calls `release`
   * when it fails, so the form can be corrected and sent again.
   */
  submitOnce: (send: (release: () => void) => void) => void;
}

export function useSingleSubmit(): SingleSubmit {
  // A ref, not state: two clicks within one frame both see the same render, and only the ref is already set.
  const inFlight = useRef(false);
  const [submitting, setSubmitting] = useState(false);
  const submitOnce = useCallback((send: (release: () => void) => void) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setSubmitting(true);
    send(() => {
      inFlight.current = false;
      setSubmitting(false);
    });
  }, []);
  return { submitting, submitOnce };
}
