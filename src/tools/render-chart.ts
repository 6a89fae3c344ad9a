import { z } from 'zod';
import { UserError } from '../research/errors.js';
import { buildReport } from '../report/model/index.js';
import { chartPng } from '../report/render.js';
import type { ChartSpec } from '../report/types.js';
import { renderChartOutput } from './outputs/basic.js';
import { defineTool } from './types.js';

/** PNG image blocks stay under this size (MCP hosts and context windows). */
const MAX_PNG_BYTES = 200_000;

export const renderChartTool = defineTool({
  name: 'render_chart',
  title: 'Render a chart',
  description:
    'A chart of a run as a PNG (≤ 200 KB) with a caption; the result lists the chart ids. format "vega": Vega-Lite specs instead. deep: add analysis charts (Monte Carlo, monthly, costs, DSR/PBO).',
  tier: 'read',
  inputSchema: {
    run_id: z.string().min(1).max(200).describe('Run id, study, or champion:STRATEGY/SYMBOL/TIMEFRAME.'),
    chart: z.string().min(1).max(40).optional().describe('Default: the first.'),
    format: z.enum(['png', 'vega']).optional(),
    deep: z.boolean().optional(),
  },
  outputSchema: renderChartOutput,
  annotations: { idempotentHint: true },
  async handler(args, ctx) {
    const model = buildReport(ctx.app, args.run_id, { deep: args.deep });
    const ids = model.charts.map((c) => c.id);
    const list = model.charts.map((c) => ({ id: c.id, title: c.title, caption: c.caption }));
    const head = { run_id: model.id, kind: model.kind, title: model.title, subtitle: model.subtitle, status: model.status };
    if (args.chart !== undefined && !ids.includes(args.chart)) {
      throw new UserError(`run ${model.id} has no chart ${JSON.stringify(args.chart)}`, { field: 'chart', value: args.chart, expected: ids.length ? `one of ${ids.join(', ')}` : `nothing yet: the run is ${model.status}` });
    }
    if (args.format === 'vega') {
      // as many specs as fit in one result; the others are listed in `omitted` (fetch each with `chart`)
      const budget = ctx.app.config.limits.max_result_bytes - 20_000;
      const wanted = args.chart ? model.charts.filter((c) => c.id === args.chart) : model.charts;
      const charts: ChartSpec[] = [];
      const omitted: string[] = [];
      let used = 0;
      for (const c of wanted) {
        const size = JSON.stringify(c).length;
        if (used + size <= budget || (args.chart && charts.length === 0)) (charts.push(c), (used += size));
        else omitted.push(c.id);
      }
      const more = omitted.length ? ` Not included (too large together): ${omitted.join(', ')}; ask for each with chart.` : '';
      return { text: `${model.title}: ${charts.length} chart(s) as Vega-Lite specs (${charts.map((c) => c.id).join(', ')}).${more}`, data: { ...head, metrics: model.metrics, warnings: model.warnings, charts, omitted } };
    }
    const chart = model.charts.find((c) => c.id === (args.chart ?? ids[0]));
    if (!chart) return { text: `${model.title}: no charts (the run is ${model.status}).`, data: { ...head, charts: list } };
    const png = await chartPng(chart.spec, { maxBytes: MAX_PNG_BYTES });
    const others = ids.filter((i) => i !== chart.id);
    return {
      text: `${chart.title} — ${chart.caption} (${model.title}; PNG ${png.length} bytes).${others.length ? ` Other charts: ${others.join(', ')}.` : ''}`,
      data: { ...head, chart: chart.id, png_bytes: png.length, charts: list },
      images: [{ data: png.toString('base64'), mimeType: 'image/png' }],
    };
  },
});
