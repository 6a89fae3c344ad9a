import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/storage/db.js';
import { createRun, getRun, markInterruptedRuns, PROCESS_OWNER } from '../../src/storage/runs.js';

describe('markInterruptedRuns', () => {
  it('fails runs whose owner process is gone and leaves live owners alone', () => {
    const db = openDb(':memory:');
    const mine = createRun(db, { kind: 'optimize', status: 'running', spec: {}, now: 1 });
    const dead = createRun(db, { kind: 'optimize', status: 'running', spec: {}, now: 1 });
    const legacy = createRun(db, { kind: 'optimize', status: 'queued', spec: {}, now: 1 });
    const host = PROCESS_OWNER.slice(0, PROCESS_OWNER.lastIndexOf(':'));
    db.prepare('UPDATE runs SET owner = ? WHERE id = ?').run(`${host}:2147483646`, dead.id);
    db.prepare('UPDATE runs SET owner = NULL WHERE id = ?').run(legacy.id);
    expect(markInterruptedRuns(db, 2)).toBe(2);
    expect(getRun(db, mine.id)?.status).toBe('running');
    expect(getRun(db, dead.id)?.status).toBe('failed');
    expect(getRun(db, dead.id)?.error).toMatch(/interrupted/);
    expect(getRun(db, legacy.id)?.status).toBe('failed');
  });
});
