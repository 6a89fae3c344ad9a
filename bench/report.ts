/**
 * `npm run bench:report`: the HTML report of a stored 1,000,000-bar backtest (issue: builds
 * in ≤ 1 s and is ≤ 5 MB) and of a 5,000-trial study, plus one PNG chart. Builds a temp store
 * (synthetic 1-minute bars, an sma_cross run with thousands of trades; a study's trials written
 * through the study store), then times `buildReport` + `reportHtml` (median of --runs, default
 * 5) and reports the sizes, with a breakdown of where the time goes (load, model, charts, HTML).
 * Flags: --runs N, --bars N, --trials N, --json.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSynthetic } from '../src/engine/data/synthetic.js';
import { closeApp, openApp } from '../src/research/app.js';
import { backtest } from '../src/research/backtest.js';
import { JobRunner } from '../src/research/jobs.js';
import { parseTask, startOptimize } from '../src/research/optimize/index.js';
import { reportHtml } from '../src/report/html.js';
import { buildReport } from '../src/report/model/index.js';
import { chartPng } from '../src/report/render.js';
import { insertDataset } from '../src/storage/datasets.js';
import { fmt, median } from './stats.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(arg('runs') ?? 5);
const bars = Number(arg('bars') ?? 1_000_000);
const nTrials = Number(arg('trials') ?? 5000);
const json = process.argv.includes('--json');

const dir = mkdtempSync(join(tmpdir(), 'tradelab-bench-report-'));
try {
  const app = openApp({ home: dir, root: dir, dbFile: join(dir, 'bench.db'), config: {} });
  const candles = generateSynthetic({ symbol: 'BENCH', timeframe: '1m', bars, seed: 1, start: Date.UTC(2020, 0, 1) });
  insertDataset(app.db, { candles, source: 'bench', isSynthetic: true, now: 0 });
  const bt = backtest(app, { strategy: 'sma_cross', params: { fast: 50, slow: 200, direction: 'long_short' }, symbol: 'BENCH', timeframe: '1m', execution: { commission: 0.0002 } });
  const runId = bt.run_id as string;
  const times: number[] = [];
  let html = '';
  let charts = 0;
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    const model = buildReport(app, runId, { fresh: true });
    html = reportHtml(model);
    times.push(performance.now() - t0);
    charts = model.charts.length;
  }
  const model = buildReport(app, runId);
  const price = model.charts.find((c) => c.id === 'price')!;
  const t1 = performance.now();
  const png = await chartPng(price.spec);
  const pngMs = performance.now() - t1;

  // a 5,000-trial study on a short range (random sampler over a space of ~196,000 configurations;
  // the report, not the sampler, is measured; return_pct: a Sharpe needs days of returns)
  const jobs = new JobRunner(app);
  const to = new Date(Date.UTC(2020, 0, 1) + 2000 * 60_000).toISOString();
  const opt = await startOptimize(app, jobs, 'bench', parseTask({ strategy: 'sma_cross', symbol: 'BENCH', timeframe: '1m', to, n_trials: nTrials, sampler: 'random', seed: 1, study_name: 'bench-report', objective: 'return_pct', space: { fast: { type: 'int', low: 2, high: 200 }, slow: { type: 'int', low: 10, high: 1000 } } }));
  await jobs.wait(opt.id, 3_600_000);
  await jobs.close();
  const studyTimes: number[] = [];
  let studyHtml = "";
  let studyCharts = 0;
  let studyTrials = 0;
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    const sm = buildReport(app, opt.id, { fresh: true });
    studyHtml = reportHtml(sm);
    studyCharts = sm.charts.length;
    studyTrials = Number(sm.metrics.find((m) => m.label === "Trials")?.value ?? 0);
    studyTimes.push(performance.now() - t0);
  }
  const out = {
    bars,
    trades: bt.result.trades.length,
    backtest_report_ms: median(times),
    backtest_report_bytes: html.length,
    charts,
    price_png_ms: pngMs,
    price_png_bytes: png.length,
    trials: nTrials,
    study_report_ms: median(studyTimes),
    study_report_bytes: studyHtml.length,
    study_trials: studyTrials,
    study_charts: studyCharts,
    runs,
  };
  if (json) console.log(JSON.stringify(out));
  else {
    console.log(`report of a ${bars.toLocaleString()}-bar backtest (${out.trades} trades, ${charts} charts): median ${fmt(out.backtest_report_ms)} ms over ${runs} runs (target ≤ 1 s), ${(html.length / 1e6).toFixed(2)} MB (target ≤ 5 MB)`);
    console.log(`  price chart as PNG: ${fmt(pngMs)} ms, ${(png.length / 1e3).toFixed(0)} KB`);
    console.log(`report of a study with ${studyTrials} trials (${studyCharts} charts): median ${fmt(out.study_report_ms)} ms, ${(studyHtml.length / 1e6).toFixed(2)} MB`);
  }
  closeApp(app);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
