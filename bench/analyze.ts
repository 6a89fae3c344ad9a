/**
 * `node dist/bench/analyze.js`: a deep `analyze_results` of a stored 1,000,000-bar backtest
 * (issue 4 item 5: it must finish within the per-call limit). Builds a temp store: synthetic
 * 1-minute bars, one stored sma_cross run with costs; then times the whole deep analysis
 * (median of --runs, default 3) and, once, each section on its own to show where time goes.
 * Flags: --runs N, --bars N, --paths N, --json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSynthetic } from '../src/engine/data/synthetic.js';
import { closeApp, openApp } from '../src/research/app.js';
import { backtest } from '../src/research/backtest.js';
import { costSection } from '../src/research/analyze/costs.js';
import { monteCarloSection } from '../src/research/analyze/monte-carlo.js';
import { analyzeResults } from '../src/research/analyze/request.js';
import { advancedSections, basicSections, periodBasis } from '../src/research/analyze/sections.js';
import { selectionSection } from '../src/research/analyze/selection.js';
import { runSubject } from '../src/research/analyze/subject.js';
import { DEFAULT_ANALYZE } from '../src/research/analyze/types.js';
import { insertDataset } from '../src/storage/datasets.js';
import { fmt, median } from './stats.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(arg('runs') ?? 3);
const bars = Number(arg('bars') ?? 1_000_000);
const paths = Number(arg('paths') ?? DEFAULT_ANALYZE.mcPaths);
const json = process.argv.includes('--json');

const dir = mkdtempSync(join(tmpdir(), 'tradelab-bench-analyze-'));
try {
  const app = openApp({ home: dir, root: dir, dbFile: join(dir, 'bench.db'), config: {}, now: () => 0 });
  const candles = generateSynthetic({ symbol: 'BENCH', timeframe: '1m', bars, seed: 1, start: Date.UTC(2020, 0, 1) });
  insertDataset(app.db, { candles, source: 'bench', isSynthetic: true, now: 0 });
  const bt = backtest(app, { strategy: 'sma_cross', params: { fast: 50, slow: 200, direction: 'long_short' }, symbol: 'BENCH', timeframe: '1m', execution: { commission: 0.0002, slippage_bps: 1 } });
  const runId = bt.run_id as string;
  const trades = bt.result.trades.length;

  // where the time goes (one pass, each section alone; the analysis is cold the first time)
  const t = (fn: () => unknown): number => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  const sections: Record<string, number> = {};
  const opts = { ...DEFAULT_ANALYZE, depth: 'deep' as const, mcPaths: paths };
  let subject = runSubject(app, runId);
  sections.load_subject = t(() => (subject = runSubject(app, runId)));
  let p = periodBasis(subject);
  sections.period_returns = t(() => (p = periodBasis(subject)));
  sections.basic = t(() => basicSections(subject, p));
  sections.advanced = t(() => advancedSections(subject, p));
  sections.selection = t(() => selectionSection(app, subject, p));
  sections.monte_carlo = t(() => monteCarloSection(subject, opts));
  sections.cost_sensitivity = t(() => costSection(subject.rerun!));

  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const out = analyzeResults(app, { run_id: runId, depth: 'deep', mc_paths: paths });
    times.push(performance.now() - t0);
    bytes = Buffer.byteLength(JSON.stringify(out.data));
  }
  const result = {
    case: `deep analyze_results of a stored ${bars.toLocaleString('en-US')}-bar sma_cross run (${trades} trades, ${paths} Monte Carlo paths per method)`,
    median_ms: median(times),
    times_ms: times,
    result_bytes: bytes,
    sections_ms: sections,
  };
  if (json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else {
    process.stdout.write(`${result.case}\n  median ${fmt(result.median_ms)} ms over ${runs} run(s): ${times.map(fmt).join(', ')} ms; result ${bytes} bytes\n`);
    for (const [k, v] of Object.entries(sections)) process.stdout.write(`  ${k.padEnd(18)} ${fmt(v)} ms\n`);
  }
  closeApp(app);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
