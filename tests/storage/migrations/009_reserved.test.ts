import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src/storage/db.js';
import { MIGRATIONS } from '../../../src/storage/migrations/index.js';

describe('migration 009 (reserved for the limits branch)', () => {
  it('bumps the version and changes nothing else', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 8);
    const schema = (): unknown => db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
    const before = schema();
    migrate(db, MIGRATIONS, 9);
    expect(schemaVersion(db)).toBe(9);
    expect(schema()).toEqual(before);
  });
});
