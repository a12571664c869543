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
