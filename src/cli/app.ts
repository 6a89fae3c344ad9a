/**
 * Opening the store for a CLI command: like the server, an empty store first receives the
 * clearly labelled synthetic demo dataset, so the example jobs and commands work offline.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StrategyDef } from '../engine/strategies/types.js';
import { hasStrategy, getStrategy } from '../engine/strategies/registry.js';
import { defaultHome, openApp, type App } from '../research/app.js';
import { ensureDemoData } from '../research/datasets.js';
import { resolveStrategy } from '../research/strategies.js';
import { err } from './args.js';

export function openCliApp(): App {
  const app = openApp();
  const demo = ensureDemoData(app);
  if (demo) err(`tradelab: the store was empty; seeded demo dataset #${demo.id} ${demo.symbol} ${demo.timeframe} (${demo.rows} bars of SYNTHETIC data)`);
  return app;
}

/**
 * A strategy by name for commands that need no store otherwise (`backtest --csv`,
 * `check-bias --csv`): a built-in, else a definition stored with `tradelab strategy import`
 * (looked up in $TRADELAB_HOME's store when there is one).
 */
export function cliStrategy(name: string): StrategyDef {
  if (hasStrategy(name)) return getStrategy(name);
  if (!process.env.TRADELAB_DATABASE_URL && !existsSync(join(defaultHome(), 'tradelab.db'))) return resolveStrategy(name);
  const app = openApp();
  try {
    return resolveStrategy(name, app.db);
  } finally {
    app.db.close();
  }
}
