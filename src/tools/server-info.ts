import { ENGINE_VERSION } from '../engine/version.js';
import { TIERS, defineTool, type TransportInfo } from './types.js';
import { SERVER_VERSION } from '../server/version.js';
import { serverInfoOutput } from './outputs/basic.js';
import { MAX_CSV_CHARS } from './import-candles.js';
import { formatBytes, storeUsage, type StoreSize } from '../research/store-size.js';

export const serverInfoTool = defineTool({
  name: 'server_info',
  title: 'Server info',
  description:
    'Mode, transport, enabled tiers, per-call limits, versions, store size.',
  tier: 'read',
  inputSchema: {},
  outputSchema: serverInfoOutput,
  handler(_args, ctx) {
    const tiers = TIERS.filter((t) => ctx.tiers.has(t));
    const data = {
      server: 'tradelab',
      version: SERVER_VERSION,
      engine_version: ENGINE_VERSION,
      mode: ctx.mode,
      transport: ctx.transport ?? null,
      tiers,
      disabled_tiers: TIERS.filter((t) => !ctx.tiers.has(t)),
      limits: ctx.app.config.limits,
      /** max_body_bytes bounds one HTTP request body and one stdio message alike. */
      import_csv_max_chars: MAX_CSV_CHARS,
      // what the candle cache holds now, against limits.candle_cache_mb
      candle_cache: ctx.app.candles.stats(),
      wait_seconds: ctx.app.config.wait_seconds,
      active_jobs: ctx.jobs.active(),
      store: storeUsage(ctx.app),
      node: process.version,
    };
    const t = ctx.transport;
    const how = t ? ` at ${t.url} (${t.remote ? 'remote' : 'local'}, ${authText(t)})` : '';
    const text = `tradelab ${SERVER_VERSION} (engine ${ENGINE_VERSION}) over ${ctx.mode}${how}; tiers: ${tiers.join(', ')}; limits: ${Object.entries(ctx.app.config.limits)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')} (max_body_bytes: one HTTP body or stdio message); import_candles csv up to ${MAX_CSV_CHARS} characters; store: ${storeText(data.store)}.`;
    return { text, data };
  },
});

/** How an HTTP transport authenticates, in words. */
export function authText(t: TransportInfo): string {
  if (t.auth === 'oauth') return `OAuth 2.1, tokens for ${t.oauth?.resource ?? '?'} from ${t.oauth?.authorization_server ?? '?'}`;
  return t.auth === 'bearer' ? 'bearer-token auth' : 'no auth';
}

function storeText(s: StoreSize): string {
  if (s.engine === 'postgres') return `PostgreSQL database, ${formatBytes(s.database_bytes)}`;
  const used = `${formatBytes(s.used_bytes)} in use, ${s.free_pages} free page(s) of ${formatBytes(s.page_size)}`;
  if (s.in_memory) return `in memory (nothing on disk), ${used}`;
  return `${formatBytes(s.file_bytes ?? 0)} file + ${formatBytes(s.wal_bytes ?? 0)} write-ahead log, ${used}`;
}
