// Run by `npm install` (the prepare script) after the build: records which Node built the
// native addon (better-sqlite3 is compiled by the same npm run), so bin/tradelab.js can re-run
// itself under that Node when started by another one (e.g. Node 22 from `npx -p node@22`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(join(root, 'dist', 'node-abi.json'), `${JSON.stringify({ execPath: process.execPath, version: process.version, modules: process.versions.modules })}\n`);
