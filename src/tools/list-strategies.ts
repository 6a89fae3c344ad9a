import { z } from 'zod';
import { listStrategies } from '../engine/strategies/registry.js';
import { definitionOf, resolveStrategy } from '../research/strategies.js';
import { latestDefinitions } from '../storage/strategy-definitions.js';
import { brief } from './lines.js';
import { defineTool } from './types.js';
import { listStrategiesOutput } from './outputs/basic.js';

export const listStrategiesTool = defineTool({
  name: 'list_strategies',
  title: 'List strategies',
  description:
    'Built-in and defined strategies: params schema, defaults, default search space; `name`: one (a defined one with its document).',
  tier: 'read',
  inputSchema: {
    name: z.string().max(64).optional().describe('Only this strategy.'),
  },
  outputSchema: listStrategiesOutput,
  handler(args, ctx) {
    const db = ctx.app.db;
    const defs = args.name ? [resolveStrategy(args.name, db)] : [...listStrategies(), ...latestDefinitions(db).map((d) => resolveStrategy(d.name, db))];
    const strategies = defs.map((d) => {
      const ref = definitionOf(d);
      return {
        name: d.name,
        source: ref ? 'user' : 'built-in',
        ...(ref ? { version: ref.version, hash: ref.hash } : {}),
        description: d.description,
        defaults: d.params.parse({}),
        params_schema: z.toJSONSchema(d.params, { io: 'input', unrepresentable: 'any' }),
        default_space: d.defaultSpace,
        ...(ref && args.name ? { document: JSON.parse(ref.canonical) as unknown } : {}),
      };
    });
    const text = [
      `${strategies.length} strateg${strategies.length === 1 ? 'y' : 'ies'}:`,
      ...strategies.map((s) => `- ${s.name}${s.source === 'user' ? ` [user v${String(s.version)}]` : ''} (defaults ${brief(s.defaults, 300)}): ${s.description}`),
    ].join('\n');
    return { text, data: { strategies } };
  },
});
