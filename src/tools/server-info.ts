import { ENGINE_VERSION } from '../engine/version.js';
import { TIERS, defineTool } from './types.js';
import { SERVER_VERSION } from '../server/version.js';

export const serverInfoTool = defineTool({
  name: 'server_info',
  title: 'Server information',
  description: 'Mode (stdio/http), enabled tiers, per-call limits, versions and store location of this tradelab server.',
  tier: 'read',
  inputSchema: {},
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
      // what the candle cache holds now, against limits.candle_cache_mb
      candle_cache: ctx.app.candles.stats(),
      wait_seconds: ctx.app.config.wait_seconds,
      active_jobs: ctx.jobs.active(),
      node: process.version,
    };
    const t = ctx.transport;
    const how = t ? ` at ${t.url} (${t.remote ? 'remote' : 'local'}, ${t.auth === 'bearer' ? 'bearer-token auth' : 'no auth'})` : '';
    const text = `tradelab ${SERVER_VERSION} (engine ${ENGINE_VERSION}) over ${ctx.mode}${how}; tiers: ${tiers.join(', ')}; limits: ${Object.entries(ctx.app.config.limits)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}.`;
    return { text, data };
  },
});
