/**
 * DESIGN.md §2: SQL lives in src/storage. Outside it no source prepares or runs a statement,
 * sets a pragma, opens its own transaction, imports better-sqlite3 or writes SQL text; the
 * layers above call named storage functions. Regular expressions (`/…/.exec(s)`), the
 * strategy-language lexer and methods that happen to be called `prepare` are not database
 * access and must not be flagged: the checks look for a string argument, a handle named `db`,
 * or an SQL statement at the start of a string literal.
 */
import { describe, expect, it } from 'vitest';
import { sources } from './sources.js';

/** What counts as database access, each with a name for the failure message. */
export const DB_ACCESS: readonly { readonly what: string; readonly re: RegExp }[] = [
  // any handle: prepare('…'), prepare(`…`), prepare("…"), prepare<T>(sql) on a db
  { what: 'a statement prepared from SQL text', re: /\.prepare(?:<[^>()]*>)?\(\s*['"`]/ },
  // a db handle (db, app.db, this.db, ctx.app.db): running SQL or changing connection state
  { what: 'a method of the database handle that runs SQL', re: /\bdb\s*\.\s*(?:prepare|exec|pragma|transaction|backup|serialize|function|aggregate|table|loadExtension)\s*[(<]/ },
  { what: 'the SQLite driver itself', re: /from\s+['"]better-sqlite3['"]|require\(\s*['"]better-sqlite3['"]\s*\)/ },
  // an SQL statement at the start of a string or template literal (SQL keywords are written upper case in this project)
  {
    what: 'SQL text',
    re: /['"`]\s*(?:SELECT\s+(?:\*|[\w.()]+[\s,])|INSERT\s+(?:OR\s+\w+\s+)?INTO\s|UPDATE\s+\w+\s+SET\s|DELETE\s+FROM\s|CREATE\s+(?:TABLE|(?:UNIQUE\s+)?INDEX|TRIGGER|VIEW)\s|DROP\s+(?:TABLE|INDEX|TRIGGER|VIEW)\s|ALTER\s+TABLE\s|PRAGMA\s+\w|WITH\s+(?:RECURSIVE\s+)?\w+(?:\([^)]*\))?\s+AS\s*\(|BEGIN(?:\s+(?:IMMEDIATE|EXCLUSIVE|DEFERRED))?\s*['"`;]|COMMIT\s*['"`;])/,
  },
];

/** Each match as `line: what: text of that line`; the whole text is searched, so SQL that starts on the line after its opening backtick counts too. */
function offences(text: string): string[] {
  const found: string[] = [];
  for (const { what, re } of DB_ACCESS) {
    for (const m of text.matchAll(new RegExp(re.source, 'g'))) {
      const line = text.slice(0, m.index).split('\n').length;
      found.push(`${line}: ${what}: ${text.split('\n')[line - 1].trim().slice(0, 120)}`);
    }
  }
  return found;
}

describe('SQL only in src/storage', () => {
  it('no source outside src/storage accesses the database but through storage functions', () => {
    const files = sources().filter((f) => !f.path.startsWith('storage/'));
    expect(files.length).toBeGreaterThan(100);
    const bad = files.flatMap((f) => offences(f.text).map((o) => `${f.path}:${o}`));
    expect(bad).toEqual([]);
  });

  it('sees the SQL of the storage modules (the checks are not blind to the project\'s way of writing it)', () => {
    const storage = sources().filter((f) => f.path.startsWith('storage/'));
    const flagged = storage.filter((f) => offences(f.text).some((o) => o.includes('SQL text')));
    // every storage module that runs SQL writes it as a string at the start of a literal
    const withSql = storage.filter((f) => f.text.includes('statement(') || f.text.includes('.exec('));
    expect(withSql.length).toBeGreaterThan(20);
    expect(withSql.filter((f) => !flagged.includes(f)).map((f) => f.path)).toEqual([]);
  });

  it('flags the forms of database access that used to sit outside storage', () => {
    const flagged = [
      "app.db.prepare('UPDATE runs SET summary = ? WHERE id = ?').run(s, id);",
      'const rows = app.db.prepare(`SELECT run_id, metrics FROM run_results WHERE run_id IN (${q})`).all(...ids);',
      "const study = db.prepare('SELECT study_id FROM studies WHERE study_name = ?').get(name);",
      "db.pragma('wal_autocheckpoint = 0');",
      "app.db.pragma('wal_checkpoint(PASSIVE)');",
      'db.exec(`CREATE TABLE t (a INTEGER) STRICT`);',
      'const tx = this.db.transaction(() => undefined);',
      "import Database from 'better-sqlite3';",
      'const sql = `WITH RECURSIVE t(id) AS (SELECT 1)`;',
      'const sql = `\n  SELECT a, b\n    FROM t`;',
      "const q = 'DELETE FROM runs WHERE id = ?';",
      'const q = "INSERT INTO runs (id) VALUES (?)";',
    ];
    for (const line of flagged) expect(offences(line), line).not.toEqual([]);
  });

  it('does not flag regular expressions, the lexer, other prepare methods or prose', () => {
    const clean = [
      'const m = /^(\\d+)\\s*(min|h|d)$/.exec(s);',
      'const m = re.exec(src);',
      'const m = NUMBER.exec(text.slice(i, i + 40)) ?? LITERAL.exec(text.slice(i, i + 5));',
      'this.prepare(points, n);',
      'private prepare(points: readonly Float64Array[], n: number): void {',
      "throw new UserError('select a dataset first', { field: 'dataset_id' });",
      "const text = 'Select the best trial; update the champion with champion_promote.';",
      "out('  DELETE a run with delete_run');",
      'app.db.close();',
      'if (app.db.memory) return null;',
    ];
    for (const line of clean) expect(offences(line), line).toEqual([]);
  });
});
