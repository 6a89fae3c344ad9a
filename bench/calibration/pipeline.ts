/**
 * One calibration case: a seeded series in a fresh store, then the path an agent takes —
 * optimize (in-sample) → walk_forward → analyze_results (deep, of both) → champion_promote
 * (dry run of the walk-forward's final params) — through a real MCP client connected to the
 * server in-process. Returns what the verdicts and gates concluded.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from '../../src/research/app.js';
import { JobRunner } from '../../src/research/jobs.js';
import { createServer } from '../../src/server/create-server.js';
import { insertDataset } from '../../src/storage/datasets.js';
import { TIERS } from '../../src/tools/types.js';
import { calibrationSeries, type SeriesKind, type SeriesSpec } from './series.js';

/** The strategy an agent would try on each kind (noise: a trend follower or a reverter, by seed). */
export function strategyFor(kind: SeriesKind, seed: number): string {
  if (kind === 'mean_revert') return 'rsi_reversion';
  if (kind === 'trend_regime') return 'sma_cross';
  return seed % 2 === 0 ? 'rsi_reversion' : 'sma_cross';
}

export interface PipelineOptions {
  readonly optimizeTrials?: number;
  readonly windowTrials?: number;
  readonly is?: string;
  readonly oos?: string;
  readonly execution?: Record<string, unknown>;
}

export interface CaseResult {
  readonly kind: SeriesKind;
  readonly seed: number;
  readonly strategy: string;
  readonly in_sample: { readonly dsr: number | null; readonly n: number | null; readonly verdict: string };
  readonly oos: {
    readonly sharpe: number | null;
    readonly years: number;
    readonly trades: number;
    readonly psr: number | null;
    readonly dsr: number | null;
    readonly n: number | null;
    readonly verdict: string;
    readonly dsr_gate: string;
    readonly promotable: boolean;
  };
  readonly ms: number;
}

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const YEAR_MS = 365.25 * 86_400_000;

export async function runCase(spec: SeriesSpec, opts: PipelineOptions = {}): Promise<CaseResult> {
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'tradelab-calibration-'));
  const app = openApp({ dbFile: ':memory:', home: dir, root: dir, config: {} });
  const jobs = new JobRunner(app);
  const server = createServer({ app, jobs, tiers: new Set(TIERS), mode: 'in-process', clientId: 'calibration' });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'tradelab-calibration', version: '1.0.0' });
  await Promise.all([server.connect(a), client.connect(b)]);
  const call = async (name: string, args: Data): Promise<Data> => {
    const r = (await client.callTool({ name, arguments: args }, undefined, { timeout: 1_800_000 })) as CallToolResult;
    if (r.isError) throw new Error(`${name}: ${r.content.map((c) => (c.type === 'text' ? c.text : '')).join(' ')}`);
    return r.structuredContent as Data;
  };
  try {
    const candles = calibrationSeries(spec);
    insertDataset(app.db, { candles, source: 'calibration', isSynthetic: true, now: 0 });
    const strategy = strategyFor(spec.kind, spec.seed);
    const market = { strategy, symbol: candles.symbol, timeframe: candles.timeframe, ...(opts.execution ? { execution: opts.execution } : {}) };
    const isEnd = new Date(candles.time[Math.floor(candles.time.length * 0.4)]).toISOString();
    const opt = await call('optimize', { ...market, to: isEnd, n_trials: opts.optimizeTrials ?? 60, seed: spec.seed, study_name: 'calibration', wait_seconds: 600 });
    const wf = await call('walk_forward', { ...market, is: opts.is ?? '120d', oos: opts.oos ?? '60d', n_trials: opts.windowTrials ?? 30, seed: spec.seed, wait_seconds: 600 });
    if (wf.status !== 'succeeded') throw new Error(`walk_forward ended ${String(wf.status)}`);
    const isA = await call('analyze_results', { run_id: opt.run_id, depth: 'deep', mc_paths: 100 });
    const oosA = await call('analyze_results', { run_id: wf.run_id, depth: 'deep', mc_paths: 100 });
    const dry = await call('champion_promote', { candidate: { run_id: wf.run_id } });
    const gate = (dry.gate_report?.gates ?? dry.gates ?? []).find((g: Data) => g.gate === 'min_dsr');
    const oos = wf.oos ?? {};
    return {
      kind: spec.kind,
      seed: spec.seed,
      strategy,
      in_sample: { dsr: isA.dsr?.dsr ?? null, n: isA.dsr?.n ?? null, verdict: isA.verdict.verdict },
      oos: {
        sharpe: oos.sharpe ?? null,
        years: (Date.parse(oos.to) - Date.parse(oos.from)) / YEAR_MS,
        trades: oos.trades ?? 0,
        psr: oos.psr ?? null,
        dsr: oosA.dsr?.dsr ?? null,
        n: oosA.dsr?.n ?? null,
        verdict: oosA.verdict.verdict,
        dsr_gate: gate?.status ?? 'missing',
        promotable: dry.promotable === true,
      },
      ms: performance.now() - t0,
    };
  } finally {
    await client.close();
    await jobs.close();
    await server.close();
    app.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A noise case is a false positive when it could be promoted or passed the DSR gate. */
export function falsePositive(r: CaseResult): boolean {
  return r.oos.verdict === 'promote-able' || r.oos.dsr_gate === 'pass';
}

/** A strong planted edge, by what its walk-forward realised out of sample (issue 10): Sharpe ≥ 2 over ≥ 1 year. */
export function strongEdge(r: CaseResult): boolean {
  return (r.oos.sharpe ?? -Infinity) >= 2 && r.oos.years >= 1;
}

/** Power: a strong edge passes the DSR gate and is not rejected. */
export function detected(r: CaseResult): boolean {
  return r.oos.dsr_gate === 'pass' && r.oos.verdict !== 'reject';
}
