/**
 * Fault test: a child process runs a study on a SQLite file and is killed with SIGKILL in
 * the middle of a trial. The resumed study must have every trial the child reported as
 * finished, put the interrupted one back to WAITING, run it first under its own number and
 * params, and continue the numbering.
 *
 * The child runs the TypeScript sources through tsx's loader, as the test itself does.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { optimize } from '../../src/engine/optimizer/optimize.js';
import { Study } from '../../src/engine/optimizer/study.js';
import { openDb } from '../../src/storage/db.js';
import { SqliteStudyStore } from '../../src/storage/study-store.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

const work = mkdtempSync(join(tmpdir(), 'tradelab-sigkill-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SPACE = { x: { type: 'float', low: -5, high: 5 }, n: { type: 'int', low: 1, high: 20 } };

const source = (path: string): string => JSON.stringify(pathToFileURL(join(REPO_ROOT, 'src', path)).href);
const CHILD = `
import { openDb } from ${source('storage/db.ts')};
import { SqliteStudyStore } from ${source('storage/study-store.ts')};
import { Study } from ${source('engine/optimizer/study.ts')};
import { optimize } from ${source('engine/optimizer/optimize.ts')};
const db = openDb(process.argv[2]);
const study = await Study.open({ store: new SqliteStudyStore(db), name: 'killed', directions: ['minimize'], space: ${JSON.stringify(SPACE)}, seed: 7, clock: () => Date.now() });
await optimize(study, async (p, ctx) => {
  process.stdout.write('started ' + ctx.number + '\\n');
  await new Promise((r) => setTimeout(r, ctx.number >= 12 ? 10000 : 1));
  return (p.x - 1) ** 2 + p.n;
}, { n_trials: 100000, onTrial: (t) => process.stdout.write('finished ' + t.number + '\\n') });
`;

describe('resume after SIGKILL', () => {
  it('loses no finished trial, re-runs the interrupted one first and continues the numbering', async () => {
    writeFileSync(join(work, 'child.mjs'), CHILD);
    const file = join(work, 'studies.db');

    const reported: number[] = [];
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(work, 'child.mjs'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const l of lines) {
          if (l.startsWith('finished ')) reported.push(Number(l.slice(9)));
          // trial 12 is RUNNING (its row is committed before the objective starts): kill now
          if (l === 'started 12') child.kill('SIGKILL');
        }
      });
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited without SIGKILL: ${stderr}`))));
    });

    const db = openDb(file);
    try {
      const store = new SqliteStudyStore(db);
      const study = await Study.open({ store, name: 'killed', directions: ['minimize'], space: SPACE as never, seed: 7, clock: () => Date.now() });
      const byNumber = new Map(study.trials.map((t) => [t.number, t]));
      for (const n of reported) {
        const t = byNumber.get(n)!;
        expect(t.state).toBe('COMPLETE');
        expect(t.values![0]).toBe(((t.params.x as number) - 1) ** 2 + (t.params.n as number));
      }
      expect(study.trials.map((t) => t.number)).toEqual(study.trials.map((_, i) => i));
      expect(reported).toEqual(Array.from({ length: 12 }, (_, i) => i));
      expect(study.interruptedOnOpen).toEqual([12]);
      const interrupted = study.trials[12];
      expect(interrupted.state).toBe('WAITING');
      expect(interrupted.system_attrs.interruptions).toEqual([{ at: expect.any(Number), reason: 'its process stopped while the trial ran' }]);
      expect(study.trials.filter((t) => t.state === 'RUNNING')).toEqual([]);
      expect(study.trials.length).toBe(13);
      await optimize(study, (p) => ((p.x as number) - 1) ** 2 + (p.n as number), { n_trials: 3 });
      const after = await store.listTrials(study.record.study_id);
      expect(after.map((t) => [t.number, t.state])).toEqual([...Array.from({ length: 15 }, (_, i) => [i, 'COMPLETE'])]);
      expect(after[12].params).toEqual(interrupted.params);
    } finally {
      db.close();
    }
  }, 60_000);
});
