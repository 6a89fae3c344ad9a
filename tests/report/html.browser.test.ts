/**
 * The standalone HTML report in a real browser (Debian's Chromium, network off): every chart of a
 * hand-built model (line of 2,000 points, bars, heatmap, layered line + points) draws as non-empty
 * SVG, with no console or page errors, no network request, and all user text escaped.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { browserAssets, esmToGlobal, inlineScript } from '../../src/report/assets.js';
import { escapeHtml, pageShell, reportHtml } from '../../src/report/html.js';
import type { ChartSpec, ReportModel } from '../../src/report/types.js';
import { collectErrors, launchChromium, screenshotDir } from '../helpers/browser.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

/** Deterministic equity curve: a seeded random walk. */
function equity(n: number): { time: number; equity: number }[] {
  let seed = 42;
  let value = 10_000;
  const out: { time: number; equity: number }[] = [];
  for (let i = 0; i < n; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    value *= 1 + (seed / 2_147_483_648 - 0.49) * 0.01;
    out.push({ time: T0 + i * HOUR, equity: Math.round(value * 100) / 100 });
  }
  return out;
}

const curve = equity(2_000);

const charts: ChartSpec[] = [
  {
    id: 'equity',
    title: 'Equity',
    caption: '2,000 of 2,000 bars, no reduction',
    spec: {
      $schema: SCHEMA,
      width: 'container',
      height: 220,
      data: { values: curve },
      mark: { type: 'line', strokeWidth: 1.2 },
      encoding: {
        x: { field: 'time', type: 'temporal', title: null },
        y: { field: 'equity', type: 'quantitative', scale: { zero: false }, title: 'Equity' },
      },
    },
  },
  {
    id: 'monthly',
    title: 'Monthly returns',
    caption: '12 months, percent',
    spec: {
      $schema: SCHEMA,
      width: 'container',
      height: 160,
      data: { values: Array.from({ length: 12 }, (_, m) => ({ month: `2024-${String(m + 1).padStart(2, '0')}`, return_pct: Math.sin(m) * 4 })) },
      mark: 'bar',
      encoding: {
        x: { field: 'month', type: 'ordinal', title: null },
        y: { field: 'return_pct', type: 'quantitative', title: 'Return %' },
        color: { condition: { test: 'datum.return_pct < 0', value: '#cf222e' }, value: '#1a7f37' },
        tooltip: [{ field: 'month' }, { field: 'return_pct', format: '.2f' }],
      },
    },
  },
  {
    id: 'heatmap',
    title: 'Sharpe by fast × slow',
    caption: '6 × 5 parameter grid, one optimize trial per cell',
    spec: {
      $schema: SCHEMA,
      data: { values: [5, 10, 15, 20, 25, 30].flatMap((fast) => [50, 100, 150, 200, 250].map((slow) => ({ fast, slow, sharpe: Math.cos(fast / 9) + slow / 300 }))) },
      mark: 'rect',
      encoding: {
        x: { field: 'fast', type: 'ordinal' },
        y: { field: 'slow', type: 'ordinal' },
        color: { field: 'sharpe', type: 'quantitative', scale: { scheme: 'viridis' } },
      },
    },
  },
  {
    id: 'trades',
    // an axis title that tries to close the JSON script tag (the spec's own title is dropped:
    // the section heading shows the chart title)
    title: 'Price & trades',
    caption: 'close with entry markers',
    spec: {
      $schema: SCHEMA,
      title: 'dropped in HTML',
      width: 'container',
      height: 200,
      layer: [
        { data: { values: curve.slice(0, 300) }, mark: 'line', encoding: { x: { field: 'time', type: 'temporal' }, y: { field: 'equity', type: 'quantitative', scale: { zero: false }, title: '</script><script>window.__pwned = 2</script>' } } },
        {
          data: { values: curve.slice(0, 300).filter((_, i) => i % 37 === 0).map((p, i) => ({ ...p, side: i % 2 ? 'short' : 'long' })) },
          mark: { type: 'point', filled: true, size: 60 },
          encoding: { x: { field: 'time', type: 'temporal' }, y: { field: 'equity', type: 'quantitative' }, color: { field: 'side', type: 'nominal' }, shape: { field: 'side', type: 'nominal' } },
        },
      ],
    },
  },
];

