import { afterEach, expect, test } from 'vitest';
import { CLONE_CLICKED, CLONE_FORM_FILLED, CLONE_MEASURE, markCloneClicked, markCloneFormFilled } from './cloneTiming.ts';

afterEach(() => {
  performance.clearMarks();
  performance.clearMeasures();
});

test('a click on Clone and the filled form make one measure; the next clone starts from its own click', () => {
  markCloneClicked();
  markCloneFormFilled();
  expect(performance.getEntriesByName(CLONE_MEASURE, 'measure')).toHaveLength(1);
  expect(performance.getEntriesByName(CLONE_CLICKED, 'mark')).toHaveLength(0);

  markCloneFormFilled();
  expect(performance.getEntriesByName(CLONE_MEASURE, 'measure')).toHaveLength(1);
  expect(performance.getEntriesByName(CLONE_FORM_FILLED, 'mark')).toHaveLength(2);
});

test('a clone address opened directly is only marked, timed from the page start', () => {
  markCloneFormFilled();
  expect(performance.getEntriesByName(CLONE_FORM_FILLED, 'mark')).toHaveLength(1);
  expect(performance.getEntriesByName(CLONE_MEASURE, 'measure')).toHaveLength(0);
});
