import { defineConfig } from 'vitest/config';

// Browser tests: Node drives a real Chromium (playwright-core, no bundled
// browser) against a running app at REGISTRY_E2E_URL. One file at a time.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['./e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    fileParallelism: false,
    maxConcurrency: 1,
  },
});
