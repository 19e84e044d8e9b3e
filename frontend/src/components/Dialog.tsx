// A modal dialog: the rest of the page is inert while it is open, focus moves into it and goes back
// to where it was when it closes, and Escape closes it. (The native <dialog> would do the same,
// but jsdom, which runs the unit tests, has no showModal.)
import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import './dialog.css';

interface DialogProps {
  title: string;
  onClose: () => void;
  /** What gets focus when the dialog opens; the dialog itself when absent. */
  initialFocus?: RefObject<HTMLElement | null>;
  /** What gets focus when it closes; by default what had it before (which a busy form may have disabled meanwhile). */
  returnFocus?: RefObject<HTMLElement | null>;
  children: ReactNode;
}

export function Dialog({ title, onClose, initialFocus, returnFocus, children }: DialogProps) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  // Escape closes with whatever onClose is now, without re-running the focus effect below.
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // Everything beside the dialog leaves the tab order and the accessibility tree while it is open.
    const madeInert = [...document.body.children].filter(
      (element): element is HTMLElement => element instanceof HTMLElement && element !== host.current && !element.inert,
    );
    for (const element of madeInert) element.inert = true;
    (initialFocus?.current ?? box.current)?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        close.current();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      for (const element of madeInert) element.inert = false;
      (returnFocus?.current ?? opener)?.focus();
    };
  }, [initialFocus, returnFocus]);

  return createPortal(
    <div ref={host} className="dialog-backdrop">
      <div ref={box} className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1}>
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        {children}
      </div>
    </div>,
    document.body,
  );
}
