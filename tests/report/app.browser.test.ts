/**
 * The MCP App page in Chromium, inside a stub host written here that speaks the MCP Apps
 * postMessage protocol (JSON-RPC 2.0): it answers `ui/initialize`, sends the tool result, answers
 * the app's `tools/call render_chart` with a hand-made report and records every message. Host and
 * app are on different origins (two local ports); the app is served under the spec's default CSP
 * (no `unsafe-eval`, no network).
 */
import * as extApps from '@modelcontextprotocol/ext-apps';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appHtml } from '../../src/report/app-html.js';
import { jsonScriptContent } from '../../src/report/html.js';
import type { ChartSpec } from '../../src/report/types.js';
import { collectErrors, launchChromium, screenshotDir, type PageErrors } from '../helpers/browser.js';

/** The spec's default CSP for views without declared domains: inline code only, no eval, no network. */
const HOST_CSP = "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' data:; connect-src 'none'";

// ext-apps 1.7.5's .d.ts re-exports its spec types from extensionless paths ("./types"), which
// NodeNext cannot follow: read the runtime values through a narrow cast instead.
const { LATEST_PROTOCOL_VERSION, McpUiInitializeResultSchema } = extApps as unknown as {
  readonly LATEST_PROTOCOL_VERSION: string;
  readonly McpUiInitializeResultSchema: { parse(value: unknown): unknown };
};

/** The host's answer to `ui/initialize` (McpUiInitializeResult; checked against the package's schema below). */
const INIT_RESULT = {
  protocolVersion: LATEST_PROTOCOL_VERSION,
  hostInfo: { name: 'tradelab-stub-host', version: '0.0.0' },
  hostCapabilities: { serverTools: {}, logging: {}, openLinks: {} },
  hostContext: { theme: 'light', displayMode: 'inline', availableDisplayModes: ['inline'], platform: 'web', locale: 'en-US', timeZone: 'UTC', containerDimensions: { width: 900, maxHeight: 6000 } },
};

const T0 = Date.UTC(2024, 0, 1);
const charts: ChartSpec[] = [
  {
    id: 'equity',
    title: 'Equity',
    caption: '500 of 500 bars',
    spec: {
      width: 'container',
      height: 200,
      data: { values: Array.from({ length: 500 }, (_, i) => ({ time: T0 + i * 3_600_000, equity: 10_000 + 400 * Math.sin(i / 40) + i })) },
      mark: 'line',
      encoding: { x: { field: 'time', type: 'temporal', scale: { type: 'utc' } }, y: { field: 'equity', type: 'quantitative', scale: { zero: false } } },
    },
  },
  {
    id: 'returns',
    title: 'Trade returns',
    caption: '20 closed trades, percent',
    spec: {
      width: 'container',
      height: 150,
      data: { values: Array.from({ length: 20 }, (_, i) => ({ trade: i + 1, return_pct: Math.cos(i) * 3 })) },
      mark: 'bar',
      encoding: {
        x: { field: 'trade', type: 'ordinal' },
        y: { field: 'return_pct', type: 'quantitative' },
        color: { condition: { test: 'datum.return_pct < 0', value: '#cf222e' }, value: '#1a7f37' },
      },
    },
  },
];

const renderResult = (runId: string): CallToolResult => ({
  content: [{ type: 'text', text: `charts for ${runId}` }],
  structuredContent: {
    run_id: runId,
    kind: 'backtest',
    title: `Backtest ${runId} <SMA>`,
    subtitle: 'BTCUSDT 1h · 500 bars',
    status: 'completed',
    metrics: [
      { label: 'Sharpe', value: 1.234 },
      { label: 'Trades', value: 20 },
      { label: 'Profit factor', value: null },
    ],
    warnings: ['Few trades: 20 < 50'],
    charts,
  },
});

