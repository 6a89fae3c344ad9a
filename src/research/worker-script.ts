/**
 * Where a worker thread's entry module is, and how to start it. Resolved beside the module
 * that asks (its `import.meta.url`), so it follows the code that is running:
 * - from the built package (dist/…/x.js) it is the compiled `.js` entry, started plainly,
 *   as in production;
 * - from the TypeScript sources (vitest, or `tsx src/cli.ts`) it is the `.ts` entry itself,
 *   started with tsx's loader (a dev dependency), so that tests exercise the code under
 *   test in their worker threads too, never a dist/ compiled earlier.
 * On Node 20 tsx's `--import tsx` entry registers its hooks in the main thread only, so
 * the thread is started with a one-line `--import` that calls tsx's `register()` itself.
 */
import type { WorkerScript } from '../engine/parallel/pool.js';

export interface ResolvedWorkerScript {
  readonly url: URL;
  /** Set when the entry is TypeScript: the parent's options plus tsx's loader. */
  readonly execArgv?: readonly string[];
}

let tsxLoader: string | undefined;

/** A module that registers tsx's ESM hooks (tsx resolved from here, so the working directory does not matter). */
function tsxLoaderUrl(): string {
  if (tsxLoader === undefined) {
    const api = import.meta.resolve('tsx/esm/api');
    tsxLoader = `data:text/javascript,import { register } from ${JSON.stringify(api)}; register();`;
  }
  return tsxLoader;
}

/**
 * The worker entry `entry` (a path without extension, relative to `callerUrl`, e.g.
 * `./engine-worker`), in the form the caller itself runs from.
 */
export function workerScript(callerUrl: string, entry: string): ResolvedWorkerScript & WorkerScript {
  if (!callerUrl.endsWith('.ts')) return { url: new URL(`${entry}.js`, callerUrl) };
  const loader = tsxLoaderUrl();
  const inherited = process.execArgv;
  return { url: new URL(`${entry}.ts`, callerUrl), execArgv: inherited.includes(loader) ? inherited : [...inherited, '--import', loader] };
}
