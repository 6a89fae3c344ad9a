import { spawn, type ChildProcess } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statement, type Db } from '../../src/storage/db.js';
import { openStore } from '../../src/storage/open.js';
import { CAN_READ_START, startTokenOf } from '../../src/storage/process-identity.js';
import { hasBacktestResult, saveBacktestResult } from '../../src/storage/run-results.js';
import { createRun, deleteRun, findRunByFingerprint, getRun, listRuns, markInterruptedRuns, PROCESS_OWNER, PROCESS_START, updateRun } from '../../src/storage/runs.js';
import { eachStore } from '../helpers/stores.js';

/** The garbage collector, called by hand (V8 gives it to a new context once exposed). */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const host = PROCESS_OWNER.slice(0, PROCESS_OWNER.lastIndexOf(':'));

/** A running run whose owner row is set by hand (another process, an older one, a legacy row). */
function runOwnedBy(db: Db, owner: string | null, start: string | null): string {
  const r = createRun(db, { kind: 'optimize', status: 'running', spec: {}, now: 1 });
  statement(db, 'UPDATE runs SET owner = ?, owner_start = ? WHERE id = ?').run(owner, start, r.id);
  return r.id;
}

let child: ChildProcess;
beforeAll(async () => {
  // a live process that is not this one (its PID stands for a reused one)
  child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  await new Promise((res) => child.once('spawn', res));
});
afterAll(() => {
  child.kill('SIGKILL');
});

describe('run repository', () => {
  const stores = eachStore();
  describe.each(stores)('$kind store', (store) => {
    describe('markInterruptedRuns', () => {
      it('fails runs whose owner process is gone and leaves live owners alone', () => {
        const db = store.open();
        const mine = createRun(db, { kind: 'optimize', status: 'running', spec: {}, now: 1 });
        const dead = runOwnedBy(db, `${host}:2147483646`, 'boot:1');
        const legacy = runOwnedBy(db, null, null);
        const otherHost = runOwnedBy(db, 'some-other-host:1', 'boot:1');
        expect(markInterruptedRuns(db, 2)).toBe(2);
        expect(getRun(db, mine.id)?.status).toBe('running');
        expect(getRun(db, dead)?.status).toBe('failed');
        expect(getRun(db, dead)?.error).toMatch(/interrupted/);
        expect(getRun(db, legacy)?.status).toBe('failed');
        expect(getRun(db, otherHost)?.status).toBe('running');
      });

      it('records who created a run: host:pid and this process start token', () => {
        const db = store.open();
        const r = createRun(db, { kind: 'optimize', status: 'queued', spec: {}, now: 1 });
        expect(statement(db, 'SELECT owner, owner_start FROM runs WHERE id = ?').get(r.id)).toEqual({ owner: PROCESS_OWNER, owner_start: PROCESS_START });
      });

      it('a run with this PID but another start token belongs to a dead process that had this PID', () => {
        const db = store.open();
        const earlier = runOwnedBy(db, PROCESS_OWNER, 'r:0123456789abcdef');
        const legacy = runOwnedBy(db, PROCESS_OWNER, null); // written before migration 009 by a process now gone
        const mine = runOwnedBy(db, PROCESS_OWNER, PROCESS_START);
        expect(markInterruptedRuns(db, 2)).toBe(2);
        expect(getRun(db, earlier)?.status).toBe('failed');
        expect(getRun(db, legacy)?.status).toBe('failed');
        expect(getRun(db, mine)?.status).toBe('running');
      });

      it.runIf(CAN_READ_START)('a live PID keeps a run only with the start token it was recorded with (PID reuse)', () => {
        const db = store.open();
        const pid = child.pid!;
        const token = startTokenOf(pid);
        expect(token).not.toBeNull();
        expect(token).not.toBe(PROCESS_START);
        const owner = `${host}:${pid}`;
        const same = runOwnedBy(db, owner, token);
        const reused = runOwnedBy(db, owner, `${token!.split(':')[0]}:1`); // the dead owner started long before
        const legacy = runOwnedBy(db, owner, null);
        expect(markInterruptedRuns(db, 2)).toBe(1);
        expect(getRun(db, same)?.status).toBe('running');
        expect(getRun(db, reused)?.status).toBe('failed');
        expect(getRun(db, legacy)?.status).toBe('running'); // no token: judged by the PID, as before
      });
    });

    it('lists runs newest first with filters and pages, finds the newest succeeded run of a fingerprint, updates and deletes', () => {
      const db = store.open();
      createRun(db, { id: 'bt_1', kind: 'backtest', status: 'succeeded', fingerprint: 'f', strategy: 'sma', spec: { a: 1 }, now: 10 });
      createRun(db, { id: 'bt_2', kind: 'backtest', status: 'failed', fingerprint: 'f', strategy: 'sma', spec: {}, now: 20 });
      createRun(db, { id: 'bt_3', kind: 'backtest', status: 'succeeded', fingerprint: 'f', strategy: 'rsi', spec: {}, now: 15 });
      createRun(db, { id: 'bb_1', kind: 'batch', status: 'running', spec: {}, now: 20 });
      createRun(db, { id: 'bt_4', kind: 'backtest', parent_id: 'bb_1', spec: {}, now: 20 });
      const ids = (q: Partial<Parameters<typeof listRuns>[1]> = {}): string[] => listRuns(db, { limit: 10, offset: 0, ...q }).runs.map((r) => r.id);
      expect(ids()).toEqual(['bt_4', 'bt_2', 'bb_1', 'bt_3', 'bt_1']); // ties on created_at: id descending
      expect(listRuns(db, { limit: 2, offset: 1 })).toMatchObject({ total: 5, runs: [{ id: 'bt_2' }, { id: 'bb_1' }] });
      expect(ids({ kind: 'backtest', status: 'succeeded' })).toEqual(['bt_3', 'bt_1']);
      expect(ids({ strategy: 'sma' })).toEqual(['bt_2', 'bt_1']);
      expect(ids({ parent_id: 'bb_1' })).toEqual(['bt_4']);
      expect(findRunByFingerprint(db, 'f')?.id).toBe('bt_3');
      expect(findRunByFingerprint(db, 'g')).toBeUndefined();

      updateRun(db, 'bb_1', { status: 'succeeded', summary: { best: 1.5 }, progress: { done: 2, total: null }, finished_at: 30 });
      expect(getRun(db, 'bb_1')).toMatchObject({ status: 'succeeded', summary: { best: 1.5 }, progress: { done: 2, total: null }, error: null, started_at: 20, finished_at: 30 }); // started when created running
      updateRun(db, 'bb_1', { summary: null, error: 'x' });
      expect(getRun(db, 'bb_1')).toMatchObject({ summary: null, error: 'x', progress: { done: 2, total: null } });

      saveBacktestResult(db, 'bt_4', { metrics: {} as never, warnings: [], trades: [], open_trades: [], skipped: [], equity: new Float64Array(1), equity_time: null, warmup: 0 });
      expect(deleteRun(db, 'bb_1')).toBe(true);
      expect(deleteRun(db, 'bb_1')).toBe(false);
      expect(getRun(db, 'bt_4')?.parent_id).toBeNull(); // ON DELETE SET NULL
      expect(deleteRun(db, 'bt_4')).toBe(true);
      expect(hasBacktestResult(db, 'bt_4')).toBe(false); // ON DELETE CASCADE
    });

    it('a closed store reopens with its runs, even when garbage is collected right after the close', async () => {
      // not store.open(), and no variable of this test holds them: closed connections must be unreachable
      const use = <T>(fn: (db: Db) => T): T => {
        const db = openStore(store.location());
        try {
          return fn(db);
        } finally {
          db.close();
        }
      };
      const id = use((db) => createRun(db, { kind: 'backtest', spec: { n: 1 }, now: 1 }).id);
      for (let i = 0; i < 3; i++) use((db) => getRun(db, id));
      // The libpq package's finish() left its poll handle, inside the native object, to be
      // closed by libuv on a later turn of the event loop, while the object could already be
      // collected: a collection and some allocation in between aborted the process.
      gc();
      gc();
      const junk = Array.from({ length: 20_000 }, (_, i) => Buffer.allocUnsafeSlow(64 + (i % 512)).fill(0xff));
      await new Promise((res) => setImmediate(res));
      await new Promise((res) => setTimeout(res, 10));
      expect(junk).toHaveLength(20_000);
      expect(getRun(store.open(), id)).toMatchObject({ kind: 'backtest', spec: { n: 1 }, status: 'queued' });
    });
  });
});

