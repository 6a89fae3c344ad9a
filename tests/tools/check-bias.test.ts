/** check_bias through the in-process MCP client: verdicts, text, strict inputs, nothing stored. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/engine/data/synthetic.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
  const candles = generateSynthetic({ symbol: 'SYN', timeframe: '1h', bars: 2500, seed: 3, start: Date.UTC(2024, 0, 1) });
  insertDataset(h.app.db, { candles, source: 'test', isSynthetic: true, now: 1 });
});
afterAll(async () => h.close());

interface Out {
  verdict: string;
  bars: number;
  dataset: { symbol: string };
  first_offense: { check: string; bar: number; time: string; rule: string; output: string } | null;
  lookahead: { status: string; cuts: number[]; findings: unknown[] };
  warmup: { status: string; declared: number; needed: number; starts: number[]; checked: number };
  options: { cuts: number; seed: number };
}

describe('check_bias', () => {
  it('sma_cross: ok, with the key figures in the text and nothing stored', async () => {
    const runs = async (): Promise<number> => dataOf<{ total: number }>(await h.call('list_runs', {})).total;
    const before = await runs();
    const r = await h.call('check_bias', { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h' });
    const d = dataOf<Out>(r);
    expect(d.verdict).toBe('ok');
    expect(d.bars).toBe(2500);
    expect(d.dataset.symbol).toBe('SYN');
    expect(d.first_offense).toBeNull();
    expect(d.lookahead.cuts).toHaveLength(8);
    expect(d.warmup).toMatchObject({ status: 'passed', declared: 29 });
    const text = textOf(r);
    expect(text).toMatch(/^check_bias sma_cross \{.*\} on SYN 1h \(dataset #\d+\) \(synthetic\), 2500 bars: verdict ok\./);
    expect(text).toMatch(/Look-ahead passed: 8 cuts × 3 runs/);
    expect(text).toMatch(/\nJSON: \{/);
    expect(await runs()).toBe(before);
  });

  it('ema_cross: warmup_unstable with the first offending bar, its time and rule; a range and options are honoured', async () => {
    const d = dataOf<Out>(await h.call('check_bias', { strategy: 'ema_cross', params: { fast: 12, slow: 26 }, symbol: 'SYN', timeframe: '1h', from: '2024-01-10', cuts: 4, starts: 8, seed: 9 }));
    expect(d.verdict).toBe('warmup_unstable');
    expect(d.bars).toBe(2500 - 9 * 24);
    expect(d.lookahead.cuts).toHaveLength(4);
    expect(d.warmup.starts).toHaveLength(8);
    expect(d.warmup.needed).toBeGreaterThan(d.warmup.declared);
    expect(d.first_offense).toMatchObject({ check: 'warmup' });
    expect(d.first_offense!.rule).toMatch(/^(long|short)_(entry|exit)$/);
    expect(Date.parse(d.first_offense!.time)).toBe(Date.UTC(2024, 0, 10) + d.first_offense!.bar * 3_600_000);
    // the warm-up it reported passes
    const again = dataOf<Out>(await h.call('check_bias', { strategy: 'ema_cross', symbol: 'SYN', timeframe: '1h', from: '2024-01-10', cuts: 4, starts: 8, seed: 9, warmup: d.warmup.needed }));
    expect(again.warmup.status).toBe('passed');
    expect(again.warmup.checked).toBe(d.warmup.needed);
  });

  it('refuses bad input with the field named', async () => {
    const typo = await h.call('check_bias', { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h', cut: 3 });
    expect(typo.isError).toBe(true);
    expect(textOf(typo)).toMatch(/cut: unknown key; did you mean "cuts"\?/);
    const many = await h.call('check_bias', { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h', cuts: 33 });
    expect(many.isError).toBe(true);
    expect(textOf(many)).toMatch(/cuts/);
    const unknown = await h.call('check_bias', { strategy: 'sma_crosss', symbol: 'SYN', timeframe: '1h' });
    expect(textOf(unknown)).toMatch(/did you mean sma_cross/);
    const param = await h.call('check_bias', { strategy: 'sma_cross', params: { fast: 50, slow: 20 }, symbol: 'SYN', timeframe: '1h' });
    expect(textOf(param)).toMatch(/params\.fast/);
    const warm = await h.call('check_bias', { strategy: 'sma_cross', symbol: 'SYN', timeframe: '1h', warmup: 10_000 });
    expect(textOf(warm)).toMatch(/warmup must be an integer from 0 to 2499/);
    const champ = await h.call('check_bias', { strategy: 'sma_cross', params: 'champion', symbol: 'SYN', timeframe: '1h' });
    expect(textOf(champ)).toMatch(/no champion/);
  });
});
