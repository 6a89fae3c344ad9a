#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (the `prepare` script).
//
// The native addon (better-sqlite3) only loads under the Node ABI it was compiled for. When
// another Node starts us (e.g. the MCP Inspector's `npx -p node@22 … npx tradelab serve` on a
// machine whose install used Node 20), we re-run this file under the Node that built it
// (recorded in dist/node-abi.json at install), passing stdio, arguments, environment
// (TRADELAB_HOME included), signals and the exit code through. Without that Node, we stop
// with a message saying exactly what to run.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = dirname(dirname(self));
const cli = join(root, 'dist', 'src', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(`tradelab: ${cli} is missing; run \`npm install\` (or \`npm run build\`) in ${root} first.\n`);
  process.exit(1);
}

/** null when the addon loads here, else the loader's message. */
function addonError() {
  try {
    const Database = createRequire(join(root, 'package.json'))('better-sqlite3');
    new Database(':memory:').close();
    return null;
  } catch (e) {
    const msg = String(e && e.message ? e.message : e);
    return /NODE_MODULE_VERSION|ERR_DLOPEN_FAILED|was compiled against a different Node/.test(msg) || (e && e.code === 'ERR_DLOPEN_FAILED') ? msg : null;
  }
}

function builtBy() {
  try {
    return JSON.parse(readFileSync(join(root, 'dist', 'node-abi.json'), 'utf8'));
  } catch {
    return null;
  }
}

const mismatch = process.env.TRADELAB_REEXEC === '1' ? null : addonError();
if (mismatch === null) {
  await import(pathToFileURL(cli).href);
} else {
  const built = builtBy();
  const other = built && built.execPath && built.execPath !== process.execPath && existsSync(built.execPath) ? built.execPath : null;
  if (other === null) {
    const want = /NODE_MODULE_VERSION (\d+)/.exec(mismatch)?.[1];
    process.stderr.write(
      `tradelab: the native SQLite addon (better-sqlite3) in ${join(root, 'node_modules')} was built for another Node.js` +
        `${want ? ` (NODE_MODULE_VERSION ${want})` : ''}; this is Node ${process.version} (NODE_MODULE_VERSION ${process.versions.modules}).\n` +
        `Either run tradelab with the Node that installed it${built ? ` (${built.version}: ${built.execPath})` : ''}, ` +
        `or rebuild the addon for this Node: (cd ${root} && npm rebuild better-sqlite3).\n`,
    );
    process.exit(1);
  }
  // re-run under the Node that built the addon: same arguments, stdio and environment
  const child = spawn(other, [self, ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, TRADELAB_REEXEC: '1' } });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('error', (e) => {
    process.stderr.write(`tradelab: could not start ${other}: ${e.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[signal] ?? 1) : 1)));
}
