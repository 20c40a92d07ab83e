import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests are CPU-bound; two workers match the machines this runs on.
    maxWorkers: 2,
    // Property tests and solver sweeps take seconds; on a loaded 2-core machine the
    // default 5 s limit fails them for time, not for their assertions.
    testTimeout: 60_000,
  },
});
