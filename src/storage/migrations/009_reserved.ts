import type { Migration } from './types.js';

/**
 * Placeholder: version 9 is reserved for the `limits` branch's migration (issue 16), developed
 * in parallel. Migration versions must be consecutive, so this branch needs a 9 to reach its
 * own 10. At merge, this file is replaced by that branch's 009 (or, if it has none, removed
 * and 010 renumbered to 9). It changes nothing.
 */
export const migration009: Migration = {
  version: 9,
  name: 'reserved',
  up() {},
};
