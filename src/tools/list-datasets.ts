import { z } from 'zod';
import { storedDatasets } from '../research/datasets.js';
import { datasetView } from './format.js';
import { defineTool } from './types.js';
import { listDatasetsOutput } from './outputs/basic.js';

export const listDatasetsTool = defineTool({
  name: 'list_datasets',
  title: 'List datasets',
  description:
    'Stored candle datasets (id, symbol, timeframe, version, bars, range); import more with import_candles.',
  tier: 'read',
  inputSchema: {
    symbol: z.string().max(64).optional().describe('Case-insensitive.'),
  },
  outputSchema: listDatasetsOutput,
  handler(args, ctx) {
    const rows = storedDatasets(ctx.app, args.symbol);
    const datasets = rows.map((d) => datasetView(d, ctx.app));
    const text = datasets.length
      ? [`${datasets.length} dataset(s):`, ...datasets.map((d) => `- #${d.id} ${d.symbol} ${d.timeframe} v${d.version}: ${d.bars} bars ${d.first} … ${d.last}${d.synthetic ? ' [synthetic]' : ''}`)].join('\n')
      : 'No datasets. Import one with import_candles.';
    return { text, data: { datasets, total: datasets.length } };
  },
});
