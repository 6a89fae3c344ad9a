/**
 * Worker threads run the code under test: from the TypeScript sources (as under vitest) the
 * worker entries are the .ts files, started with tsx's loader, and the thread itself says it
 * runs the sources; from dist/ (production) they are the compiled .js files, started plainly.
 */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_EXECUTION } from '../../src/engine/backtest/types.js';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import type { WorkerResponse } from '../../src/engine/parallel/messages.js';
import { startWorker, WorkerPool, type WorkerScript } from '../../src/engine/parallel/pool.js';
import { BATCH_WORKER_SCRIPT } from '../../src/research/batch/worker-store.js';
import { ENGINE_WORKER_SCRIPT } from '../../src/research/evaluator.js';
import { workerScript } from '../../src/research/worker-script.js';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** The module that serves the thread started from `script`, as the thread reports it. */
async function servingModule(script: WorkerScript): Promise<string> {
  const w = startWorker(script);
  stops.push(() => w.terminate());
  w.postMessage({ type: 'hello' });
  const [msg] = (await once(w, 'message')) as [WorkerResponse];
  if (msg.type !== 'hello') throw new Error(`expected hello, got ${msg.type}`);
  return msg.module;
}

describe('worker scripts', () => {
  it('from dist/ are the compiled .js entries, started with the inherited options (production as before)', () => {
    const s = workerScript('file:///pkg/dist/src/research/evaluator.js', './engine-worker');
    expect(s.url.href).toBe('file:///pkg/dist/src/research/engine-worker.js');
    expect(s.execArgv).toBeUndefined();
    expect(workerScript('file:///pkg/dist/src/research/batch/worker-store.js', './item-worker').url.href).toBe('file:///pkg/dist/src/research/batch/item-worker.js');
  });

  it('from the sources are the .ts entries, started with tsx`s loader', () => {
    for (const s of [ENGINE_WORKER_SCRIPT, BATCH_WORKER_SCRIPT]) {
      expect(s.url.pathname).toMatch(/\/src\/research\/(engine-worker|batch\/item-worker)\.ts$/);
      expect(existsSync(fileURLToPath(s.url))).toBe(true);
      const i = s.execArgv!.indexOf('--import');
      expect(s.execArgv![i + 1]).toMatch(/^data:text\/javascript,import \{ register \} from "file:\/\/\/.*\/node_modules\/tsx\/.*\.mjs"; register\(\);$/);
    }
  });

  it('under test, engine and batch worker threads run the TypeScript sources, not dist/', async () => {
    expect(await servingModule(ENGINE_WORKER_SCRIPT)).toMatch(/\/src\/engine\/parallel\/serve\.ts$/);
    expect(await servingModule(BATCH_WORKER_SCRIPT)).toMatch(/\/src\/engine\/parallel\/serve\.ts$/);
  });

  it('a pool of source workers runs real tasks and matches the same task run inline', async () => {
    const pool = new WorkerPool(1, ENGINE_WORKER_SCRIPT);
    stops.push(() => pool.close());
    pool.load('k', generateSynthetic({ symbol: 'W', timeframe: '1h', bars: 2_000, seed: 3, start: Date.UTC(2022, 0, 1) }));
    const r = await pool.run({ key: 'k', start: 0, end: 2_000, strategy: 'sma_cross', params: { fast: 5, slow: 20, direction: 'long_only' }, spec: DEFAULT_EXECUTION, want: 'metrics' });
    expect(r.metrics.trades).toBeGreaterThan(0);
  });
});
