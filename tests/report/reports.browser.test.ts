/**
 * Reports of real runs — backtest (with the deep analysis), optimize (pruned, two objectives),
 * walk-forward, batch and a champion — built from the store, written as files and opened in
 * Chromium from file:// with the network off; then the dashboard over HTTP. For each page: no
 * console or page errors, no request leaves the page, every chart draws a non-empty SVG, and a
 * screenshot is written to test-output/screenshots.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import type { App } from '../../src/research/app.js';
import { reportHtml } from '../../src/report/html.js';
import { buildReport } from '../../src/report/model/index.js';
import { startHttpServer, type HttpHandle } from '../../src/server/http.js';
import { resolveHttpMode } from '../../src/server/modes.js';
import { appendChampionVersion } from '../../src/storage/champions.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { collectErrors, launchChromium, screenshotDir } from '../helpers/browser.js';
import { dataOf, harness, type Harness } from '../helpers/mcp.js';

let browser: Browser;
let h: Harness;
let app: App;
let http: HttpHandle;
const ids: Record<string, string> = {};
const dir = mkdtempSync(join(tmpdir(), 'tradelab-reports-'));

beforeAll(async () => {
  browser = await launchChromium();
  h = await harness();
  app = h.app;
  for (const [symbol, seed] of [['RA', 3], ['RB', 8]] as const) {
    insertDataset(app.db, { candles: generateSynthetic({ symbol, timeframe: '1h', bars: 4000, seed, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
  }
  const run = async (tool: string, args: Record<string, unknown>) => dataOf<{ run_id: string }>(await h.call(tool, args)).run_id;
  ids.backtest = await run('backtest', { strategy: 'sma_cross', symbol: 'RA', timeframe: '1h', params: { fast: 10, slow: 40, direction: 'long_short' }, execution: { commission: 0.0005 } });
  ids.optimize = await run('optimize', { strategy: 'sma_cross', symbol: 'RA', timeframe: '1h', n_trials: 30, seed: 2, objectives: ['sharpe', 'max_drawdown_pct'] });
  ids.pruned = await run('optimize', { strategy: 'sma_cross', symbol: 'RA', timeframe: '1h', n_trials: 30, seed: 3, pruner: 'median' });
  ids.walk_forward = await run('walk_forward', { strategy: 'sma_cross', symbol: 'RA', timeframe: '1h', is: '45d', oos: '15d', n_trials: 6, seed: 1 });
  ids.batch = await run('backtest_batch', { strategy: 'sma_cross', symbols: ['RA', 'RB'], timeframes: ['1h'], param_sets: [{ fast: 5, slow: 20 }, { fast: 10, slow: 40 }, { fast: 20, slow: 80 }] });
  for (let i = 0; i < 100 && dataOf<{ status: string }>(await h.call('get_run', { run_id: ids.batch })).status !== 'succeeded'; i++) await new Promise((r) => setTimeout(r, 50));
  for (const [v, reason] of [[1, 'first'], [2, 'better walk-forward']] as const) {
    appendChampionVersion(app.db, {
      strategy: 'sma_cross', symbol: 'RA', timeframe: '1h', params: { fast: 10 * v, slow: 40 }, metrics: { sharpe: v }, source_run_id: ids.backtest, source_trial: null,
      evidence: {}, dataset_hash: 'x', engine_version: 'test', promoted_at: Date.UTC(2024, 5, v), promoted_by: 'test', reason, rollback_of: null,
    }, v === 1 ? null : v - 1);
  }
  http = await startHttpServer({ app, jobs: h.jobs, mode: resolveHttpMode({ port: 0 }), log: () => undefined });
}, 120_000);
afterAll(async () => {
  await http?.close();
  await browser?.close();
  await h?.close();
});

async function offline(): Promise<{ context: BrowserContext; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, timezoneId: 'UTC' });
  await context.setOffline(true);
  const requests: string[] = [];
  await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : (requests.push(route.request().url()), route.abort())));
  return { context, requests };
}

/** Every chart section drew an SVG with marks and a real size; returns the ids. */
async function drawn(page: Page): Promise<string[]> {
  await page.waitForSelector('body[data-charts="done"]', { timeout: 30_000 });
  const sections = await page.$$eval('section[data-chart-id]', (els) =>
    els.map((s) => {
      const svg = s.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return { id: s.getAttribute('data-chart-id') ?? '', state: s.getAttribute('data-chart-state'), marks: svg ? svg.querySelectorAll('g[class*="mark-"] path, g[class*="mark-"] rect, g[class*="mark-"] line').length : 0, w: box?.width ?? 0, h: box?.height ?? 0 };
    }),
  );
  for (const s of sections) {
    expect(s.state, s.id).toBe('ok');
    expect(s.marks, s.id).toBeGreaterThan(0);
    expect(s.w, s.id).toBeGreaterThan(100);
    expect(s.h, s.id).toBeGreaterThan(50);
  }
  return sections.map((s) => s.id);
}

const CASES: [string, () => string, boolean, string[]][] = [
  ['backtest', () => ids.backtest, true, ['price', 'equity', 'drawdown', 'exposure', 'mc_fan', 'drawdown_dist', 'monthly', 'cost_sensitivity', 'significance']],
  ['optimize', () => ids.optimize, false, ['history', 'importance', 'parallel', 'contour', 'slice', 'pareto']],
  ['optimize-pruned', () => ids.pruned, false, ['history', 'intermediate']],
  ['walk-forward', () => ids.walk_forward, false, ['oos_equity', 'is_vs_oos', 'param_drift']],
  ['batch', () => ids.batch, false, ['heatmap']],
  ['champion', () => 'champion:sma_cross/RA/1h', false, ['timeline']],
];

describe('reports of real runs, from file:// with the network off', () => {
  for (const [name, id, deep, expected] of CASES) {
    it(`${name}: every chart draws, no errors, no requests`, async () => {
      const file = join(dir, `${name}.html`);
      writeFileSync(file, reportHtml(buildReport(app, id(), { deep })));
      const { context, requests } = await offline();
      try {
        const page = await context.newPage();
        const errors = collectErrors(page);
        await page.goto(pathToFileURL(file).href);
        const got = await drawn(page);
        expect(got).toEqual(expect.arrayContaining(expected));
        expect(errors.all()).toEqual([]);
        expect(requests).toEqual([]);
        await page.screenshot({ path: join(screenshotDir(), `report-${name}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    }, 60_000);
  }
});

describe('the dashboard in Chromium', () => {
  it('the index links to runs, a run page draws its charts, a study page its study', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, timezoneId: 'UTC' });
    try {
      const page = await context.newPage();
      const errors = collectErrors(page);
      const base = http.url.replace(/\/mcp$/, '');
      await page.goto(`${base}/`);
      expect(await page.locator(`a[href="/runs/${ids.walk_forward}"]`).count()).toBe(1);
      await page.screenshot({ path: join(screenshotDir(), 'dashboard-index.png'), fullPage: true });
      await page.click(`a[href="/runs/${ids.walk_forward}"]`);
      expect(await drawn(page)).toEqual(expect.arrayContaining(['oos_equity', 'is_vs_oos']));
      await page.screenshot({ path: join(screenshotDir(), 'dashboard-walk-forward.png'), fullPage: true });
      await page.goto(`${base}/`);
      await page.locator('a[href^="/studies/"]').first().click();
      expect(await drawn(page)).toContain('history');
      expect(errors.all()).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
