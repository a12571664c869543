// Preloaded (NODE_OPTIONS=--require) by tests/e2e/split-read.test.ts: in the main thread only, a
// query over the lower half of a split read (`<= @to`) fails as a damaged file would.
const { isMainThread } = require('node:worker_threads');
if (isMainThread) {
  const Database = require('better-sqlite3');
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (sql, ...rest) {
    if (/<= @to/.test(sql)) {
      const e = new Error('database disk image is malformed');
      e.code = 'SQLITE_CORRUPT';
      throw e;
    }
    return prepare.call(this, sql, ...rest);
  };
}
