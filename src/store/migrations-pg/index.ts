// The PostgreSQL schema's history, on the SQLite book's version numbers: a server book starts at
// version 14 (the whole schema then, in one step), and every later version has a module here and
// one in ../migrations/ (tests/store/pg-schema.test.ts checks both give the same tables and columns,
// and that this list reaches store/db.ts SCHEMA_VERSION). Append, never edit.
import { sql as v14 } from './014-schema.js';

/** Each step: the version it brings a book to, and its statements. */
export const PG_MIGRATIONS: readonly { version: number; sql: string }[] = [{ version: 14, sql: v14 }];
