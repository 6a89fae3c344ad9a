/**
 * Exporting the current champion of a key to
 * `<app.root>/config/champions/<strategy>_<symbol>_<timeframe>.json` after every change.
 * The JSON is written to a temporary file in the same directory and renamed over the target,
 * so a crash leaves either the old file or the new one, never half a file.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCurrentChampion, type ChampionKey, type ChampionVersion } from '../../storage/champions.js';
import type { App } from '../app.js';
import { iso } from './loose.js';

/** A symbol made safe for a file name: anything but letters, digits, `.`, `_`, `-` becomes `-` (`EUR/USD` → `EUR-USD`). */
export function sanitizeForFile(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^\.+/, '-');
}

export function championFileName(key: ChampionKey): string {
  return `${sanitizeForFile(key.strategy)}_${sanitizeForFile(key.symbol)}_${sanitizeForFile(key.timeframe)}.json`;
}

export function championsDir(app: App): string {
  return join(app.root, 'config', 'champions');
}

export function championDocument(v: ChampionVersion): Record<string, unknown> {
  return {
    format: 'tradelab-champion/1',
    strategy: v.strategy,
    symbol: v.symbol,
    timeframe: v.timeframe,
    version: v.version,
    params: v.params,
    metrics: v.metrics,
    source: { run_id: v.source_run_id, trial: v.source_trial },
    rollback_of: v.rollback_of,
    dataset_hash: v.dataset_hash,
    engine_version: v.engine_version,
    promoted_at: iso(v.promoted_at),
    promoted_by: v.promoted_by,
    reason: v.reason,
    evidence: v.evidence,
  };
}

/** How the file content reaches the disk (injectable so tests can simulate a crash mid-write). */
export type FileWriter = (path: string, text: string) => void;

const defaultWriter: FileWriter = (path, text) => writeFileSync(path, text, { encoding: 'utf8', flag: 'wx' });

export interface ExportResult {
  readonly file: string;
  readonly version: number;
}

/** Writes the current champion's file atomically; null when the key has no champion. */
export function exportChampion(app: App, key: ChampionKey, write: FileWriter = defaultWriter): ExportResult | null {
  const v = getCurrentChampion(app.db, key);
  if (!v) return null;
  const dir = championsDir(app);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, championFileName(key));
  const tmp = join(dir, `.${championFileName(key)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    write(tmp, `${JSON.stringify(championDocument(v), null, 2)}\n`);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return { file, version: v.version };
}
