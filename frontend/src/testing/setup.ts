import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { endSession } from './session.ts';

afterEach(() => {
  cleanup();
  // Files that run in the node environment (no DOM) have no cookies to clear.
  if (typeof document !== 'undefined') endSession();
});
