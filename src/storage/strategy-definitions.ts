/**
 * Repository of strategy-language definitions: append-only versions per name, each with the
 * hash of its canonical document (the compiler's), the canonical JSON and the text as given.
 */
import { statement, writeTransaction, type Db } from './db.js';

export interface DefinitionRow {
  readonly id: number;
  readonly name: string;
  readonly version: number;
  readonly hash: string;
  /** Canonical document (JSON text). */
  readonly document: string;
  /** The YAML or JSON text as given, when it came as text. */
  readonly source: string | null;
  readonly created_at: number;
  readonly created_by: string | null;
}

export interface NewDefinition {
  readonly name: string;
  readonly hash: string;
  readonly document: string;
  readonly source?: string | null;
  readonly now: number;
  readonly by?: string | null;
}

/** Stores a definition: the same document under the same name again is the existing version. */
export function insertDefinition(db: Db, d: NewDefinition): { readonly row: DefinitionRow; readonly created: boolean } {
  return writeTransaction(db, () => {
    const same = statement(db, 'SELECT * FROM strategy_definitions WHERE name = ? AND hash = ?').get(d.name, d.hash) as DefinitionRow | undefined;
    if (same) return { row: same, created: false };
    const { v } = statement(db, 'SELECT COALESCE(MAX(version), 0) + 1 AS v FROM strategy_definitions WHERE name = ?').get(d.name) as { v: number };
    const row = statement(db, 'INSERT INTO strategy_definitions (name, version, hash, document, source, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *')
      .get(d.name, v, d.hash, d.document, d.source ?? null, d.now, d.by ?? null) as DefinitionRow;
    return { row, created: true };
  });
}

/** The newest version of `name` (or a given version). */
export function getDefinition(db: Db, name: string, version?: number): DefinitionRow | undefined {
  return (
    version === undefined
      ? statement(db, 'SELECT * FROM strategy_definitions WHERE name = ? ORDER BY version DESC LIMIT 1').get(name)
      : statement(db, 'SELECT * FROM strategy_definitions WHERE name = ? AND version = ?').get(name, version)
  ) as DefinitionRow | undefined;
}

export function definitionByHash(db: Db, hash: string): DefinitionRow | undefined {
  return statement(db, 'SELECT * FROM strategy_definitions WHERE hash = ? ORDER BY id LIMIT 1').get(hash) as DefinitionRow | undefined;
}

/** The newest version of every stored name, by name. */
export function latestDefinitions(db: Db): DefinitionRow[] {
  return statement(db, 'SELECT d.* FROM strategy_definitions d JOIN (SELECT name, MAX(version) AS v FROM strategy_definitions GROUP BY name) m ON m.name = d.name AND m.v = d.version ORDER BY d.name')
    .all() as DefinitionRow[];
}

export function definitionVersions(db: Db, name: string): DefinitionRow[] {
  return statement(db, 'SELECT * FROM strategy_definitions WHERE name = ? ORDER BY version').all(name) as DefinitionRow[];
}
