/**
 * Vitest global setup: one throwaway PostgreSQL server (Debian's package, initdb in a temp
 * dir, a free port) for the whole run, instead of one per test file (initdb and start took
 * about 1.4 s each, for some thirty files). Files make their own databases on it
 * (helpers/postgres.ts, helpers/stores.ts). When it cannot start, the reason is handed to
 * the files, whose PostgreSQL tests then fail with it: never skipped.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../src/storage/pg/local-server.js';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  try {
    const server = await startPostgres();
    project.provide('postgres', { port: server.port });
    return () => server.stop();
  } catch (e) {
    project.provide('postgres', { error: e instanceof Error ? e.message : String(e) });
    return undefined;
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: { readonly port: number } | { readonly error: string };
  }
}
