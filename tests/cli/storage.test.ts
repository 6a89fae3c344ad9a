/** `--storage postgresql://…` on any command: the whole store in PostgreSQL, nothing in $TRADELAB_HOME. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli-study.js';
import { postgresForFile } from '../helpers/postgres.js';

const pg15 = postgresForFile();
const home = mkdtempSync(join(tmpdir(), 'tradelab-storage-cli-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, TRADELAB_HOME: home };
  delete env.TRADELAB_DATABASE_URL;
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tradelab <command> --storage postgresql://…', () => {
  it('optimises, lists runs and studies from PostgreSQL, and writes no SQLite file', async () => {
    const url = await pg15.server.createDatabase();
    const opt = cli(['optimize', 'config/optimizer/sma_cross.yaml', '--storage', url]);
    expect(opt.stderr).toMatch(/seeded demo dataset/);
    expect(opt.code).toBe(0);
    const runId = /run (opt_\w+)\)/.exec(opt.stdout)?.[1];
    expect(runId).toBeDefined();
    const runs = cli(['runs', `--storage=${url}`]);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toContain(runId);
    const studies = cli(['studies', '--storage', url, '--json']);
    expect(studies.code).toBe(0);
    expect((JSON.parse(studies.stdout) as { total: number }).total).toBe(1);
    const datasets = cli(['datasets', '--storage', url]);
    expect(datasets.stdout).toMatch(/DEMO-BTC 1h/);
    expect(existsSync(join(home, 'tradelab.db'))).toBe(false);
  }, 180_000);

  it('refuses a storage that is not PostgreSQL, naming --storage', () => {
    const r = cli(['runs', '--storage', 'mysql://u@h/db']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--storage.*postgresql:\/\//s);
    const down = cli(['runs', '--storage', 'postgresql://nobody@127.0.0.1:1/none']);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/cannot connect to PostgreSQL at postgresql:\/\/nobody@127\.0\.0\.1:1\/none.*field: storage/s);
  });
});
