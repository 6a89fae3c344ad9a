/**
 * `tradelab report <run_id|study|champion:S/X/TF> [--out FILE.html] [--deep]`: one
 * self-contained HTML file with every chart of the result, its metrics and its warnings
 * (opens from file:// with the network off: the chart library is inlined). `--png CHART`
 * writes one chart as PNG instead.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../research/errors.js';
import { reportHtml } from '../report/html.js';
import { buildReport } from '../report/model/index.js';
import { chartPng } from '../report/render.js';
import { openCliApp } from './app.js';
import { out, parse } from './args.js';

export const REPORT_HELP = `tradelab report <run_id | study | champion:STRATEGY/SYMBOL/TIMEFRAME> [--out FILE.html] [--deep]

  --out FILE     where to write (default: report-<id>.html, or report-<id>-<chart>.png with --png)
  --deep         add the analysis charts (Monte Carlo fan, drawdown distribution, monthly returns,
                 cost sensitivity with break-even, DSR/PSR/PBO) — re-runs the deep analysis
  --png CHART    write one chart as a PNG instead of the HTML report (chart ids: see the report)`;

const OPTIONS = { out: { type: 'string' }, deep: { type: 'boolean' }, png: { type: 'string' } } as const;

const safe = (id: string): string => id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);

export async function reportCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(argv, OPTIONS, 'report', 1);
  if (v.help) return (out(REPORT_HELP), 0);
  const id = positionals[0];
  if (!id) throw new UserError('report needs a run id, a study name or champion:STRATEGY/SYMBOL/TIMEFRAME', { field: 'ID', hint: REPORT_HELP.split('\n')[0] });
  const app = openCliApp();
  try {
    const model = buildReport(app, id, { deep: v.deep === true });
    if (typeof v.png === 'string') {
      const chart = model.charts.find((c) => c.id === v.png);
      if (!chart) throw new UserError(`${model.id} has no chart ${JSON.stringify(v.png)}`, { field: '--png', value: v.png, expected: model.charts.map((c) => c.id).join(', ') || '(no charts: the run is ' + model.status + ')' });
      const file = resolve(typeof v.out === 'string' ? v.out : `report-${safe(model.id)}-${chart.id}.png`);
      const png = await chartPng(chart.spec, { maxBytes: 5_000_000 });
      writeFileSync(file, png);
      out(`${file}: ${chart.title} (${png.length} bytes)`);
      return 0;
    }
    const file = resolve(typeof v.out === 'string' ? v.out : `report-${safe(model.id)}.html`);
    const html = reportHtml(model);
    writeFileSync(file, html);
    out(`${file}: ${model.title} — ${model.charts.length} chart(s) (${model.charts.map((c) => c.id).join(', ')}), ${html.length} bytes`);
    return 0;
  } finally {
    app.db.close();
  }
}
