/**
 * Opening the store for a CLI command: like the server, an empty store first receives the
 * clearly labelled synthetic demo dataset, so the example jobs and commands work offline.
 */
import { openApp, type App } from '../research/app.js';
import { ensureDemoData } from '../research/datasets.js';
import { err } from './args.js';

export function openCliApp(): App {
  const app = openApp();
  const demo = ensureDemoData(app);
  if (demo) err(`tradelab: the store was empty; seeded demo dataset #${demo.id} ${demo.symbol} ${demo.timeframe} (${demo.rows} bars of SYNTHETIC data)`);
  return app;
}
