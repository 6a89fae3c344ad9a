/**
 * The server's instructions name only tools the server offers: the typical flow follows the
 * enabled tiers (read-only, compute, compute + write as `npm start` serves locally).
 */
import { describe, expect, it } from 'vitest';
import type { Tier } from '../../src/tools/types.js';
import { harness } from '../helpers/mcp.js';

const TOOL = /\b(list_datasets|list_strategies|list_runs|get_run|import_candles|define_strategy|backtest|optimize|walk_forward|analyze_results|champion_promote)\b/g;

describe('server instructions', () => {
  for (const [tiers, has, lacks] of [
    [['read'], ['analyze_results'], ['backtest', 'champion_promote', 'import_candles']],
    [['read', 'compute'], ['backtest', 'walk_forward'], ['champion_promote', 'import_candles']],
    [['read', 'compute', 'write'], ['import_candles', 'define_strategy', 'champion_promote'], []],
  ] as [Tier[], string[], string[]][]) {
    it(`tiers ${tiers.join('+')}: the typical flow uses only offered tools`, async () => {
      const h = await harness({ tiers });
      try {
        const text = h.client.getInstructions() ?? '';
        const flow = /Typical flow: ([^\n]*)/.exec(text)?.[1] ?? '';
        const named = [...new Set(flow.match(TOOL) ?? [])];
        const offered = (await h.client.listTools()).tools.map((t) => t.name);
        for (const n of named.filter((x) => !flow.includes(`${x} need`))) expect(offered, n).toContain(n);
        for (const n of has) expect(flow, n).toContain(n);
        for (const n of lacks) expect(named.includes(n) && offered.includes(n), n).toBe(false);
      } finally {
        await h.close();
      }
    });
  }
});