interface Scenario {
  /** The `ui/notifications/tool-result` params the host sends. */
  readonly toolResult: CallToolResult;
  /** What `tools/call render_chart` answers; absent → the stub host answers with renderResult(run_id). */
  readonly renderError?: boolean;
}

const SCENARIOS: Record<string, Scenario> = {
  run: { toolResult: { content: [{ type: 'text', text: 'backtest done' }], structuredContent: { run_id: 'bt_42', status: 'completed' } } },
  analyze: { toolResult: { content: [{ type: 'text', text: 'compared' }], structuredContent: { run_ids: ['bt_7', 'bt_8'] } } },
  'no-run': { toolResult: { content: [{ type: 'text', text: '3 datasets' }], structuredContent: { datasets: ['a', 'b', 'c'] } } },
  'render-fails': { toolResult: { content: [], structuredContent: { run_id: 'bt_gone' } }, renderError: true },
  'analyze-deep': { toolResult: { content: [{ type: 'text', text: 'verdict caution' }], structuredContent: { depth: 'deep', subject: { kind: 'backtest', run_id: 'bt_42' }, verdict: { verdict: 'caution' } } } },
  split: { toolResult: { content: [{ type: 'text', text: 'backtest done' }], structuredContent: { run_id: 'bt_split' } } },
};

/** bt_split: the first answer carries one chart and lists the other as omitted (too large to share a result). */
function splitResults(): Record<string, CallToolResult> {
  const whole = renderResult('bt_split');
  const sc = whole.structuredContent as { charts: typeof charts };
  return {
    bt_split: { ...whole, structuredContent: { ...sc, charts: [sc.charts[0]], omitted: [sc.charts[1].id] } },
    [`bt_split#${sc.charts[1].id}`]: { ...whole, structuredContent: { ...sc, charts: [sc.charts[1]], omitted: [] } },
  };
}

/** The stub host: runs in the top page, talks to the iframe with postMessage. */
const HOST_SCRIPT = `
var scenario = JSON.parse(document.getElementById('scenario').textContent);
var frame = document.getElementById('app');
window.messages = [];
function send(msg) { window.messages.push({ dir: 'host->app', msg: msg }); frame.contentWindow.postMessage(msg, '*'); }
function reply(id, result) { send({ jsonrpc: '2.0', id: id, result: result }); }
window.addEventListener('message', function (ev) {
  if (ev.source !== frame.contentWindow) return;
  var msg = ev.data;
  window.messages.push({ dir: 'app->host', msg: msg });
  if (msg.method === 'ui/initialize') {
    reply(msg.id, scenario.init);
  } else if (msg.method === 'ui/notifications/initialized') {
    send({ jsonrpc: '2.0', method: 'ui/notifications/tool-input', params: { arguments: { strategy: 'sma_cross' } } });
    send({ jsonrpc: '2.0', method: 'ui/notifications/tool-result', params: scenario.toolResult });
  } else if (msg.method === 'ui/notifications/size-changed') {
    if (msg.params.height) frame.style.height = msg.params.height + 'px';
  } else if (msg.method === 'tools/call') {
    var args = msg.params.arguments || {};
    if (msg.params.name !== 'render_chart') send({ jsonrpc: '2.0', id: msg.id, error: { code: -32602, message: 'unknown tool' } });
    else if (scenario.renderError) reply(msg.id, { isError: true, content: [{ type: 'text', text: 'Run ' + args.run_id + ' not found.' }] });
    else reply(msg.id, scenario.render[args.chart ? args.run_id + '#' + args.chart : args.run_id] || { isError: true, content: [{ type: 'text', text: 'no such run' }] });
  } else if (msg.id !== undefined && msg.method) {
    send({ jsonrpc: '2.0', id: msg.id, error: { code: -32601, message: 'Method not found: ' + msg.method } });
  }
});
`;

