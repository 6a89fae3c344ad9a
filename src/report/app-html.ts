/**
 * The MCP App page (`ui://tradelab/report.html`, mime `text/html;profile=mcp-app`): one HTML file
 * with the MCP Apps client (`globalThis.McpApps`) and vega inlined, but no run data. On a tool
 * result it takes the run id (`structuredContent.run_id`, or the first of `run_ids` for
 * analyze_results), asks the server through the host for `render_chart {run_id, format: 'vega'}`
 * and draws the title, metrics, warnings and every chart (vega-embed, SVG, CSP-safe interpreter).
 * Size changes reach the host through the App's autoResize (`ui/notifications/size-changed`).
 */
import { browserAssets, scriptTags } from './assets.js';
import { escapeHtml, PAGE_CSP, PAGE_CSS } from './html.js';

const APP_CSS = `
body { padding: 12px; }
html[data-theme="dark"] { color-scheme: dark; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --bg: #0d1117; --panel: #151b23; --accent: #4493f8; --warn-bg: #272115; --warn-line: #9e6a03; }
html[data-theme="dark"] .status-completed, html[data-theme="dark"] .status-running, html[data-theme="dark"] .status-failed { background: var(--panel); }
#message { margin: 8px 0; }
#message.error { color: #cf222e; }
`;

