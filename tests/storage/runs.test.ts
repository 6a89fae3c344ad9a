import { spawn, type ChildProcess } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statement, type Db } from '../../src/storage/db.js';
import { openStore } from '../../src/storage/open.js';
import { CAN_READ_START, startTokenOf } from '../../src/storage/process-identity.js';
import { createRun, getRun, markInterruptedRuns, PROCESS_OWNER, PROCESS_START } from '../../src/storage/runs.js';
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
