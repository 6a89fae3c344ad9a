/**
 * Runs Optuna itself (Debian's python3-optuna 3.1, at /usr/bin/python3 so that a pyenv
 * python on PATH does not hide it) on a tradelab store, through tests/fixtures/optuna/study_io.py.
 * A machine without it fails the test with the package to install, never skips it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';

const SCRIPT = join(PACKAGE_ROOT, 'tests', 'fixtures', 'optuna', 'study_io.py');

export function optunaPython(): string {
  const python = ['/usr/bin/python3', 'python3'].find((p) => !p.startsWith('/') || existsSync(p)) ?? 'python3';
  const probe = spawnSync(python, ['-c', 'import optuna, sqlalchemy; print(optuna.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(`Optuna is not importable by ${python} (${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()}): install Debian's packages with \`apt-get install -y python3-optuna python3-psycopg2\` (.ci/run does this)`);
  }
  return python;
}

/** `study_io.py <args>` under TZ=UTC; its JSON output, with "inf"/"-inf"/"nan" strings left as they are. */
export function runOptuna(args: readonly string[]): unknown {
  const r = spawnSync(optunaPython(), [SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`optuna ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The inverse of study_io.py's `plain`: "inf", "-inf" and "nan" back to numbers. */
export function numeric(v: unknown): number {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return NaN;
  return v as number;
}
