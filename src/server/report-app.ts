/**
 * The MCP App (MCP Apps extension, @modelcontextprotocol/ext-apps) that renders a run's
 * charts inline in hosts that support apps: one `ui://` HTML resource, linked from the result
 * tools (backtest, optimize, walk_forward, backtest_batch, analyze_results) through their
 * `_meta`. The page loads the charts with the read-tier tool render_chart (format "vega"),
 * so a tool result never carries chart data itself.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { RESOURCE_MIME_TYPE, registerAppResource } from '@modelcontextprotocol/ext-apps/server';
import { appHtml } from '../report/app-html.js';

export const REPORT_APP_URI = 'ui://tradelab/report.html';

/**
 * The `_meta` of a tool whose result the report app renders: `ui.resourceUri`, the form of the
 * stable MCP Apps spec. (ext-apps' registerAppTool also writes the deprecated flat key
 * `ui/resourceUri` for older hosts; left out to keep tools/list within its token budget.)
 */
export const REPORT_APP_META: Record<string, unknown> = { ui: { resourceUri: REPORT_APP_URI } };

export function registerReportApp(server: McpServer): void {
  registerAppResource(server, 'tradelab report', REPORT_APP_URI, { description: 'Charts of a tradelab run (loaded with render_chart).' }, async () => ({
    contents: [{ uri: REPORT_APP_URI, mimeType: RESOURCE_MIME_TYPE, text: appHtml() }],
  }));
}
