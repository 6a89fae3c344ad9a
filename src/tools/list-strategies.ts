import { z } from 'zod';
import { listStrategies } from '../engine/strategies/registry.js';
import { resolveStrategy } from '../research/strategy-params.js';
import { brief } from './lines.js';
import { defineTool } from './types.js';
import { listStrategiesOutput } from './outputs/basic.js';

export const listStrategiesTool = defineTool({
  name: 'list_strategies',
  title: 'List strategies',
  description: 'The built-in strategies with their parameter schema (types, bounds, descriptions), defaults and default search space.',
  tier: 'read',
  inputSchema: {
    name: z.string().max(64).optional().describe('Only this strategy.'),
  },
  outputSchema: listStrategiesOutput,
  handler(args) {
    const defs = args.name ? [resolveStrategy(args.name)] : listStrategies();
    const strategies = defs.map((d) => ({
      name: d.name,
      description: d.description,
      defaults: d.params.parse({}),
      params_schema: z.toJSONSchema(d.params, { io: 'input', unrepresentable: 'any' }),
      default_space: d.defaultSpace,
    }));
    const text = [`${strategies.length} strateg${strategies.length === 1 ? 'y' : 'ies'}:`, ...strategies.map((s) => `- ${s.name} (defaults ${brief(s.defaults, 300)}): ${s.description}`)].join('\n');
    return { text, data: { strategies } };
  },
});