const XSS = '<script>window.__pwned = 1</script> & "quoted"';

const model: ReportModel = {
  kind: 'backtest',
  id: 'bt_20240101_abc',
  title: 'Backtest <SMA cross> BTCUSDT 1h',
  subtitle: '2024-01-01 → 2024-03-24 · 2,000 bars',
  status: 'completed',
  metrics: [
    { label: 'Total return %', value: 12345.678 },
    { label: 'Sharpe', value: 0.01234 },
    { label: 'Trades', value: 42 },
    { label: 'Profit factor', value: null },
    { label: 'Avg hold', value: '2.1 days' },
  ],
  warnings: ['Few trades: 42 < 50', XSS],
  charts,
};

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A context with the network off: offline, and every non-file request aborted and recorded. */
async function offlineContext(): Promise<{ context: BrowserContext; requests: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, timezoneId: 'UTC', locale: 'en-US' });
  await context.setOffline(true);
  const requests: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  return { context, requests };
}

describe('reportHtml in Chromium', () => {
  test('draws every chart offline, escapes user text, makes no request', async () => {
    const html = reportHtml(model);
    const file = join(mkdtempSync(join(tmpdir(), 'tradelab-report-')), 'report.html');
    writeFileSync(file, html);

    // outside the inlined scripts there is no URL and no external reference at all
    const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
    expect(markup).not.toMatch(/https?:\/\/|\bsrc=|<link\b|@import|url\(/i);
    expect(html).not.toContain('<script>window.__pwned');

    const { context, requests } = await offlineContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-charts="done"]', { timeout: 15_000 });

    const sections = await page.$$eval('section[data-chart-id]', (els) =>
      els.map((s) => {
        const svg = s.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        const path = s.querySelector('g.mark-line path')?.getAttribute('d') ?? '';
        return {
          id: s.getAttribute('data-chart-id'),
          state: s.getAttribute('data-chart-state'),
          marks: svg ? svg.querySelectorAll('g[class*="mark-"] > path, g[class*="mark-"] > rect, g[class*="mark-"] > g').length : 0,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
          lineSegments: (path.match(/L/g) ?? []).length,
        };
      }),
    );
    expect(sections.map((s) => s.id)).toEqual(['equity', 'monthly', 'heatmap', 'trades']);
    for (const s of sections) {
      expect(s.state, s.id ?? '').toBe('ok');
      expect(s.marks, s.id ?? '').toBeGreaterThan(0);
      expect(s.width, s.id ?? '').toBeGreaterThan(50);
      expect(s.height, s.id ?? '').toBeGreaterThan(50);
    }
    // the line really carries the 2,000 points
    expect(sections[0].lineSegments).toBeGreaterThanOrEqual(1_999);
    expect(await page.locator('section[data-chart-id="monthly"] g.mark-rect.role-mark path').count()).toBe(12);
    expect(await page.locator('section[data-chart-id="heatmap"] g.mark-rect.role-mark path').count()).toBe(30);
    expect(await page.locator('section[data-chart-id="trades"] g.mark-symbol.role-mark path').count()).toBe(9);

    // header, metrics, warnings: present and escaped
    expect(await page.locator('h1').textContent()).toBe(model.title);
    expect(await page.locator('.status').textContent()).toBe('completed');
    const rows = await page.$$eval('table.metrics tr', (trs) => trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]));
    expect(rows).toEqual([
      ['Total return %', '12,345.68'],
      ['Sharpe', '0.0123'],
      ['Trades', '42'],
      ['Profit factor', 'n/a'],
      ['Avg hold', '2.1 days'],
    ]);
    expect(await page.locator('ul.warnings li').allTextContents()).toEqual(['Few trades: 42 < 50', XSS]);
    expect(await page.locator('ul.warnings script').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('section[data-chart-id="trades"] svg .role-axis-title text').allTextContents()).toContain('</script><script>window.__pwned = 2</script>');
    expect(await page.locator('section[data-chart-id="trades"] svg .role-title-text').count()).toBe(0);
    expect(await page.locator('section[data-chart-id="trades"] h2').textContent()).toBe('Price & trades');

    const shot = join(screenshotDir(), 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20_000);

    expect(errors.all()).toEqual([]);
    expect(requests).toEqual([]);
    await context.close();
  });

  test('refreshSeconds adds a meta refresh, links are escaped', async () => {
    expect(reportHtml(model)).not.toContain('http-equiv="refresh"');
    const html = reportHtml({ ...model, charts: [] }, { refreshSeconds: 5, links: [{ label: 'Runs <all>', href: '/runs?x=1&y=2' }, { label: 'bad', href: 'javascript:alert(1)' }] });
    expect(html).toContain('<meta http-equiv="refresh" content="5">');
    expect(html).toContain('<a href="/runs?x=1&amp;y=2">Runs &lt;all&gt;</a>');
    expect(html).not.toContain('javascript:alert');

    // the browser honours it: the page reloads by itself
    const file = join(mkdtempSync(join(tmpdir(), 'tradelab-report-')), 'refresh.html');
    writeFileSync(file, reportHtml({ ...model, charts: [] }, { refreshSeconds: 1 }));
    const { context } = await offlineContext();
    const page = await context.newPage();
    const errors = collectErrors(page);
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(pathToFileURL(file).href);
    await expect.poll(() => loads, { timeout: 8_000 }).toBeGreaterThanOrEqual(2);
    expect(await page.locator('p.empty').textContent()).toBe('No charts for this report.');
    expect(errors.all()).toEqual([]);
    await context.close();
  });

  test('pageShell: same styles, no scripts, escaped title', () => {
    const html = pageShell('Runs <&>', '<p>list</p>', { refreshSeconds: 3 });
    expect(html).toContain('<title>Runs &lt;&amp;&gt;</title>');
    expect(html).toContain('<p>list</p>');
    expect(html).toContain('content="3"');
    expect(html).not.toContain('<script');
    expect(escapeHtml(`<a href="x" onclick='y'>&`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;');
  });
});