function hostPage(name: string, appUrl: string): string {
  const s = SCENARIOS[name];
  const data = { init: INIT_RESULT, toolResult: s.toolResult, renderError: !!s.renderError, render: { ...Object.fromEntries(['bt_42', 'bt_7'].map((id) => [id, renderResult(id)])), ...splitResults() } };
  return `<!doctype html><html><head><meta charset="utf-8"><title>stub host</title>
<style>body{margin:0;padding:16px;background:#eaeef2;font:14px system-ui} iframe{display:block;width:900px;height:200px;border:1px solid #8c959f;background:#fff}</style></head>
<body><p>stub MCP host · scenario ${name}</p>
<script type="application/json" id="scenario">${jsonScriptContent(data)}</script>
<iframe id="app" sandbox="allow-scripts allow-same-origin" src="${appUrl}"></iframe>
<script>${HOST_SCRIPT}</script></body></html>`;
}

let browser: Browser;
const servers: Server[] = [];
let hostOrigin = '';
let appOrigin = '';

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  expect(McpUiInitializeResultSchema.parse(INIT_RESULT)).toBeTruthy(); // the stub's answer is valid
  const html = appHtml();
  appOrigin = await listen((req, res) => {
    if (req.url !== '/report.html') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': HOST_CSP }).end(html);
  });
  hostOrigin = await listen((req, res) => {
    const name = /^\/host\/([\w-]+)$/.exec(req.url ?? '')?.[1];
    if (!name || !SCENARIOS[name]) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(hostPage(name, `${appOrigin}/report.html`));
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const s of servers) s.close();
});

interface Message {
  readonly dir: 'host->app' | 'app->host';
  readonly msg: { id?: number; method?: string; params?: Record<string, unknown>; result?: unknown };
}

