/**
 * backtest_batch through the in-process MCP client: results, progress notifications, the
 * wait budget + run handle, get_run item paging, cancellation (cancel_run and the client's
 * own cancel), the item cap as a tool error.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { closeEvaluators } from '../../src/research/evaluator.js';
import { getRun, listRuns, type RunRow } from '../../src/storage/runs.js';
import { dataOf, harness, textOf, type Harness } from '../helpers/mcp.js';
import { seededApp } from '../research/batch-fixtures.js';

let h: Harness | undefined;
afterEach(async () => {
  if (h) {
    await closeEvaluators(h.app);
    await h.close();
  }
  h = undefined;
});

async function open(config: Record<string, unknown> = {}, bars = 2_000): Promise<Harness> {
  h = await harness({ app: seededApp(config, bars) });
  return h;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(hh: Harness, runId: string, pred: (r: RunRow) => boolean, ms = 20_000): Promise<RunRow> {
  const t0 = Date.now();
  for (;;) {
    const d = dataOf<{ status: string }>(await hh.call('get_run', { run_id: runId }));
    const row = getRun(hh.app.db, runId) as RunRow;
    expect(row.status).toBe(d.status);
    if (pred(row)) return row;
    if (Date.now() - t0 > ms) throw new Error(`run ${runId} still ${row.status}`);
    await sleep(20);
  }
}

interface BatchData {
  run_id: string;
  status: string;
  counts: { items: number; ok: number; failed: number; cancelled: number; cached: number };
  top: { columns: string[]; rows: unknown[][] };
  best_per_dataset: { symbol: string; timeframe: string; value: number }[];
  failures: { i: number; error: string }[];
  stats: { n: number; best: number };
}

const MANY = (n: number) => Array.from({ length: n }, (_, k) => ({ period: 5 + k }));

describe('backtest_batch tool', () => {
  it('is a compute-tier tool with honest annotations', async () => {
    const hh = await open();
    const tools = await hh.client.listTools();
    const t = tools.tools.find((x) => x.name === 'backtest_batch');
    expect(t?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(JSON.stringify(t?.inputSchema)).toContain('param_sets');
  });

  it('runs the product, isolates failures, and reports progress per item', async () => {
    const hh = await open();
    const seen: { progress: number; total?: number; message?: string }[] = [];
    const r = (await hh.client.callTool(
      { name: 'backtest_batch', arguments: { strategy: 'sma_cross', param_sets: [{ fast: 10, slow: 30 }, { fast: 30, slow: 10 }], symbols: ['DEMO-BTC', 'ALT', 'NOPE'], timeframes: ['1h', '4h'] } },
      undefined,
      { onprogress: (p) => void seen.push(p) },
    )) as CallToolResult;
    const d = dataOf<BatchData>(r);
    expect(d.status).toBe('succeeded');
    expect(d.counts).toEqual({ items: 12, ok: 2, failed: 10, cancelled: 0, cached: 0 });
    expect(d.best_per_dataset.map((b) => `${b.symbol} ${b.timeframe}`).sort()).toEqual(['ALT 4h', 'DEMO-BTC 1h']);
    expect(d.failures.some((f) => /fast \(30\) must be < slow \(10\)/.test(f.error))).toBe(true);
    expect(d.failures.some((f) => /unknown symbol "NOPE"/.test(f.error))).toBe(true);
    expect(textOf(r)).toMatch(/12 items: 2 ok, 10 failed/);
    // one notification per item, the last one at 12/12
    expect(seen.length).toBeGreaterThanOrEqual(12);
    expect(seen[seen.length - 1]).toMatchObject({ progress: 12, total: 12 });
    expect(seen.every((p) => typeof p.message === 'string' && p.message.startsWith('item '))).toBe(true);
  });

  it('pairs: DEMO-BTC 1h and ALT 4h without the other combinations; refused together with symbols/timeframes', async () => {
    const hh = await open();
    const pairs = [
      { symbol: 'DEMO-BTC', timeframe: '1h' },
      { symbol: 'ALT', timeframe: '4h' },
    ];
    const d = dataOf<BatchData>(await hh.call('backtest_batch', { strategy: 'sma_cross', param_sets: [{ fast: 10, slow: 30 }], pairs }));
    expect(d.counts).toMatchObject({ items: 2, ok: 2, failed: 0 });
    expect(d.best_per_dataset.map((b) => `${b.symbol} ${b.timeframe}`).sort()).toEqual(['ALT 4h', 'DEMO-BTC 1h']);
    const both = await hh.call('backtest_batch', { strategy: 'sma_cross', pairs, timeframes: ['1h'] });
    expect(both.isError).toBe(true);
    expect(textOf(both)).toMatch(/^backtest_batch: pairs and timeframes given together: pairs lists the datasets itself, instead of symbols × timeframes; expected: either "pairs"/);
    const typo = await hh.call('backtest_batch', { strategy: 'sma_cross', pairs: [{ symbol: 'ALT', tf: '4h' }] });
    expect(textOf(typo)).toBe('backtest_batch: pairs[0].tf: unknown key; did you mean "timeframe"? Accepted keys in pairs[0]: symbol, timeframe');
  });

  it('returns a run handle past the wait budget; get_run reports later and pages the items', async () => {
    const hh = await open({ wait_seconds: 0 });
    const r = await hh.call('backtest_batch', { strategy: 'rsi_reversion', param_sets: MANY(10), symbols: ['DEMO-BTC', 'ALT'], timeframes: ['1h'], rank_by: 'return_pct', top: 3 });
    const d = dataOf<{ run_id: string; status: string; next: string }>(r);
    expect(['queued', 'running']).toContain(d.status);
    expect(d.next).toContain('get_run');
    const done = await until(hh, d.run_id, (row) => row.status === 'succeeded');
    expect((done.summary as { counts: { ok: number } }).counts.ok).toBe(10);
    // the items, ranked by return_pct, in pages of 4 (10 ok + 10 failed for ALT 1h)
    const seen: { rank: number | null; i: number; value: number | null; status: string }[] = [];
    let cursor: string | undefined;
    for (let k = 0; k < 10; k++) {
      const page = dataOf<{ items: { items: typeof seen; total: number; next_cursor: string | null; remaining: number } }>(
        await hh.call('get_run', { run_id: d.run_id, include: 'items', limit: 4, ...(cursor ? { cursor } : {}) }),
      );
      expect(page.items.total).toBe(20);
      seen.push(...page.items.items);
      expect(page.items.remaining).toBe(20 - seen.length);
      if (!page.items.next_cursor) break;
      cursor = page.items.next_cursor;
    }
    expect(seen).toHaveLength(20);
    expect(new Set(seen.map((x) => x.i)).size).toBe(20);
    const ranked = seen.filter((x) => x.rank !== null);
    expect(ranked.map((x) => x.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (let k = 1; k < ranked.length; k++) expect(ranked[k - 1].value as number).toBeGreaterThanOrEqual(ranked[k].value as number);
    expect(seen.slice(10).every((x) => x.status === 'failed')).toBe(true);
    // the summary's top 3 are the first 3 items of the page order
    const top = (done.summary as { top: { columns: string[]; rows: unknown[][] } }).top;
    expect(top.rows.map((row) => row[top.columns.indexOf('i')])).toEqual(seen.slice(0, 3).map((x) => x.i));
  });

  it('cancel_run stops a batch at the next item; finished items stay stored, the rest are cancelled', async () => {
    const hh = await open({ wait_seconds: 0 }, 8_000);
    const d = dataOf<{ run_id: string }>(await hh.call('backtest_batch', { strategy: 'rsi_reversion', param_sets: MANY(80), symbols: ['DEMO-BTC'], timeframes: ['1h'] }));
    const c = dataOf<{ cancelled: boolean }>(await hh.call('cancel_run', { run_id: d.run_id }));
    expect(c.cancelled).toBe(true);
    const row = await until(hh, d.run_id, (x) => x.status !== 'running' && x.status !== 'queued');
    expect(row.status).toBe('cancelled');
    const counts = (row.summary as { counts: { ok: number; cancelled: number; items: number } }).counts;
    expect(counts.items).toBe(80);
    expect(counts.cancelled).toBeGreaterThan(0);
    expect(counts.ok + counts.cancelled).toBe(80);
    const children = listRuns(hh.app.db, { parent_id: d.run_id, limit: 500, offset: 0 }).runs;
    expect(children.filter((x) => x.status === 'succeeded')).toHaveLength(counts.ok);
    expect(children.filter((x) => x.status === 'cancelled')).toHaveLength(counts.cancelled);
  });

  it("the client's own cancellation cancels the batch job", async () => {
    const hh = await open({}, 8_000);
    const ac = new AbortController();
    let progressed = 0;
    const call = hh.client.callTool({ name: 'backtest_batch', arguments: { strategy: 'rsi_reversion', param_sets: MANY(80), symbols: ['DEMO-BTC'], timeframes: ['1h'] } }, undefined, {
      signal: ac.signal,
      onprogress: () => {
        progressed++;
        if (progressed === 2) ac.abort();
      },
    });
    await expect(call).rejects.toThrow();
    const batch = listRuns(hh.app.db, { kind: 'batch', limit: 1, offset: 0 }).runs[0];
    const row = await until(hh, batch.id, (x) => x.status !== 'running' && x.status !== 'queued');
    expect(row.status).toBe('cancelled');
    expect((row.summary as { counts: { cancelled: number } }).counts.cancelled).toBeGreaterThan(0);
  });

  it('answers above the item cap with an error naming the count and the cap', async () => {
    const hh = await open({ limits: { max_batch_items: 10 } });
    const r = await hh.call('backtest_batch', { strategy: 'rsi_reversion', param_sets: MANY(6), symbols: ['DEMO-BTC', 'ALT'], timeframes: ['1h'] });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/12 items, above the limit of 10/);
    expect(listRuns(hh.app.db, { limit: 5, offset: 0 }).total).toBe(0);
  });
});
