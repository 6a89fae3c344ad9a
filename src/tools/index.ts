/** The one registry of MCP tools. */
import { backtestTool } from './backtest.js';
import { backtestBatchTool } from './backtest-batch.js';
import { cancelRunTool } from './cancel-run.js';
import { checkBiasTool } from './check-bias.js';
import { championHistoryTool } from './champion-history.js';
import { championPromoteTool } from './champion-promote.js';
import { championRollbackTool } from './champion-rollback.js';
import { championStatusTool } from './champion-status.js';
import { defineStrategyTool } from './define-strategy.js';
import { deleteRunTool } from './delete-run.js';
import { getRunTool } from './get-run.js';
import { importCandlesTool } from './import-candles.js';
import { listDatasetsTool } from './list-datasets.js';
import { listRunsTool } from './list-runs.js';
import { listStrategiesTool } from './list-strategies.js';
import { optimizeTool } from './optimize.js';
import { serverInfoTool } from './server-info.js';
import { walkForwardTool } from './walk-forward.js';
import { analyzeResultsTool } from './analyze-results.js';
import { renderChartTool } from './render-chart.js';
import type { ToolDef } from './types.js';

/** Tools in listing order. Handlers are typed per tool; the registry sees the common shape. */
export const ALL_TOOLS: readonly ToolDef[] = [
  serverInfoTool,
  listStrategiesTool,
  listDatasetsTool,
  listRunsTool,
  getRunTool,
  analyzeResultsTool,
  renderChartTool,
  backtestTool,
  backtestBatchTool,
  optimizeTool,
  walkForwardTool,
  checkBiasTool,
  cancelRunTool,
  importCandlesTool,
  defineStrategyTool,
  deleteRunTool,
  championStatusTool,
  championHistoryTool,
  championPromoteTool,
  championRollbackTool,
] as unknown as readonly ToolDef[];