/** Opens a scenario; only the two local origins may be reached (everything else is aborted and recorded). */
async function open(name: string): Promise<{ page: Page; errors: PageErrors; foreign: string[]; messages: () => Promise<Message[]>; app: () => ReturnType<Page['frameLocator']> }> {
  const context = await browser.newContext({ viewport: { width: 960, height: 800 }, timezoneId: 'UTC', locale: 'en-US' });
  const foreign: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(hostOrigin + '/') || url.startsWith(appOrigin + '/')) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${hostOrigin}/host/${name}`);
  return {
    page,
    errors,
    foreign,
    messages: () => page.evaluate(() => (globalThis as unknown as { messages: Message[] }).messages),
    app: () => page.frameLocator('#app'),
  };
}

describe('appHtml in a stub MCP host', () => {
  test('handshake, render_chart with the run id, both charts drawn', async () => {
    const { page, errors, foreign, messages, app } = await open('run');
    await app().locator('body[data-state="done"]').waitFor({ timeout: 15_000 });

    const log = await messages();
    const fromApp = log.filter((m) => m.dir === 'app->host').map((m) => m.msg);
    // the handshake: ui/initialize request first, then the initialized notification
    expect(fromApp[0].method).toBe('ui/initialize');
    expect(fromApp[0].params).toMatchObject({ protocolVersion: LATEST_PROTOCOL_VERSION, appInfo: { name: 'tradelab-report', version: '1.0.0' } });
    expect(fromApp.some((m) => m.method === 'ui/notifications/initialized')).toBe(true);
    const calls = fromApp.filter((m) => m.method === 'tools/call');
    expect(calls).toHaveLength(1);
    expect(calls[0].params).toMatchObject({ name: 'render_chart', arguments: { run_id: 'bt_42', format: 'vega' } });
    // autoResize reports the content size
    expect(fromApp.some((m) => m.method === 'ui/notifications/size-changed')).toBe(true);

    const frame = app();
    expect(await frame.locator('h1').textContent()).toBe('Backtest bt_42 <SMA>');
    expect(await frame.locator('table.metrics td').allTextContents()).toEqual(['1.23', '20', 'n/a']);
    expect(await frame.locator('ul.warnings li').allTextContents()).toEqual(['Few trades: 20 < 50']);
    for (const id of ['equity', 'returns']) {
      const section = frame.locator(`section[data-chart-id="${id}"]`);
      expect(await section.getAttribute('data-chart-state')).toBe('ok');
      const box = await section.locator('svg').boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(100);
      expect(box?.height ?? 0).toBeGreaterThan(100);
      expect(await section.locator('svg g.role-mark > path').count()).toBeGreaterThan(0);
    }
    expect(await frame.locator('section[data-chart-id="returns"] g.mark-rect.role-mark path').count()).toBe(20);
    expect(await frame.locator('#message').isHidden()).toBe(true);

    // the host grew the iframe to the reported height: the whole report is visible
    await expect.poll(async () => (await page.locator('#app').boundingBox())?.height ?? 0).toBeGreaterThan(500);
    const shot = join(screenshotDir(), 'mcp-app.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20_000);

    expect(errors.all()).toEqual([]);
    expect(foreign).toEqual([]);
    await page.context().close();
  });

  test('analyze_results: charts the first of run_ids', async () => {
    const { page, errors, messages, app } = await open('analyze');
    await app().locator('body[data-state="done"]').waitFor({ timeout: 15_000 });
    const calls = (await messages()).filter((m) => m.dir === 'app->host' && m.msg.method === 'tools/call');
    expect(calls.map((c) => c.msg.params?.arguments)).toEqual([{ run_id: 'bt_7', format: 'vega' }]);
    expect(await app().locator('section[data-chart-id] svg').count()).toBe(2);
    expect(errors.all()).toEqual([]);
    await page.context().close();
  });

  test('a deep analyze_results: its subject run, with the analysis charts (deep)', async () => {
    const { page, errors, messages, app } = await open('analyze-deep');
    await app().locator('body[data-state="done"]').waitFor({ timeout: 15_000 });
    const calls = (await messages()).filter((m) => m.dir === 'app->host' && m.msg.method === 'tools/call');
    expect(calls.map((c) => c.msg.params?.arguments)).toEqual([{ run_id: 'bt_42', format: 'vega', deep: true }]);
    expect(errors.all()).toEqual([]);
    await page.context().close();
  });

  test('charts listed as omitted are fetched one by one and drawn', async () => {
    const { page, errors, messages, app } = await open('split');
    await app().locator('body[data-state="done"]').waitFor({ timeout: 15_000 });
    const calls = (await messages()).filter((m) => m.dir === 'app->host' && m.msg.method === 'tools/call');
    expect(calls.map((c) => c.msg.params?.arguments)).toEqual([
      { run_id: 'bt_split', format: 'vega' },
      { run_id: 'bt_split', chart: charts[1].id, format: 'vega' },
    ]);
    expect(await app().locator('section[data-chart-id][data-chart-state="ok"] svg').count()).toBe(2);
    expect(errors.all()).toEqual([]);
    await page.context().close();
  });

  test('a result without run_id shows a clear message and calls nothing', async () => {
    const { page, errors, messages, app } = await open('no-run');
    await app().locator('body[data-state="error"]').waitFor({ timeout: 15_000 });
    expect(await app().locator('#message').textContent()).toBe('This result has no run_id, so there is no report to chart.');
    expect((await messages()).some((m) => m.msg.method === 'tools/call')).toBe(false);
    await page.screenshot({ path: join(screenshotDir(), 'mcp-app-no-run.png') });
    expect(errors.all()).toEqual([]);
    await page.context().close();
  });

  test('a failing render_chart shows the error', async () => {
    const { page, errors, app } = await open('render-fails');
    await app().locator('body[data-state="error"]').waitFor({ timeout: 15_000 });
    expect(await app().locator('#message').textContent()).toBe('render_chart failed for run bt_gone. Run bt_gone not found.');
    expect(errors.all()).toEqual([]);
    await page.context().close();
  });
});
