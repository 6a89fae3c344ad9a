/**
 * YAML or JSON text → a document object (JSON is read as YAML 1.2, of which it is a subset),
 * with the position of every value kept so that errors can name the document line. Only the
 * core schema is used: no custom tags, so nothing in a document can construct code or objects.
 * Duplicate keys and syntax errors come back as LangErrors with their line and column.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { LangError } from './errors.js';

/** Where a value starts in the text, and whether its expression text starts exactly there. */
export interface ValuePos {
  readonly line: number;
  readonly column: number;
  /** Column offset from the value's start to its first character (1 for a quoted scalar); null when the value is not on one line. */
  readonly shift: number | null;
}

const positions = new WeakMap<object, ReadonlyMap<string, ValuePos>>();

/** The positions recorded for a document parsed by parseStrategyText (by dotted path). */
export function positionsOf(doc: unknown): ReadonlyMap<string, ValuePos> | undefined {
  return typeof doc === 'object' && doc !== null ? positions.get(doc) : undefined;
}

export const MAX_TEXT_CHARS = 200_000;

export function parseStrategyText(text: string): { ok: true; doc: unknown } | { ok: false; errors: LangError[] } {
  if (text.length > MAX_TEXT_CHARS) {
    return { ok: false, errors: [{ path: '', line: 0, column: 0, token: null, message: `a strategy document has at most ${MAX_TEXT_CHARS} characters, got ${text.length}` }] };
  }
  const lc = new LineCounter();
  const d = parseDocument(text, { lineCounter: lc, prettyErrors: false, schema: 'core', customTags: [], merge: false, uniqueKeys: true });
  const problems = [...d.errors, ...d.warnings];
  if (problems.length > 0) {
    return {
      ok: false,
      errors: problems.map((e) => {
        const at = e.linePos?.[0] ?? lc.linePos(e.pos[0]);
        const token = text.slice(e.pos[0], Math.max(e.pos[0] + 1, Math.min(e.pos[1], e.pos[0] + 40))).split('\n')[0] || null;
        return { path: '', line: 0, column: 0, token, message: `${e.code === 'DUPLICATE_KEY' ? 'a key appears twice' : 'the text is not valid YAML or JSON'}: ${e.message.split('\n')[0]}`, doc_line: at.line, doc_column: at.col };
      }),
    };
  }
  const doc: unknown = d.toJS({ maxAliasCount: 50 });
  if (typeof doc === 'object' && doc !== null) {
    const map = new Map<string, ValuePos>();
    record(d.contents, '', map, lc, text);
    positions.set(doc, map);
  }
  return { ok: true, doc };
}

function record(n: unknown, path: string, out: Map<string, ValuePos>, lc: LineCounter, text: string): void {
  if (!n || typeof n !== 'object') return;
  const node = n as YamlNode;
  if (node.range) {
    const at = lc.linePos(node.range[0]);
    let shift: number | null = null;
    if (isScalar(node)) {
      const raw = text.slice(node.range[0], node.range[1]);
      const oneLine = !raw.includes('\n');
      if (oneLine && node.type === 'PLAIN') shift = 0;
      else if (oneLine && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE')) shift = 1;
    }
    out.set(path, { line: at.line, column: at.col, shift });
  }
  const join = (k: string) => (path === '' ? k : `${path}.${k}`);
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      record(pair.value, join(key), out, lc, text);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => record(item, join(String(i)), out, lc, text));
  }
}

/** Adds the document line and column to errors whose path has a recorded position. */
export function withDocPositions(errors: readonly LangError[], doc: unknown): LangError[] {
  const pos = positionsOf(doc);
  if (!pos) return [...errors];
  return errors.map((e) => {
    let p = pos.get(e.path);
    let path = e.path;
    while (!p && path.includes('.')) {
      path = path.slice(0, path.lastIndexOf('.'));
      p = pos.get(path);
    }
    if (!p) return e;
    if (e.line > 0 && p.shift !== null && path === e.path) {
      return { ...e, doc_line: p.line + e.line - 1, doc_column: e.line === 1 ? p.column + p.shift + e.column - 1 : e.column };
    }
    return { ...e, doc_line: p.line, doc_column: p.column };
  });
}
