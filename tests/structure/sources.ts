/** Every TypeScript source under src/, by its path relative to src/ (always with `/`), with its text. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = join(fileURLToPath(import.meta.url), '../../../src');

export function sources(dir = SRC): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return p.endsWith('.ts') ? [{ path: relative(SRC, p).split(sep).join('/'), text: readFileSync(p, 'utf8') }] : [];
  });
}
