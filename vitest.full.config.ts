import { defineConfig } from 'vitest/config';

/** `npm run test:full`: whole-dataset checks (every HumanEval and MBPP reference solution, ...). */
export default defineConfig({
  test: {
    include: ['tests/**/*.full.test.ts'],
    testTimeout: 0,
    hookTimeout: 0,
    fileParallelism: false,
    reporters: ['default', './tests/support/summary-line-reporter.ts'],
  },
});
