/**
 * A throwaway local PostgreSQL server (tests, `npm run bench:workers`, trying workers on one
 * machine): Debian's `postgresql` package (its binaries in /usr/lib/postgresql/<version>/bin,
 * or initdb/pg_ctl on PATH), a cluster initialised in a fresh temporary directory, listening
 * on a free TCP port of 127.0.0.1 and on a unix socket inside that directory, trust
 * authentication, fsync off, TimeZone UTC. initdb refuses to run as root (CI runs as root):
 * then the cluster belongs to, and runs as, the `postgres` user (`runuser`).
 *
 * A missing or failing PostgreSQL is an Error saying what was looked for and what the tools
 * printed. Never for data that matters: fsync is off and stop() deletes the cluster.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** postgresql:// URL of the server's `postgres` database (user `postgres`, no password). */
  readonly url: string;
  readonly port: number;
  /** Creates an empty database (or a copy of `template`, a database of this server no one is connected to) and returns its URL. */
  createDatabase(name?: string, template?: string): Promise<string>;
  /** Stops the server (immediate shutdown) and removes its directory. */
  stop(): Promise<void>;
}

const LIB = '/usr/lib/postgresql';

/** The directory holding initdb and pg_ctl: the newest /usr/lib/postgresql/<v>/bin, else PATH. */
function binDir(): string {
  const versions = existsSync(LIB) ? readdirSync(LIB).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const dir = join(LIB, v, 'bin');
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const onPath = which.status === 0 ? which.stdout.trim() : '';
  if (onPath) return onPath.replace(/\/initdb$/, '');
  throw new Error(
    `PostgreSQL not found: no initdb and pg_ctl in ${LIB}/<version>/bin nor on PATH. ` +
      'Install Debian\'s server package: apt-get install -y --no-install-recommends postgresql',
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no free port'))));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL tool (as `postgres` when we are root); throws with its output when it fails. */
function run(bin: string, tool: string, args: string[], cwd: string): void {
  const file = join(bin, tool);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : `exit status ${r.status}${r.signal ? `, signal ${r.signal}` : ''}`;
    throw new Error(`PostgreSQL: \`${[cmd, ...argv].join(' ')}\` failed (${why})\nstdout: ${r.stdout ?? ''}\nstderr: ${r.stderr ?? ''}`);
  }
}

function readLog(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '(no server log)';
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'tradelab-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  let port = 0;
  try {
    run(bin, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--locale=C'], dir);
    // a port found free can be taken before the server binds it: try a few
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c timezone=UTC -c max_connections=60`;
      try {
        run(bin, 'pg_ctl', ['-D', data, '-l', log, '-w', '-t', '30', '-o', opts, 'start'], dir);
        break;
      } catch (e) {
        if (attempt >= 3 || !/could not bind|Address already in use/i.test(readLog(log))) throw e;
      }
    }
  } catch (e) {
    const msg = `${(e as Error).message}\nserver log (${log}):\n${readLog(log)}`;
    rmSync(dir, { recursive: true, force: true });
    throw new Error(msg);
  }
  let stopped = false;
  const stopNow = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      run(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // a test process that ends without calling stop() does not leave the server running
  process.once('exit', stopNow);
  return {
    ...attachPostgres(port),
    async stop(): Promise<void> {
      process.removeListener('exit', stopNow);
      stopNow();
    },
  };
}


/** Databases made by this process (names stay unique across handles on one server). */
let made = 0;

/**
 * A handle on a local server already running on `port` (started by another process, e.g. the
 * test run's global setup): it makes databases; stopping it is its starter's business.
 */
export function attachPostgres(port: number): TestPostgres {
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    async createDatabase(name = `t${process.pid}_${++made}_${randomBytes(3).toString('hex')}`, template?: string): Promise<string> {
      const c = new pg.Client({ connectionString: url });
      const ident = (n: string): string => `"${n.replace(/"/g, '""')}"`;
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${ident(name)}${template === undefined ? '' : ` TEMPLATE ${ident(template)}`}`);
      } finally {
        await c.end();
      }
      return `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(name)}`;
    },
    async stop(): Promise<void> {},
  };
}
