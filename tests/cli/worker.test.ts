/** `tradelab worker` and `tradelab enqueue` through the built CLI: what a person gets wrong, answered with exit 2 and the field. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli-study.js';

const home = mkdtempSync(join(tmpdir(), 'tradelab-worker-cli-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const base: NodeJS.ProcessEnv = { ...process.env, TRADELAB_HOME: home };
  delete base.TRADELAB_DATABASE_URL;
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...base, ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tradelab worker / enqueue input errors', () => {
  it('needs a postgresql:// storage, from --storage or TRADELAB_DATABASE_URL', () => {
    const none = cli(['worker']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--storage.*postgresql:\/\/.*TRADELAB_DATABASE_URL/s);
    const sqlite = cli(['worker', '--storage', 'sqlite:///tmp/x.db']);
    expect(sqlite.code).toBe(2);
    expect(sqlite.stderr).toMatch(/must be PostgreSQL/);
    const env = cli(['enqueue', 'job.yaml'], { TRADELAB_DATABASE_URL: 'mysql://u@h/db' });
    expect(env.code).toBe(2);
    expect(env.stderr).toMatch(/must be PostgreSQL/);
  });

  it('checks its numbers before connecting', () => {
    const grace = cli(['enqueue', 'job.yaml', '--storage', 'postgresql://u@127.0.0.1:1/db', '--heartbeat', '5', '--grace', '5']);
    expect(grace.code).toBe(2);
    expect(grace.stderr).toMatch(/--grace must be longer than --heartbeat/);
    const conc = cli(['worker', '--storage', 'postgresql://u@127.0.0.1:1/db', '--concurrency', '0']);
    expect(conc.code).toBe(2);
    expect(conc.stderr).toMatch(/--concurrency/);
  });

  it('says which database it cannot reach, password hidden', () => {
    const r = cli(['worker', '--storage', 'postgresql://me:s3cret@127.0.0.1:1/db', '--idle-exit', '0']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/127\.0\.0\.1:1/);
    expect(r.stderr).not.toMatch(/s3cret/);
  });

  it('documents both commands', () => {
    expect(cli(['worker', '--help']).stdout).toMatch(/--concurrency N.*heartbeats/s);
    expect(cli(['enqueue', '--help']).stdout).toMatch(/returns at once.*--heartbeat s.*RetryFailedTrialCallback/s);
  });
});