describe.runIf(CAN_READ_START)('startTokenOf', () => {
  it('is stable for one process, differs between processes, and is null for a PID that does not exist', () => {
    expect(startTokenOf(process.pid)).toBe(PROCESS_START);
    expect(startTokenOf(child.pid!)).toBe(startTokenOf(child.pid!));
    expect(startTokenOf(child.pid!)).not.toBe(PROCESS_START);
    expect(startTokenOf(2147483646)).toBeNull();
  });
});

describe('trialOwnerAlive (study trials carry host:pid#start)', () => {
  it('this process is alive; the same PID with another start token, or a PID that does not exist, is not', async () => {
    const { PROCESS_TRIAL_OWNER, trialOwnerAlive } = await import('../../src/storage/process-identity.js');
    expect(PROCESS_TRIAL_OWNER).toBe(`${PROCESS_OWNER}#${PROCESS_START}`);
    expect(trialOwnerAlive(PROCESS_TRIAL_OWNER)).toBe(true);
    expect(trialOwnerAlive(`${PROCESS_OWNER}#not-this-process`)).toBe(false);
    /** The garbage collector, called by hand (V8 gives it to a new context once exposed). */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const host = PROCESS_OWNER.slice(0, PROCESS_OWNER.lastIndexOf(':'));
    expect(trialOwnerAlive(`${host}:2147483646#x`)).toBe(false);
    expect(trialOwnerAlive(`another-host:1#x`)).toBe(true); // another machine's process: not ours to judge
    expect(trialOwnerAlive(null)).toBe(false);
  });
});
