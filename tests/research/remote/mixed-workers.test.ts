/**
 * A study filled together by two `tradelab worker` processes and a Python Optuna process
 * (Debian's python3-optuna 3.1) at the same time, through one PostgreSQL database: trial
 * numbers stay unique and gap-free (both lock the study row as Optuna's RDB storage does),
 * tradelab reads the Python trials, and Optuna reads the tradelab ones.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../../src/engine/data/synthetic.js';
import { openApp, type App } from '../../../src/research/app.js';
import { openRemote, type RemoteBackend } from '../../../src/research/remote/backend.js';
import { enqueueStudy } from '../../../src/research/remote/task.js';
import { insertDataset } from '../../../src/storage/datasets.js';
import { CLI } from '../../helpers/cli-study.js';
import { PYTHON, requireOptuna, runStudyIo, STUDY_IO, sqlalchemyUrl } from '../../helpers/optuna.js';
import { postgresForFile } from '../../helpers/postgres.js';

const fx = postgresForFile();
let dir: string;
let app: App;
let remote: RemoteBackend | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tradelab-mixed-'));
  app = openApp({ home: dir, config: {} });
  insertDataset(app.db, { candles: generateSynthetic({ symbol: 'MIX', timeframe: '1h', bars: 300_000, seed: 8, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 0 });
});
afterAll(async () => {
  await remote?.close();
  app.db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tradelab workers and a Python Optuna worker on one PostgreSQL study', () => {
  it('share the numbering and read each other’s trials', async () => {
    requireOptuna();
    const url = await fx.server.createDatabase();
    remote = await openRemote(url);
    const e = await enqueueStudy(app, remote, { strategy: 'sma_cross', symbol: 'MIX', timeframe: '1h', study_name: 'mixed', sampler: 'tpe', n_trials: 120, seed: 2 } as never);
    // Optuna starts first (its imports take a second or two) and says when it has loaded the
    // study; then the workers start, and Optuna adds its trials while they run theirs
    const py = spawn(PYTHON, [STUDY_IO, 'add', sqlalchemyUrl(url), 'mixed', '15'], { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    py.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const ready = new Promise<void>((resolve) => py.stderr.on('data', (b: Buffer) => ((err += b.toString()), err.includes('ready') && resolve())));
    const pyDone = new Promise<number | null>((r) => py.on('exit', r));
    await Promise.race([ready, pyDone]);
    const workers = [0, 1].map(() => spawn(process.execPath, [CLI, 'worker', '--storage', url, '--idle-exit', '1'], { stdio: ['ignore', 'ignore', 'pipe'] }));
    const exited = workers.map((w) => new Promise<number | null>((r) => w.on('exit', r)));
    expect(await pyDone, err).toBe(0);
    const python = JSON.parse(out) as { numbers: number[] };
    expect(await Promise.all(exited)).toEqual([0, 0]);

    const all = await remote.store.listTrials(e.study_id);
    expect(all.map((t) => t.number)).toEqual(all.map((_, i) => i));
    // Optuna's own trials have no owner (a worker's trial answered from an Optuna twin copies its user attributes)
    const byPython = all.filter((t) => t.system_attrs.owner === undefined);
    expect(byPython.map((t) => t.number).sort((a, b) => a - b)).toEqual([...python.numbers].sort((a, b) => a - b));
    expect(byPython.every((t) => t.state === 'COMPLETE' && t.user_attrs.by === 'python' && Object.keys(t.params).sort().join() === Object.keys(all[0].params).sort().join())).toBe(true);
    const ours = all.filter((t) => t.system_attrs.owner !== undefined && t.state === 'COMPLETE');
    expect(ours.length).toBeGreaterThan(0);
    // filled together: some of Optuna's trials were numbered before some of the workers'
    expect(Math.min(...python.numbers)).toBeLessThan(Math.max(...ours.map((t) => t.number)));
    expect(ours.length + byPython.length).toBeGreaterThanOrEqual(120);
    expect(all.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING')).toEqual([]);

    const seen = runStudyIo<{ trials: { number: number; state: string; values: number[] | null }[] }>(['read', sqlalchemyUrl(url), 'mixed']);
    expect(seen.trials.map((t) => [t.number, t.state])).toEqual(all.map((t) => [t.number, t.state]));
    expect(seen.trials.map((t) => t.values)).toEqual(all.map((t) => t.values));
  }, 120_000);
});
