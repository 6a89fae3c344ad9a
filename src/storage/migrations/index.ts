/** The ordered list of schema migrations. Append only; never edit a released one. */
import type { Migration } from './types.js';
import { migration001 } from './001_datasets.js';
import { migration002 } from './002_runs.js';
import { migration003 } from './003_studies.js';
import { migration004 } from './004_ledger.js';
import { migration005 } from './005_champions.js';
import { migration006 } from './006_run_owner.js';
import { migration007 } from './007_equity_stored.js';
import { migration008 } from './008_ledger_selection.js';
import { migration011 } from './011_trial_waiting.js';

export type { Migration };

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  // 009 and 010 are reserved for the parallel branches `limits` and `growth` (issue 16); on
  // this branch alone they are empty steps, replaced (or 011 renumbered) when the branches merge
  { version: 9, name: 'reserved_limits', up: () => undefined },
  { version: 10, name: 'reserved_growth', up: () => undefined },
  migration011,
];
