import { defineConfig } from 'vitest/config';
import type { Reporter } from 'vitest/node';

type Task = { type: string; mode?: string; result?: { state?: string }; tasks?: Task[] };

// Ends the run with one plain line, "N passed, N failed" (", N skipped"), that any CI can read.
// onFinished runs after the default reporter's summary, so the line is the last one printed.
const plainSummary: Reporter = {
  onFinished(files: Task[] = []) {
    const count = { passed: 0, failed: 0, skipped: 0 };
    const walk = (t: Task) => {
      if (t.type === 'test') {
        if (t.result?.state === 'pass') count.passed++;
        else if (t.result?.state === 'fail') count.failed++;
        else count.skipped++;
      }
      t.tasks?.forEach(walk);
    };
    files.forEach(walk);
    process.stdout.write(`\n${count.passed} passed, ${count.failed} failed${count.skipped ? `, ${count.skipped} skipped` : ''}\n`);
  },
};

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // A private PostgreSQL server for the PostgreSQL tests (tests/setup/postgres.ts).
    globalSetup: ['tests/setup/postgres.ts'],
    // better-sqlite3 is a native module: separate processes are the safe pool for it.
    pool: 'forks',
    // More workers than cores: end-to-end tests mostly wait on the crm processes they start and on
    // their local servers (the suite took 3m12s with one worker, 1m55s with two, on the 2-core
    // machine; at 1,409 tests 371 s with two and 333 s with three).
    maxWorkers: 3,
    minWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', plainSummary],
  },
});
