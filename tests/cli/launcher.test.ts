/**
 * bin/tradelab.js when the native SQLite addon was built for another Node (the MCP Inspector
 * starts `tradelab serve` under Node 22 on a Node 20 install): it re-runs itself under the Node
 * that built the addon (recorded at install in dist/node-abi.json) with the same arguments,
 * environment and exit code; without that Node it says exactly what to run. A copy of the
 * launcher runs against a fake addon that fails as a wrong-ABI addon does.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared-data.js';

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'tradelab-launcher-'));
  mkdirSync(join(root, 'bin'));
  mkdirSync(join(root, 'dist', 'src'), { recursive: true });
  mkdirSync(join(root, 'node_modules', 'better-sqlite3'), { recursive: true });
  copyFileSync(join(REPO_ROOT, 'bin', 'tradelab.js'), join(root, 'bin', 'tradelab.js'));
  writeFileSync(join(root, 'package.json'), '{"name":"fake","type":"module"}');
  // fails like an addon built for another ABI, unless the re-run marker is set
  writeFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), '{"name":"better-sqlite3","main":"index.cjs"}');
  writeFileSync(
    join(root, 'node_modules', 'better-sqlite3', 'index.cjs'),
    "const e = new Error('The module better_sqlite3.node was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 999.'); e.code = 'ERR_DLOPEN_FAILED'; throw e;\n",
  );
  writeFileSync(join(root, 'dist', 'src', 'cli.js'), "process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), home: process.env.TRADELAB_HOME ?? null }) + '\\n'); process.exitCode = 7;\n");
  // "the Node that built the addon": a wrapper around this Node, so the re-run is visible
  const other = join(root, 'node-that-built-it');
  writeFileSync(other, `#!/bin/sh\necho "re-run by the installing Node" >&2\nexec "${process.execPath}" "$@"\n`);
  chmodSync(other, 0o755);
  writeFileSync(join(root, 'dist', 'node-abi.json'), JSON.stringify({ execPath: other, version: 'v20.20.2', modules: '115' }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (env: Record<string, string> = {}) => spawnSync(process.execPath, [join(root, 'bin', 'tradelab.js'), 'serve', '--x'], { encoding: 'utf8', env: { ...process.env, TRADELAB_REEXEC: '', ...env } });

describe('bin/tradelab.js and the native addon’s Node', () => {
  it('re-runs under the Node that built the addon: same arguments, TRADELAB_HOME and exit code', () => {
    const r = run({ TRADELAB_HOME: '/some/store' });
    expect(r.stderr).toContain('re-run by the installing Node');
    expect(JSON.parse(r.stdout)).toEqual({ argv: ['serve', '--x'], home: '/some/store' });
    expect(r.status).toBe(7);
  });

  it('without that Node: exit 1 and exactly what to run', () => {
    const abi = join(root, 'dist', 'node-abi.json');
    const saved = readFileSync(abi, 'utf8');
    rmSync(abi);
    try {
      const r = run();
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/built for another Node\.js \(NODE_MODULE_VERSION 115\); this is Node v\d+/);
      expect(r.stderr).toContain(`(cd ${root} && npm rebuild better-sqlite3)`);
    } finally {
      writeFileSync(abi, saved);
    }
  });

  it('the real install records the Node that built it', () => {
    const abi = JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'node-abi.json'), 'utf8')) as { modules: string; execPath: string };
    expect(abi.modules).toBe(process.versions.modules);
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'tradelab.js'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
  });
});
