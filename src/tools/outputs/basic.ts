/** Output schemas of the small tools: server_info, list_strategies, list_datasets, backtest, import_candles, cancel_run, delete_run. */
import { z } from 'zod';
import { anyObject, count, datasetRef, metrics, runStatus, strings, tier } from './common.js';

export const serverInfoOutput = z.looseObject({ version: z.string(), engine_version: z.string(), mode: z.enum(['stdio', 'http', 'in-process']), tiers: z.array(tier), limits: z.record(z.string(), z.number()) });

export const listStrategiesOutput = z.looseObject({ strategies: z.array(z.looseObject({ name: z.string() })) });

export const listDatasetsOutput = z.looseObject({ datasets: z.array(datasetRef), total: count });

export const backtestOutput = z.looseObject({
  run_id: z.string().nullable(),
  cached: z.boolean(),
  strategy: z.string(),
  params: anyObject,
  dataset: datasetRef,
  range: anyObject,
  metrics,
  trades: count,
  warnings: strings,
});

export const importCandlesOutput = z.looseObject({ created: z.boolean(), dataset: datasetRef, warnings: strings });

export const cancelRunOutput = z.looseObject({ run_id: z.string(), cancelled: z.boolean(), status: runStatus });

export const deleteRunOutput = z.looseObject({ run_id: z.string(), deleted: z.literal(true) });

export const defineStrategyOutput = z.looseObject({
  valid: z.boolean(),
  name: z.string().optional(),
  version: z.number().nullable().optional(),
  hash: z.string().optional(),
  // path, line, column, token, message of each error
  errors: z.array(anyObject).optional(),
});

export const renderChartOutput = z.looseObject({
  run_id: z.string(),
  kind: z.string(),
  title: z.string(),
  charts: z.array(z.looseObject({ id: z.string(), title: z.string(), caption: z.string() })),
});
