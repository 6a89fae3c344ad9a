/** The UserError that `fn` throws (anything else is rethrown; no error fails the test). */
import { UserError } from '../../src/research/errors.js';

export function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}
