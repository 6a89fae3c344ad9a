/**
 * File names as MCP results show them: relative to the project root (or the store) when the
 * file is inside it, else its base name — never a machine path. Paths are stored as they are
 * (the CLI is local and trusted and shows them in full); an MCP client, possibly a remote
 * read-only one, sees `csv:data/eurusd_1h.csv` or `csv:eurusd_1h.csv`, not
 * `csv:/home/operator/…`.
 */
import { basename, dirname, isAbsolute, relative, sep, win32 } from 'node:path';
import type { App } from './app.js';

export type PathBases = Pick<App, 'root' | 'home'>;

function isAbsoluteAnywhere(p: string): boolean {
  return isAbsolute(p) || win32.isAbsolute(p);
}

/** `p` relative to the first base that holds it (never a filesystem root), else its base name. */
export function publicPath(bases: PathBases, p: string): string {
  if (!isAbsoluteAnywhere(p)) return p.split(/[\\/]/).includes('..') ? basename(p) : p;
  for (const base of [bases.root, bases.home]) {
    if (!base || dirname(base) === base) continue;
    const rel = relative(base, p);
    if (rel !== '' && !rel.startsWith('..') && !isAbsoluteAnywhere(rel)) return rel.split(sep).join('/');
  }
  return win32.basename(basename(p)) || '(a file)';
}

/**
 * Absolute paths inside free text (an error message, a provenance note): a `/` or `X:\` that
 * starts a word, or follows a quote, bracket, `=` or a `scheme:` (but not `scheme://`).
 */
const ABSOLUTE_IN_TEXT = /(^|[\s'"`(=[<]|[A-Za-z]+:)((?:\/(?!\/)|[A-Za-z]:\\)[^\s'"`()[\]<>,;]+)/g;

export function redactPaths(bases: PathBases, text: string): string {
  return text.replace(ABSOLUTE_IN_TEXT, (_m, lead: string, path: string) => lead + publicPath(bases, path));
}

/** A dataset's `source` as MCP results show it (`csv:<path>` keeps its whole path, spaces included). */
export function publicSource(bases: PathBases, source: string): string {
  const m = /^csv:(.+)$/s.exec(source);
  if (m && isAbsoluteAnywhere(m[1])) return `csv:${publicPath(bases, m[1])}`;
  return redactPaths(bases, source);
}
