// User Timing marks for the clone path, from a click on Clone to the registration form showing the
// record's values. The browser tests read them (e2e/clone.e2e.test.ts); anyone can see them in the
// browser's performance panel. A mark costs microseconds, so they stay in the production build.
export const CLONE_CLICKED = 'clone:click';
export const CLONE_FORM_FILLED = 'clone:form-filled';
/** From the click to the filled form. */
export const CLONE_MEASURE = 'clone';

export function markCloneClicked(): void {
  performance.mark(CLONE_CLICKED);
}

/**
 * The prefilled form is on screen. After a click on Clone, also measure the time since that click;
 * a clone address opened directly has only this mark, timed from the page's start.
 */
export function markCloneFormFilled(): void {
  performance.mark(CLONE_FORM_FILLED);
  if (performance.getEntriesByName(CLONE_CLICKED, 'mark').length === 0) return;
  performance.measure(CLONE_MEASURE, CLONE_CLICKED, CLONE_FORM_FILLED);
  // Each clone is measured from its own click, never from an older one.
  performance.clearMarks(CLONE_CLICKED);
}
