#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(root, 'dist', 'src', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(`tradelab: ${cli} is missing; run \`npm install\` (or \`npm run build\`) in ${root} first.\n`);
  process.exit(1);
}
await import(pathToFileURL(cli).href);
