/**
 * Guard: `src/engine` stays pure (DESIGN.md §2). Every file under it is parsed and checked
 * for imports of storage, the file system, processes, the network or anything above the
 * engine, and for reads of the environment, the clock, unseeded randomness or the console.
 * The scanner's own tests below show that it catches each kind of violation (and is not
 * fooled by comments or strings), so a clean scan means something.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { scanSource, type Allowance } from './purity-scan.js';

/** The only exceptions, each with its reason. Add one only with a reason as good. */
const ALLOWANCES: readonly Allowance[] = [
  {
    specifier: 'node:worker_threads',
    under: 'src/engine/parallel/',
    reason:
      'the worker pool (DESIGN.md §2 engine/parallel) runs backtests in threads: it starts Workers and passes messages and SharedArrayBuffers, ' +
      'but threads do no I/O; which script a thread runs and with what clock is chosen by the caller (src/research)',
  },
  {
    specifier: 'node:crypto',
    under: 'src/engine/',
    names: ['createHash'],
    reason: 'content hashes (fingerprints, canonical strategy documents) are pure functions of their input; nothing random or secret is taken',
  },
];

function engineFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return engineFiles(path);
    return e.name.endsWith('.ts') ? [relative(PACKAGE_ROOT, path).split(sep).join('/')] : [];
  });
}

const scan = (source: string, file = 'src/engine/x/a.ts'): string[] => scanSource(file, source, ALLOWANCES).map((v) => v.rule);

describe('engine purity guard', () => {
  it('src/engine imports no storage, I/O or upper layer and reads no environment, clock or console', () => {
    const files = engineFiles(join(PACKAGE_ROOT, 'src', 'engine'));
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => scanSource(f, readFileSync(join(PACKAGE_ROOT, f), 'utf8'), ALLOWANCES).map((v) => `${f}:${v.line} ${v.text} — ${v.rule}`));
    expect(found).toEqual([]);
  });
});

describe('the purity scanner', () => {
  it('catches static, re-exported, require-style and dynamic imports of I/O modules and storage', () => {
    expect(scan(`import Database from 'better-sqlite3';`)).toEqual(['imports better-sqlite3, a package that does I/O']);
    expect(scan(`import { readFileSync } from 'node:fs';`)[0]).toMatch(/Node built-in node:fs/);
    expect(scan(`import * as fs from 'fs';`)[0]).toMatch(/Node built-in fs/);
    expect(scan(`export { spawn } from 'node:child_process';`)[0]).toMatch(/node:child_process/);
    expect(scan(`import http = require('node:http');`)[0]).toMatch(/node:http/);
    expect(scan(`const net = await import('node:net');`)[0]).toMatch(/node:net/);
    expect(scan('const m = await import(`node:https`);')[0]).toMatch(/node:https/);
    expect(scan(`const m = await import(name);`)).toEqual(['imports a module named at run time (the guard cannot see what it loads)']);
    expect(scan(`const fs = require('fs');`)).toEqual(['loads modules outside the import graph']);
    expect(scan(`import type { Db } from '../../storage/db.js';`)).toEqual(['imports src/storage/db.js from outside src/engine (engine code depends on nothing above it)']);
    expect(scan(`import { x } from '../../research/app.js';`, 'src/engine/backtest/a.ts')[0]).toMatch(/src\/research\/app\.js from outside/);
    expect(scan(`import { PACKAGE_ROOT } from '../paths.js';`, 'src/engine/a.ts')[0]).toMatch(/src\/paths\.js from outside/);
  });

  it('allows engine-internal imports, pure packages and the documented allowances only where they apply', () => {
    expect(scan(`import { z } from 'zod'; import { sma } from '../indicators/sma.js'; import type { C } from './c.js';`, 'src/engine/backtest/a.ts')).toEqual([]);
    expect(scan(`import { Worker } from 'node:worker_threads';`, 'src/engine/parallel/pool.ts')).toEqual([]);
    expect(scan(`import { Worker } from 'node:worker_threads';`, 'src/engine/backtest/sim.ts')[0]).toMatch(/node:worker_threads/);
    expect(scan(`import { createHash } from 'node:crypto';`)).toEqual([]);
    expect(scan(`import { randomBytes } from 'node:crypto';`)[0]).toMatch(/takes randomBytes from node:crypto; only createHash is allowed/);
    expect(scan(`import * as c from 'node:crypto';`)[0]).toMatch(/takes the whole module/);
  });

  it('catches the environment, the clock, unseeded randomness and the console, however reached', () => {
    expect(scan(`const home = process.env.HOME;`)).toEqual(['reads the process (environment, argv, cwd, streams)']);
    expect(scan(`const a = process.argv[2];`)).toHaveLength(1);
    expect(scan(`const { env } = process;`)).toHaveLength(1);
    expect(scan(`const e = globalThis.process.env;`)).toEqual(['reaches globals by name, past this guard']);
    expect(scan(`const t = Date.now();`)).toEqual(['reads the clock (pass a clock in from the caller)']);
    expect(scan(`const t = new Date();`)[0]).toMatch(/new Date\(\) without a time/);
    expect(scan(`const t = new Date;`)[0]).toMatch(/new Date\(\) without a time/);
    expect(scan(`const s = Date();`)[0]).toMatch(/current time as text/);
    expect(scan(`const t = performance.now();`)).toEqual(['reads the clock']);
    expect(scan(`const r = Math.random();`)[0]).toMatch(/unseeded random/);
    expect(scan(`console.log('x');`)).toEqual(['writes to the console']);
    expect(scan(`const log = console;`)).toEqual(['writes to the console']);
    expect(scan(`setTimeout(f, 10);`)).toEqual(['schedules by the clock']);
    expect(scan('const s = `${process.env.X}`;')).toHaveLength(1);
  });

  it('reports the line and the offending text', () => {
    expect(scanSource('src/engine/a.ts', `const a = 1;\n\nconst b = Date.now();\n`)).toEqual([
      { line: 3, text: 'Date.now', rule: 'reads the clock (pass a clock in from the caller)' },
    ]);
  });

  it('is not fooled by comments, strings, property names, local names or types', () => {
    const clean = [
      `// process.env.HOME and Date.now() in a comment; import fs from 'node:fs'`,
      `/* console.log(new Date()) */`,
      `const msg = "set process.env.X or call Date.now()";`,
      "const tpl = `console.log is not called here: performance.now()`;",
      `const o = { console: 1, process: 2, performance: 3 }; o.console; o.process;`,
      `class Q { process(): void {} }`,
      `function run({ process: p }: { process: number }): number { return p; }`,
      `const when = new Date(0); const day = Date.UTC(2022, 0, 1); const parsed = Date.parse('2022-01-01');`,
      `type T = typeof performance; let x: Console | undefined;`,
    ].join('\n');
    expect(scan(clean)).toEqual([]);
  });
});
