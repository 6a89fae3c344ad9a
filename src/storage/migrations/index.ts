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
import { migration009 } from './009_run_owner_start.js';
import { migration010 } from './010_compact_results.js';
import { migration011 } from './011_trial_waiting.js';
import { migration012 } from './012_strategy_definitions.js';
import { migration013 } from './013_oauth.js';
import { migration014 } from './014_candle_columns.js';
import { migration015 } from './015_optuna_schema.js';

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
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
  migration015,
];
