// Catches the CrmError a call throws (a test of bad input asserts its message id and exit code).
import { CrmError } from '../../src/errors.js';

export function errorOf(fn: () => unknown): CrmError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CrmError) return e;
    throw e;
  }
  throw new Error('expected a CrmError');
}
