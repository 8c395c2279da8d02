import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores on CI: one worker per core keeps heavy ONNX tests from fighting over them.
    maxWorkers: 2,
  },
});
