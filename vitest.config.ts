import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // better-sqlite3 is a native module: separate processes are the safe pool for it.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
