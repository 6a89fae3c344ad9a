/**
 * The study store of an App: its SQLite file's, or, when the App's store is PostgreSQL, the
 * shared database's (the asynchronous pool that workers use too: the same rows either way).
 */
import type { StudyStore } from '../engine/optimizer/store.js';
import { isPostgres } from '../storage/db.js';
import { SqliteStudyStore } from '../storage/study-store.js';
import type { App } from './app.js';
import { sharedRemote } from './remote/shared.js';

export async function appStudyStore(app: App): Promise<StudyStore> {
  if (!isPostgres(app.db)) return new SqliteStudyStore(app.db);
  return (await sharedRemote(app, 'storage')).store;
}