describe('inlined assets', () => {
  test('scripts cannot close their <script> tag; ESM bundles become globals', () => {
    expect(inlineScript('a = "</SCRIPT>"; b = \'</script >\';')).toBe('a = "<\\/SCRIPT>"; b = \'<\\/script >\';');
    const { vegaScripts, mcpApps } = browserAssets();
    for (const s of [...vegaScripts, mcpApps]) {
      expect(s).not.toMatch(/<\/script/i);
      expect(s).not.toMatch(/sourceMappingURL/);
    }
    expect(mcpApps).toMatch(/globalThis\.McpApps=\{[^}]*App:[\w$]+[^}]*\};\n\}\)\(\);$/);
    expect(mcpApps).toMatch(/PostMessageTransport:/);
    expect(esmToGlobal('import{x as y}from"dep";const z=y+1;export{z as Z,y};', 'm.js', 'M', { dep: 'D' })).toBe(
      '(function(){"use strict";\nconst{x:y}=globalThis.D;const z=y+1;globalThis.M={Z:z,y:y};\n})();',
    );
    expect(() => esmToGlobal('export{a};export{b};', 'two.js', 'M')).toThrow(/two\.js has 2 export/);
    expect(() => esmToGlobal('import{a}from"nope";export{a};', 'imp.js', 'M')).toThrow(/imp\.js imports "nope"/);
  });

  test('a missing Chromium is an error with install instructions, never a skip', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(/Chromium is required.*\.ci\/run installs it with `apt-get install -y chromium`/);
  });
});
