/**
 * The read-only dashboard served by `serve --http` at `/` (in the spirit of optuna-dashboard):
 * datasets, runs, studies and champions, and a report page per run (every chart, metrics,
 * warnings) that refreshes itself while the run is queued or running. It only reads the
 * store. The HTTP layer applies the same Host/Origin checks as for /mcp before calling it;
 * with a token, a browser proves it once with `?token=…` (kept in an HttpOnly, SameSite=Strict
 * cookie) or sends `Authorization: Bearer …`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../research/app.js';
import { UserError } from '../research/errors.js';
import { escapeHtml, pageShell, reportHtml } from '../report/html.js';
import { buildReport } from '../report/model/index.js';
import { listCurrentChampions } from '../storage/champions.js';
import { listDatasets } from '../storage/datasets.js';
import { listRuns, type RunRow } from '../storage/runs.js';
import { proveOwner } from './owner-session.js';

const REFRESH_SECONDS = 3;
const e = escapeHtml;

function send(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', ...headers });
  res.end(html);
}

const when = (t: number | null): string => (t === null ? '' : new Date(t).toISOString().replace('T', ' ').slice(0, 19));

function runRow(r: RunRow): string {
  const s = r.summary ?? {};
  const figure = ['sharpe', 'return_pct', 'trades'].filter((k) => typeof s[k] === 'number').map((k) => `${k} ${(s[k] as number).toFixed(k === 'trades' ? 0 : 2)}`).join(', ');
  return `<tr><td><a href="/runs/${encodeURIComponent(r.id)}">${e(r.id)}</a></td><td>${e(r.kind)}</td><td>${e(r.status)}</td><td>${e(r.strategy ?? '')}</td><td>${e(when(r.created_at))}</td><td>${e(figure)}</td></tr>`;
}

function table(head: string[], rows: string[], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${e(empty)}</p>`;
  return `<table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function indexPage(app: App, offset: number): string {
  const datasets = listDatasets(app.db).map(
    (d) => `<tr><td>${d.id}</td><td>${e(d.symbol)}</td><td>${e(d.timeframe)}</td><td>v${d.version}</td><td>${d.rows}</td><td>${e(when(d.first_time))} … ${e(when(d.last_time))}</td><td>${d.is_synthetic ? 'synthetic' : ''}</td></tr>`,
  );
  const page = listRuns(app.db, { limit: 50, offset });
  const studies = new Map<string, RunRow>();
  for (const r of listRuns(app.db, { kind: 'optimize', limit: 500, offset: 0 }).runs) {
    const name = (r.summary?.study_name ?? r.spec.study_name) as string | undefined;
    if (name && !studies.has(name)) studies.set(name, r);
  }
  const champions = listCurrentChampions(app.db, {}, 200, 0).champions.map(
    (c) => `<tr><td><a href="/champions/${[c.strategy, c.symbol, c.timeframe].map(encodeURIComponent).join('/')}">${e(c.strategy)}</a></td><td>${e(c.symbol)}</td><td>${e(c.timeframe)}</td><td>v${c.version}</td><td>${e(JSON.stringify(c.params))}</td><td>${e(when(c.promoted_at))}</td></tr>`,
  );
  const more = page.total > offset + page.runs.length ? `<p><a href="/?offset=${offset + 50}">older runs →</a></p>` : '';
  const body = [
    `<h2>Runs (${page.total})</h2>`,
    table(['run', 'kind', 'status', 'strategy', 'created (UTC)', 'key figures'], page.runs.map(runRow), 'No runs yet.'),
    more,
    `<h2>Studies (${studies.size})</h2>`,
    table(['study', 'strategy', 'status', 'latest run'], [...studies].map(([n, r]) => `<tr><td><a href="/studies/${encodeURIComponent(n)}">${e(n)}</a></td><td>${e(r.strategy ?? '')}</td><td>${e(r.status)}</td><td>${e(r.id)}</td></tr>`), 'No studies yet.'),
    `<h2>Champions (${champions.length})</h2>`,
    table(['strategy', 'symbol', 'timeframe', 'version', 'params', 'promoted (UTC)'], champions, 'No champions yet.'),
    `<h2>Datasets (${datasets.length})</h2>`,
    table(['id', 'symbol', 'timeframe', 'version', 'bars', 'range (UTC)', ''], datasets, 'No datasets.'),
  ].join('\n');
  return pageShell('tradelab dashboard', `<p class="subtitle">Read-only view of this store; pages of running jobs refresh themselves.</p>\n${body}`);
}

function reportPage(app: App, id: string, deep: boolean): string {
  const model = buildReport(app, id, { deep });
  const running = model.status === 'queued' || model.status === 'running';
  return reportHtml(model, { refreshSeconds: running ? REFRESH_SECONDS : undefined, links: [{ label: '← dashboard', href: '/' }] });
}

/** Handles GET requests for the dashboard (any path but /mcp); returns after answering. */
export function serveDashboard(app: App, token: string | null, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const route = parts.length === 0 ? 'index' : parts[0] === 'runs' && parts.length === 2 ? 'run' : parts[0] === 'studies' && parts.length === 2 ? 'study' : parts[0] === 'champions' && parts.length === 4 ? 'champion' : null;
  if (route === null) return send(res, 404, pageShell('Not found', `<p>No page ${e(url.pathname)}. tradelab serves MCP at POST /mcp, and a read-only dashboard at <a href="/">/</a>.</p>`));
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, pageShell('Method not allowed', '<p>The dashboard is read-only: GET only.</p>'), { Allow: 'GET, HEAD' });
  if (token !== null) {
    const proof = proveOwner(req, url, token);
    if (proof.kind === 'wrong') return send(res, 401, pageShell('Unauthorized', '<p>Wrong token.</p>'));
    if (proof.kind === 'remember') return send(res, 303, '', { Location: proof.location, 'Set-Cookie': proof.cookie });
    if (proof.kind === 'absent') return send(res, 401, pageShell('Unauthorized', '<p>This server needs its token: open the dashboard once with <code>?token=…</code> (the token the server was started with), or send <code>Authorization: Bearer …</code>.</p>'), { 'WWW-Authenticate': 'Bearer realm="tradelab"' });
  }
  const deep = url.searchParams.get('deep') === '1';
  try {
    if (route === 'index') return send(res, 200, indexPage(app, Math.max(0, Number(url.searchParams.get('offset')) || 0)));
    if (route === 'champion') return send(res, 200, reportPage(app, `champion:${parts[1]}/${parts[2]}/${parts[3]}`, false));
    return send(res, 200, reportPage(app, parts[1], deep));
  } catch (err) {
    if (err instanceof UserError) return send(res, 404, pageShell('Not found', `<p>${e(err.message)}</p><p><a href="/">← dashboard</a></p>`));
    return send(res, 500, pageShell('Error', `<p>${e((err as Error).message)}</p>`));
  }
}
