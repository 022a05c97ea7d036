import { defineConfig } from 'vitest/config';

/**
 * `npm test`: the fast tier. Whole-dataset checks are in tests/*.full.test.ts (`npm run test:full`).
 * No wall-clock timeouts: a test must not fail because a loaded machine is slow.
 */
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/**/*.full.test.ts', '**/node_modules/**'],
    testTimeout: 0,
    hookTimeout: 0,
    // Two cores in CI: files in parallel would fight over them and over onnxruntime threads.
    fileParallelism: false,
    reporters: ['default', './tests/support/summary-line-reporter.ts'],
  },
});
