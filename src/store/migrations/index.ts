// The schema's history: migration N takes the database from version N-1 to N. Append, never edit;
// a new one is a module NNN-name.ts whose one statement is `export const sql = \`…\`;` (no escapes,
// no substitutions: store/db.ts reads it as text, without importing these modules), a line here, and
// store/db.ts SCHEMA_VERSION one more.
import { sql as v1 } from './001-init.js';
import { sql as v2 } from './002-merges.js';
import { sql as v3 } from './003-rfm.js';
import { sql as v4 } from './004-tiers.js';
import { sql as v5 } from './005-rfm-table.js';
import { sql as v6 } from './006-prospects.js';
import { sql as v7 } from './007-clv.js';
import { sql as v8 } from './008-reminders.js';
import { sql as v9 } from './009-complaints.js';
import { sql as v10 } from './010-reminder-fixes.js';
import { sql as v11 } from './011-complaint-stats.js';
import { sql as v12 } from './012-known-customers.js';
import { sql as v13 } from './013-import-runs.js';
import { sql as v14 } from './014-dedupe-models.js';

export const MIGRATIONS: readonly string[] = [v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13, v14];
