/**
 * `npm run bench:calibration` (issue 10, item 3): the verdict matrix of the real research
 * path (optimize → walk_forward → analyze_results → champion_promote dry run) on seeded
 * series of every kind in bench/calibration/series.ts.
 *
 * - false-positive rate on noise: cases whose walk-forward is promote-able or passes the
 *   DSR gate (target ≤ 5 % over ≥ 20 seeds);
 * - power on strong planted edges (out-of-sample annualised Sharpe ≥ 2 over ≥ 1 year):
 *   cases that pass the DSR gate and are not rejected (target ≥ 80 %).
 *
 * Flags: --seeds N (default 20, per kind), --first S (first seed, default 1), --kinds a,b,
 * --years Y (series length, default 2.5: about 2.1 years out of sample), --json, --costs
 * (commission 0.0005 + 1 bp slippage instead of the default zero costs).
 */
import { SERIES_KINDS, type SeriesKind } from './calibration/series.js';
import { detected, falsePositive, runCase, strongEdge, type CaseResult } from './calibration/pipeline.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seeds = Number(arg('seeds') ?? 20);
const first = Number(arg('first') ?? 1);
const kinds = (arg('kinds')?.split(',') ?? [...SERIES_KINDS]) as SeriesKind[];
const json = process.argv.includes('--json');
const years = Number(arg('years') ?? 2.5);
if (!(years >= 0.75)) throw new Error(`--years must be >= 0.75 (the walk-forward's first in-sample window is 120 days), got ${years}`);
const bars = Math.round(years * 365 * 24);
const execution = process.argv.includes('--costs') ? { commission: 0.0005, slippage_bps: 1 } : undefined;
for (const k of kinds) if (!SERIES_KINDS.includes(k)) throw new Error(`--kinds: unknown kind ${JSON.stringify(k)}; expected some of ${SERIES_KINDS.join(', ')}`);

const NOISE: readonly SeriesKind[] = ['gauss_noise', 'fat_noise'];
const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)} % (${a}/${b})`);
const f = (x: number | null, d = 3): string => (x === null ? 'n/a' : x.toFixed(d));

const results: CaseResult[] = [];
const t0 = performance.now();
for (const kind of kinds) {
  for (let s = first; s < first + seeds; s++) {
    const r = await runCase({ kind, seed: s, bars }, { execution });
    results.push(r);
    if (!json) {
      const o = r.oos;
      process.stderr.write(
        `${kind.padEnd(12)} seed ${String(s).padStart(3)} ${r.strategy.padEnd(13)} IS: DSR ${f(r.in_sample.dsr)} (N ${r.in_sample.n}) ${r.in_sample.verdict.padEnd(12)} ` +
          `OOS: Sharpe ${f(o.sharpe, 2).padStart(6)} over ${o.years.toFixed(2)} y, ${o.trades} trades, DSR ${f(o.dsr)} (N ${o.n}), gate ${o.dsr_gate}, ${o.verdict}${o.promotable ? ', PROMOTABLE' : ''}  ${(r.ms / 1000).toFixed(1)} s\n`,
      );
    }
  }
}

const rows = kinds.map((kind) => {
  const rs = results.filter((r) => r.kind === kind);
  const noise = NOISE.includes(kind);
  const strong = rs.filter(strongEdge);
  return {
    kind,
    noise,
    cases: rs.length,
    false_positives: noise ? rs.filter(falsePositive).length : null,
    dsr_gate_passed: rs.filter((r) => r.oos.dsr_gate === 'pass').length,
    promotable: rs.filter((r) => r.oos.promotable).length,
    rejected: rs.filter((r) => r.oos.verdict === 'reject').length,
    strong_edges: noise ? null : strong.length,
    detected: noise ? null : strong.filter(detected).length,
    in_sample_rejected: rs.filter((r) => r.in_sample.verdict === 'reject').length,
  };
});
const noiseCases = results.filter((r) => NOISE.includes(r.kind));
const edgeCases = results.filter((r) => !NOISE.includes(r.kind) && strongEdge(r));
const summary = {
  seeds_per_kind: seeds,
  first_seed: first,
  years,
  costs: execution ?? 'none (defaults)',
  false_positive_rate: noiseCases.length ? noiseCases.filter(falsePositive).length / noiseCases.length : null,
  power: edgeCases.length ? edgeCases.filter(detected).length / edgeCases.length : null,
  targets: { false_positive_rate: '≤ 0.05', power: '≥ 0.80' },
  rows,
  seconds: (performance.now() - t0) / 1000,
};

if (json) process.stdout.write(`${JSON.stringify({ ...summary, cases: results }, null, 2)}\n`);
else {
  const out: string[] = [];
  out.push(`verdict matrix: ${seeds} seeds per kind from seed ${first}, ${years} years of hourly bars, costs ${execution ? 'commission 0.0005 + 1 bp' : 'none'}; optimize → walk_forward → analyze_results → champion_promote (dry run)`);
  out.push('kind          cases  DSR gate pass  promotable  rejected  false positives   strong edges  detected (power)   IS rejected');
  for (const r of rows) {
    out.push(
      `${r.kind.padEnd(13)} ${String(r.cases).padStart(5)}  ${String(r.dsr_gate_passed).padStart(13)}  ${String(r.promotable).padStart(10)}  ${String(r.rejected).padStart(8)}  ` +
        `${(r.noise ? pct(r.false_positives ?? 0, r.cases) : '—').padStart(15)}   ${(r.noise ? '—' : String(r.strong_edges)).padStart(12)}  ${(r.noise ? '—' : pct(r.detected ?? 0, r.strong_edges ?? 0)).padStart(16)}   ${String(r.in_sample_rejected).padStart(11)}`,
    );
  }
  out.push(`false-positive rate on noise: ${summary.false_positive_rate === null ? 'n/a' : pct(noiseCases.filter(falsePositive).length, noiseCases.length)} (target ≤ 5 %)`);
  out.push(`power on strong planted edges: ${summary.power === null ? 'n/a' : pct(edgeCases.filter(detected).length, edgeCases.length)} (target ≥ 80 %)`);
  out.push(`${summary.seconds.toFixed(0)} s`);
  process.stdout.write(`${out.join('\n')}\n`);
}
