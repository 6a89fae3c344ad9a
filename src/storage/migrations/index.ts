/** The ordered list of schema migrations. Append only; never edit a released one. */
import type { Migration } from './types.js';
import { migration001 } from './001_datasets.js';
import { migration002 } from './002_runs.js';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
];
