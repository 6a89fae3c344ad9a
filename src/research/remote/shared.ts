/**
 * The shared storage of a server or CLI process (App.shared_storage), opened once on first
 * use and closed with closeShared. Asking for it when none is configured is the caller's
 * error, naming what to set.
 */
import type { App } from '../app.js';
import { UserError } from '../errors.js';
import { openRemote, type RemoteBackend } from './backend.js';

const opened = new WeakMap<App, Promise<RemoteBackend>>();

export function sharedRemote(app: App, field = 'n_workers'): Promise<RemoteBackend> {
  const url = app.shared_storage;
  if (!url) {
    return Promise.reject(
      new UserError('no shared storage is configured for external workers', { field, value: 'external', expected: 'a server (or CLI) started with TRADELAB_DATABASE_URL=postgresql://… (the database the `tradelab worker` processes use)' }),
    );
  }
  let p = opened.get(app);
  if (!p) {
    p = openRemote(url);
    opened.set(app, p);
    p.catch(() => opened.delete(app));
  }
  return p;
}

export async function closeShared(app: App): Promise<void> {
  const p = opened.get(app);
  opened.delete(app);
  if (p) await (await p).close();
}
