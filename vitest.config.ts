import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests are CPU-bound; two workers match the machines this runs on.
    maxWorkers: 2,
  },
});