/** Runs in the page: classic script, no eval, DOM built with textContent only. */
const APP_SCRIPT = `
(function () {
  'use strict';
  var M = globalThis.McpApps;
  var root = document.getElementById('report');
  var message = document.getElementById('message');
  var seq = 0;
  var theme = 'light';

  function show(text, kind) {
    message.textContent = text;
    message.className = kind || '';
    message.hidden = false;
    document.body.setAttribute('data-state', kind === 'error' ? 'error' : 'message');
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function textOf(result) {
    var parts = (result && Array.isArray(result.content) ? result.content : []).filter(function (c) { return c && c.type === 'text'; });
    return parts.map(function (c) { return c.text; }).join(' ').slice(0, 500);
  }
  function runIdOf(sc) {
    if (!sc || typeof sc !== 'object') return null;
    if (typeof sc.run_id === 'string' && sc.run_id) return sc.run_id;
    // analyze_results: one run (subject.run_id), or a comparison (the best-ranked run)
    if (sc.subject && typeof sc.subject.run_id === 'string' && sc.subject.run_id) return sc.subject.run_id;
    if (Array.isArray(sc.ranking) && sc.ranking[0] && typeof sc.ranking[0].run_id === 'string') return sc.ranking[0].run_id;
    if (Array.isArray(sc.run_ids) && typeof sc.run_ids[0] === 'string' && sc.run_ids[0]) return sc.run_ids[0];
    return null;
  }
  var INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  var FIX2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
  var SIG3 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
  function fmt(v) {
    if (v === null || v === undefined || (typeof v === 'number' && isNaN(v))) return 'n/a';
    if (typeof v !== 'number') return String(v);
    if (!isFinite(v)) return v > 0 ? '\\u221e' : '\\u2212\\u221e';
    if (Number.isInteger(v)) return INT.format(v);
    return Math.abs(v) >= 1 ? FIX2.format(v) : SIG3.format(v);
  }

  function render(model) {
    root.textContent = '';
    var header = el('header', 'report');
    header.appendChild(el('h1', '', model.title || 'tradelab report'));
    if (model.subtitle) header.appendChild(el('p', 'subtitle', model.subtitle));
    if (model.status) header.appendChild(el('span', 'status status-' + String(model.status).toLowerCase().replace(/[^a-z0-9_-]+/g, '-'), model.status));
    root.appendChild(header);
    var metrics = Array.isArray(model.metrics) ? model.metrics : [];
    if (metrics.length) {
      var table = el('table', 'metrics'), tbody = el('tbody');
      metrics.forEach(function (m) {
        var tr = el('tr');
        var th = el('th', '', m.label); th.scope = 'row';
        var na = m.value === null || m.value === undefined;
        tr.appendChild(th);
        tr.appendChild(el('td', na ? 'na' : typeof m.value === 'number' ? 'num' : 'text', fmt(m.value)));
        tbody.appendChild(tr);
      });
      table.appendChild(tbody);
      root.appendChild(table);
    }
    var warnings = Array.isArray(model.warnings) ? model.warnings : [];
    if (warnings.length) {
      var ul = el('ul', 'warnings');
      warnings.forEach(function (w) { ul.appendChild(el('li', '', w)); });
      root.appendChild(ul);
    }
    var charts = Array.isArray(model.charts) ? model.charts : [];
    if (!charts.length) root.appendChild(el('p', 'empty', 'No charts for this run.'));
    var opts = { renderer: 'svg', actions: false, ast: true, expr: vegaInterpreter.expressionInterpreter };
    if (theme === 'dark') opts.theme = 'dark';
    return Promise.all(charts.map(function (c) {
      var section = el('section', 'chart');
      section.setAttribute('data-chart-id', String(c.id));
      section.appendChild(el('h2', '', c.title));
      if (c.caption) section.appendChild(el('p', 'caption', c.caption));
      var view = el('div', 'chart-view');
      section.appendChild(view);
      root.appendChild(section);
      var spec = Object.assign({}, c.spec);
      delete spec.title; // the heading above shows it
      return vegaEmbed(view, spec, opts).then(function () {
        section.setAttribute('data-chart-state', 'ok');
      }, function (err) {
        section.setAttribute('data-chart-state', 'error');
        view.className += ' chart-error';
        view.textContent = 'Chart failed to render: ' + (err && err.message ? err.message : String(err));
        console.error('chart ' + c.id + ':', err);
      });
    }));
  }

  function load(result) {
    var mine = ++seq;
    root.textContent = '';
    if (result && result.isError) return show('The tool call failed, so there is no report to show.' + (textOf(result) ? ' ' + textOf(result) : ''), 'error');
    var runId = runIdOf(result && result.structuredContent);
    if (!runId) return show('This result has no run_id, so there is no report to chart.', 'error');
    show('Loading charts for run ' + runId + '\\u2026', 'loading');
    document.body.setAttribute('data-run-id', runId);
    var sc = result && result.structuredContent;
    // a deep analysis shows its analysis charts too (Monte Carlo fan, monthly, costs, DSR/PBO)
    var args = sc && sc.depth === 'deep' ? { run_id: runId, format: 'vega', deep: true } : { run_id: runId, format: 'vega' };
    app.callServerTool({ name: 'render_chart', arguments: args }).then(function (res) {
      if (mine !== seq) return;
      if (!res || res.isError) return show('render_chart failed for run ' + runId + '.' + (textOf(res) ? ' ' + textOf(res) : ''), 'error');
      var model = res.structuredContent;
      if (!model || typeof model !== 'object') return show('render_chart returned no report for run ' + runId + '.', 'error');
      // charts too large to share one result are listed in 'omitted': fetch each on its own
      var omitted = Array.isArray(model.omitted) ? model.omitted : [];
      return omitted.reduce(function (p, id) {
        return p.then(function () {
          return app.callServerTool({ name: 'render_chart', arguments: Object.assign({}, args, { chart: id }) }).then(function (r) {
            var more = r && !r.isError && r.structuredContent && Array.isArray(r.structuredContent.charts) ? r.structuredContent.charts : null;
            if (more) model.charts = (model.charts || []).concat(more);
            else model.warnings = (model.warnings || []).concat(['chart ' + id + ' could not be loaded' + (textOf(r) ? ': ' + textOf(r) : '')]);
          });
        });
      }, Promise.resolve()).then(function () {
        if (mine !== seq) return;
        message.hidden = true;
        return render(model).then(function () { if (mine === seq) document.body.setAttribute('data-state', 'done'); });
      });
    }).catch(function (err) {
      if (mine === seq) show('Could not load charts for run ' + runId + ': ' + (err && err.message ? err.message : String(err)), 'error');
    });
  }

  var app = new M.App({ name: 'tradelab-report', version: '1.0.0' }, {}, { autoResize: true });
  // handlers before connect(): the host may send the result right after the handshake
  app.ontoolresult = load;
  app.ontoolcancelled = function (p) { seq++; show('The tool call was cancelled' + (p && p.reason ? ': ' + p.reason : '.'), 'error'); };
  app.onhostcontextchanged = function (ctx) { if (ctx && ctx.theme) { theme = ctx.theme; M.applyDocumentTheme(ctx.theme); } };
  app.connect().then(function () {
    var ctx = app.getHostContext();
    if (ctx && ctx.theme) { theme = ctx.theme; M.applyDocumentTheme(ctx.theme); }
    document.body.setAttribute('data-connected', 'true');
  }, function (err) {
    show('Could not connect to the MCP host: ' + (err && err.message ? err.message : String(err)), 'error');
  });
})();
`;

let cached: string | undefined;

/** The MCP App HTML (built once; ~1.2 MB, all of it library code — run data comes via render_chart). */
export function appHtml(): string {
  if (cached) return cached;
  const assets = browserAssets();
  cached = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(PAGE_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tradelab report</title>
<style>${PAGE_CSS}${APP_CSS}</style>
${scriptTags([...assets.vegaScripts, assets.mcpApps])}
</head>
<body data-state="waiting">
<main>
<p id="message">Waiting for a tradelab tool result\u2026</p>
<div id="report"></div>
</main>
<script>${APP_SCRIPT}</script>
</body>
</html>
`;
  return cached;
}
