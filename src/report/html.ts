/**
 * Self-contained HTML for tradelab's reports and dashboard pages. `reportHtml` writes ONE file
 * with inline CSS, the inlined vega scripts (src/report/assets.ts), a header, the metrics table,
 * the warnings and one `<section data-chart-id>` per chart, embedded with vega-embed (SVG renderer,
 * vega-interpreter so no `unsafe-eval` is needed). A Content-Security-Policy meta tag forbids
 * every network load, so the page works offline and from file://. Every user string is escaped;
 * chart specs travel as JSON in `<script type="application/json">`.
 */
import { browserAssets, scriptTags } from './assets.js';
import type { ReportModel } from './types.js';

export interface PageOptions {
  /** Reload the page every N seconds (the dashboard, while a job runs). */
  readonly refreshSeconds?: number;
  /** Navigation links shown above the page header. */
  readonly links?: readonly { readonly label: string; readonly href: string }[];
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON for a `<script type="application/json">` block: `<` as \u003c so nothing can close the tag. */
export function jsonScriptContent(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** No network at all: inline scripts and styles only, data: images (vega may use them). */
export const PAGE_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export const PAGE_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa; --accent: #0969da; --warn-bg: #fff8c5; --warn-line: #d4a72c; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1100px; margin: 0 auto; }
nav.links { margin-bottom: 12px; display: flex; gap: 16px; flex-wrap: wrap; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
header.report { border-bottom: 1px solid var(--line); padding-bottom: 12px; margin-bottom: 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 0 0 4px; }
.subtitle { color: var(--muted); margin: 0; }
.status { display: inline-block; margin-top: 6px; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; background: var(--panel); border: 1px solid var(--line); }
.status-completed, .status-done, .status-ok, .status-succeeded { background: #dafbe1; border-color: #4ac26b; }
.status-running, .status-queued, .status-pending { background: #ddf4ff; border-color: #54aeff; }
.status-failed, .status-error, .status-cancelled { background: #ffebe9; border-color: #ff8182; }
table { border-collapse: collapse; margin: 0 0 16px; }
th, td { text-align: left; padding: 4px 12px 4px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.na { color: var(--muted); }
ul.warnings { background: var(--warn-bg); border: 1px solid var(--warn-line); border-radius: 6px; padding: 8px 8px 8px 28px; margin: 0 0 16px; }
section.chart { border: 1px solid var(--line); border-radius: 6px; padding: 12px; margin: 0 0 16px; }
.caption { color: var(--muted); margin: 0 0 8px; font-size: 13px; }
.chart-view { width: 100%; min-height: 40px; overflow-x: auto; }
.chart-error { color: #cf222e; white-space: pre-wrap; }
.empty { color: var(--muted); }
`;

function head(title: string, opts: PageOptions, extra = ''): string {
  const refresh = opts.refreshSeconds && opts.refreshSeconds > 0 ? `\n<meta http-equiv="refresh" content="${Math.max(1, Math.round(opts.refreshSeconds))}">` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(PAGE_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">${refresh}
<title>${escapeHtml(title)}</title>
<style>${PAGE_CSS}</style>${extra}
</head>`;
}

function nav(opts: PageOptions): string {
  if (!opts.links?.length) return '';
  const safe = (href: string) => (/^\s*(javascript|data|vbscript):/i.test(href) ? '#' : href);
  return `<nav class="links">${opts.links.map((l) => `<a href="${escapeHtml(safe(l.href))}">${escapeHtml(l.label)}</a>`).join('')}</nav>\n`;
}

/** A plain page (dashboard lists): same CSS and CSP as reports, no vega scripts. `bodyHtml` is trusted HTML. */
export function pageShell(title: string, bodyHtml: string, opts: PageOptions = {}): string {
  return `${head(title, opts)}
<body>
<main>
${nav(opts)}${bodyHtml}
</main>
</body>
</html>
`;
}

const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const FIXED2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const SIG3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/** A metric for display: null → "n/a", integers with grouping, ≥ 1 with 2 decimals, small values with 3 significant digits. */
export function formatMetric(value: number | string | null): string {
  if (value === null) return 'n/a';
  if (typeof value === 'string') return value;
  if (Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (Number.isInteger(value)) return INTEGER.format(value);
  if (Math.abs(value) >= 1) return FIXED2.format(value);
  return SIG3.format(value);
}

function metricsTable(metrics: ReportModel['metrics']): string {
  if (metrics.length === 0) return '';
  const rows = metrics.map((m) => {
    const cls = m.value === null || (typeof m.value === 'number' && Number.isNaN(m.value)) ? 'na' : typeof m.value === 'number' ? 'num' : 'text';
    return `<tr><th scope="row">${escapeHtml(m.label)}</th><td class="${cls}">${escapeHtml(formatMetric(m.value))}</td></tr>`;
  });
  return `<table class="metrics">\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>\n`;
}

function warningsList(warnings: readonly string[]): string {
  if (warnings.length === 0) return '';
  return `<ul class="warnings">\n${warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('\n')}\n</ul>\n`;
}

/** Embeds every chart section; marks each `data-chart-state` ok/error and the body `data-charts` done. */
const EMBED_SCRIPT = `
(function () {
  var sections = Array.prototype.slice.call(document.querySelectorAll('section[data-chart-id]'));
  var opts = { renderer: 'svg', actions: false, ast: true, expr: vegaInterpreter.expressionInterpreter };
  Promise.all(sections.map(function (section) {
    var view = section.querySelector('.chart-view');
    try {
      var spec = JSON.parse(section.querySelector('script[type="application/json"]').textContent);
      return vegaEmbed(view, spec, opts).then(function () { section.setAttribute('data-chart-state', 'ok'); }, function (err) { fail(section, view, err); });
    } catch (err) { fail(section, view, err); return null; }
  })).then(function () { document.body.setAttribute('data-charts', 'done'); });
  function fail(section, view, err) {
    section.setAttribute('data-chart-state', 'error');
    view.textContent = 'Chart failed to render: ' + (err && err.message ? err.message : String(err));
    view.className += ' chart-error';
    console.error('chart ' + section.getAttribute('data-chart-id') + ':', err);
  }
})();
`;

/** The report as one self-contained HTML document (about 0.85 MB of inlined vega). */
/** The section heading shows the chart's title; the spec's own title (kept for SVG/PNG) would repeat it. */
function withoutTitle(spec: Record<string, unknown>): Record<string, unknown> {
  const { title: _title, ...rest } = spec;
  return rest;
}

export function reportHtml(model: ReportModel, opts: PageOptions = {}): string {
  const charts = model.charts.map(
    (c) => `<section class="chart" data-chart-id="${escapeHtml(c.id)}">
<h2>${escapeHtml(c.title)}</h2>
<p class="caption">${escapeHtml(c.caption)}</p>
<div class="chart-view"></div>
<script type="application/json">${jsonScriptContent(withoutTitle(c.spec))}</script>
</section>`,
  );
  const body = `<header class="report">
<h1>${escapeHtml(model.title)}</h1>
${model.subtitle ? `<p class="subtitle">${escapeHtml(model.subtitle)}</p>\n` : ''}<span class="status status-${escapeHtml(model.status.toLowerCase().replace(/[^a-z0-9_-]+/g, '-'))}">${escapeHtml(model.status)}</span>
</header>
${metricsTable(model.metrics)}${warningsList(model.warnings)}${charts.length ? charts.join('\n') : '<p class="empty">No charts for this report.</p>'}`;
  return `${head(model.title, opts, '\n' + scriptTags(browserAssets().vegaScripts))}
<body data-report-kind="${escapeHtml(model.kind)}" data-report-id="${escapeHtml(model.id)}">
<main>
${nav(opts)}${body}
</main>
<script>${EMBED_SCRIPT}</script>
</body>
</html>
`;
}
