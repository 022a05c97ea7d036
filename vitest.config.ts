import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores in CI: files in parallel would fight over them and over onnxruntime threads.
    fileParallelism: false,
    reporters: ['default', './tests/support/summary-line-reporter.ts'],
  },
});
