/**
 * DESIGN.md §2: tools are thin handlers over src/research, the application layer; they do
 * not read or write storage themselves, not even for a type. And a run that is not there is
 * reported by one function (research/runs.ts), so every surface says it the same way.
 */
import { describe, expect, it } from 'vitest';
import { sources } from './sources.js';

const IMPORT_FROM = /\bfrom\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT_FROM)].map((m) => m[1] ?? m[2]);
}

describe('tools go through research', () => {
  it('no module under src/tools imports from src/storage', () => {
    const tools = sources().filter((f) => f.path.startsWith('tools/'));
    expect(tools.length).toBeGreaterThan(20);
    const bad = tools.flatMap((f) => importsOf(f.text).filter((i) => /(^|\/)storage\//.test(i)).map((i) => `${f.path}: ${i}`));
    expect(bad).toEqual([]);
  });

  it('the import check sees static, type-only and dynamic imports', () => {
    const text = "import { a } from '../storage/runs.js';\nimport type { B } from '../../storage/datasets.js';\nconst m = await import('../storage/size.js');\nimport { c } from '../research/runs.js';";
    expect(importsOf(text).filter((i) => /(^|\/)storage\//.test(i))).toEqual(['../storage/runs.js', '../../storage/datasets.js', '../storage/size.js']);
  });

  it('"no run with id" is written in one place', () => {
    const writers = sources().filter((f) => /no run with id/i.test(f.text)).map((f) => f.path);
    expect(writers).toEqual(['research/runs.ts']);
  });
});
