/**
 * Real-browser test helpers: launch Debian's Chromium through playwright-core (no browser
 * download), collect console and page errors, and the screenshot directory. Chromium missing is
 * an error, never a skip: these tests are the only check that the charts actually draw.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Launches headless Chromium; throws (with install instructions) when it is not installed. */
export async function launchChromium(executablePath = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium is required for the browser tests but ${executablePath} is missing. ` +
        '.ci/run installs it with `apt-get install -y chromium`; to install it by hand on Debian/Ubuntu run ' +
        '`sudo apt-get update && sudo apt-get install -y chromium` (the binary must end up at /usr/bin/chromium).',
    );
  }
  return chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Console errors and uncaught page errors of a page (and its frames), as readable strings. */
export interface PageErrors {
  readonly console: string[];
  readonly page: string[];
  /** Both lists, for a single `toEqual([])`. */
  all(): string[];
}

export function collectErrors(page: Page): PageErrors {
  const errors = { console: [] as string[], page: [] as string[] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.console.push(`${msg.text()} @ ${msg.location().url || '?'}`);
  });
  page.on('pageerror', (err) => errors.page.push(err.stack ?? err.message));
  return { ...errors, all: () => [...errors.console, ...errors.page] };
}

/** `test-output/screenshots` under the repository root (created). */
export function screenshotDir(): string {
  const dir = join(REPO_ROOT, 'test-output', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
