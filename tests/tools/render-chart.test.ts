/**
 * render_chart through the in-process MCP client: a PNG image block (decoded: its width, not
 * blank, ≤ 200 KB) with a caption naming the other charts; every chart of a run as Vega-Lite
 * specs (what the report app loads); unknown charts and runs are clear errors; read tier.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';

let h: Harness;
let ro: Harness;
let bt: string;
let opt: string;

beforeAll(async () => {
  h = await harness();
  insertDataset(h.app.db, { candles: generateSynthetic({ symbol: 'RC', timeframe: '1h', bars: 3000, seed: 2, start: Date.UTC(2024, 0, 1) }), source: 'test', isSynthetic: true, now: 1 });
  bt = dataOf<{ run_id: string }>(await h.call('backtest', { strategy: 'sma_cross', symbol: 'RC', timeframe: '1h', params: { fast: 8, slow: 40 } })).run_id;
  opt = dataOf<{ run_id: string }>(await h.call('optimize', { strategy: 'sma_cross', symbol: 'RC', timeframe: '1h', n_trials: 12, seed: 1 })).run_id;
  ro = await harness({ tiers: ['read'], app: h.app });
});
afterAll(async () => {
  await ro.client.close();
  await h.close();
});

function png(r: CallToolResult): PNG {
  const img = r.content.find((c) => c.type === 'image');
  if (!img || img.type !== 'image') throw new Error(`no image block: ${textOf(r)}`);
  expect(img.mimeType).toBe('image/png');
  return PNG.sync.read(Buffer.from(img.data, 'base64'));
}

function distinctColours(p: PNG): number {
  const seen = new Set<number>();
  for (let i = 0; i < p.data.length; i += 4 * 7) seen.add(p.data.readUInt32BE(i));
  return seen.size;
}

describe('render_chart', () => {
  it('a backtest chart as a PNG (≤ 200 KB, not blank) on a read-only server; the caption lists the others', async () => {
    const r = await ro.call('render_chart', { run_id: bt, chart: 'equity' });
    expect(r.isError ?? false, textOf(r)).toBe(false);
    const d = dataOf<{ chart: string; png_bytes: number; charts: { id: string }[] }>(r);
    expect(d.chart).toBe('equity');
    expect(d.png_bytes).toBeLessThanOrEqual(200_000);
    const p = png(r);
    expect(p.width).toBeGreaterThan(300);
    expect(distinctColours(p)).toBeGreaterThan(20);
    expect(textOf(r)).toMatch(/Other charts: price, drawdown, exposure/);
    expect(d.charts.map((c) => c.id)).toEqual(['price', 'equity', 'drawdown', 'exposure']);
  });

  it('a study: the optimisation history as a PNG, and every chart as Vega-Lite specs', async () => {
    const hist = await h.call('render_chart', { run_id: opt, chart: 'history' });
    expect(distinctColours(png(hist))).toBeGreaterThan(10);
    const v = dataOf<{ kind: string; charts: { id: string; spec: { data?: unknown; layer?: unknown } }[] }>(await h.call('render_chart', { run_id: opt, format: 'vega' }));
    expect(v.kind).toBe('optimize');
    expect(v.charts.map((c) => c.id)).toEqual(expect.arrayContaining(['history', 'importance', 'parallel', 'slice']));
    for (const c of v.charts) expect(typeof c.spec).toBe('object');
  });

  it('clear errors: an unknown chart names the run’s charts; an unknown run says what is accepted', async () => {
    const bad = await h.call('render_chart', { run_id: bt, chart: 'equtiy' });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/no chart "equtiy".*price, equity, drawdown, exposure/);
    const none = await h.call('render_chart', { run_id: 'bt_missing' });
    expect(none.isError).toBe(true);
    expect(textOf(none)).toMatch(/no run or study named "bt_missing"/);
  });

  it('result tools link the report app; its ui:// resource is the app page', async () => {
    const { tools } = await h.client.listTools();
    const meta = (n: string) => tools.find((t) => t.name === n)?._meta as Record<string, unknown> | undefined;
    for (const n of ['backtest', 'optimize', 'walk_forward', 'backtest_batch', 'analyze_results']) {
      expect((meta(n)?.ui as { resourceUri?: string } | undefined)?.resourceUri).toBe('ui://tradelab/report.html');
    }
    const res = await h.client.readResource({ uri: 'ui://tradelab/report.html' });
    const c = res.contents[0] as { mimeType?: string; text?: string };
    expect(c.mimeType).toBe('text/html;profile=mcp-app');
    expect(c.text).toMatch(/render_chart/);
    expect(c.text!.length).toBeLessThan(3_000_000);
  });
});
