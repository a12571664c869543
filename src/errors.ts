// One error type for the whole program. Core and store code throw it with a message id from the
// catalog; src/cli.ts turns it into one line on stderr and an exit code, in the user's language.
import { translate, type MessageId, type Params } from './messages/index.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** Ctrl-C at a prompt, as shells report SIGINT. */
export const EXIT_INTERRUPTED = 130;

export class CrmError extends Error {
  constructor(
    readonly id: MessageId,
    readonly params: Params = {},
    readonly exitCode: 1 | 2 = EXIT_FAILURE,
    readonly hint?: { id: MessageId; params?: Params },
  ) {
    super(translate('en', id, params));
    this.name = 'CrmError';
  }
}

/** Bad usage or bad input: exit 2. */
export function badInput(id: MessageId, params: Params = {}, hint?: { id: MessageId; params?: Params }): CrmError {
  return new CrmError(id, params, EXIT_USAGE, hint);
}

/** The command could not do its job: exit 1. */
export function failure(id: MessageId, params: Params = {}, hint?: { id: MessageId; params?: Params }): CrmError {
  return new CrmError(id, params, EXIT_FAILURE, hint);
}

/** The operating-system and SQLite errors that have a line of their own: the line's id and its hint's. */
const SYSTEM_ERRORS = {
  ENOENT: ['err.os.ENOENT', 'hint.os.ENOENT'],
  ENOTDIR: ['err.os.ENOTDIR', 'hint.os.ENOENT'],
  EACCES: ['err.os.EACCES', 'hint.os.EACCES'],
  EPERM: ['err.os.EACCES', 'hint.os.EACCES'],
  EROFS: ['err.os.EROFS', 'hint.os.EROFS'],
  ENOSPC: ['err.os.ENOSPC', 'hint.os.ENOSPC'],
  EDQUOT: ['err.os.ENOSPC', 'hint.os.ENOSPC'],
  EFBIG: ['err.os.ENOSPC', 'hint.os.ENOSPC'],
  EISDIR: ['err.os.EISDIR', 'hint.os.EISDIR'],
  EIO: ['err.os.EIO', 'hint.os.EIO'],
  SQLITE_READONLY: ['err.os.SQLITE_READONLY', 'hint.os.SQLITE_READONLY'],
  SQLITE_FULL: ['err.os.SQLITE_FULL', 'hint.os.ENOSPC'],
  SQLITE_CANTOPEN: ['err.os.SQLITE_CANTOPEN', 'hint.os.SQLITE_CANTOPEN'],
  SQLITE_BUSY: ['err.db.busy', 'hint.db.busy'],
  SQLITE_IOERR: ['err.os.EIO', 'hint.os.EIO'],
} as const satisfies Record<string, readonly [MessageId, MessageId]>;

/** The code of an operating-system error (ENOSPC) or of SQLite's (SQLITE_READONLY_DBMOVED -> SQLITE_READONLY). */
export function codeOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  return code.startsWith('SQLITE_') ? code.split('_').slice(0, 2).join('_') : code;
}

/**
 * An operating-system or SQLite error as crm's one line naming `file` and what to do (exit 1), or
 * null when it is none of those crm knows (the caller says it its own way).
 */
export function systemError(e: unknown, file: string): CrmError | null {
  const code = codeOf(e);
  const known = code !== undefined && Object.hasOwn(SYSTEM_ERRORS, code) ? SYSTEM_ERRORS[code as keyof typeof SYSTEM_ERRORS] : undefined;
  if (!known) return null;
  return failure(known[0], { path: file }, { id: known[1], params: { path: file } });
}
