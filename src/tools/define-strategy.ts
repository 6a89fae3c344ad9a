import { z } from 'zod';
import { formatLangError } from '../engine/strategies/lang/index.js';
import { defineStrategy } from '../research/define-strategy.js';
import { StrategyDefinitionError } from '../research/strategies.js';
import { brief } from './lines.js';
import { defineStrategyOutput } from './outputs/basic.js';
import { defaultsTo } from '../research/listing.js';
import { defineTool } from './types.js';

export const defineStrategyTool = defineTool({
  name: 'define_strategy',
  title: 'Define a strategy',
  description:
    'Stores a strategy-language document (YAML/JSON) as a new version after compiling and bias-checking it; dry_run only checks. Then use its name as strategy.',
  doc:
    'The language is described by the write_strategy prompt (docs/strategy-language.md). The document is compiled and checked on the demo data: look-ahead is refused, a too-short warm-up is warned. ' +
    'Versions are content-hashed: the same document again is a no-op. Errors give the path, line, column and token, and what is accepted there. ' +
    'The stored strategy is listed by list_strategies and used by name in backtest, optimize, walk_forward and backtest_batch (an inline document works there too, without storing).',
  tier: 'write',
  inputSchema: {
    definition: z
      .union([z.string().min(1).max(100_000), z.record(z.string(), z.unknown())])
      .describe('YAML or JSON text, or an object.'),
    dry_run: defaultsTo(z.boolean().optional(), false).describe('Check only.'),
  },
  outputSchema: defineStrategyOutput,
  annotations: { idempotentHint: true, destructiveHint: false },
  handler(args, ctx) {
    try {
      const r = defineStrategy(ctx.app, { definition: args.definition, dry_run: args.dry_run, by: `mcp:${ctx.clientId}` });
      const what = r.dry_run ? `Valid (dry run, not stored): ${r.name}` : r.created ? `Stored ${r.name} v${r.version}` : `Unchanged: ${r.name} v${r.version} already holds this document`;
      const text =
        `${what}, hash ${r.hash.slice(0, 12)}; defaults ${brief(r.params, 300)}; search space ${Object.keys(r.default_space).join(', ') || '(none)'}; warm-up ${r.warmup} bars; ` +
        `bias check: ${r.bias ? `${r.bias.verdict} on ${r.bias.dataset}` : 'not run'}.` +
        (r.warnings.length ? ` Warnings: ${r.warnings.join(' | ')}.` : '') +
        (r.dry_run ? '' : ` Use it as {"strategy": "${r.name}"}.`);
      return { text, data: { valid: true, ...r } };
    } catch (e) {
      if (!(e instanceof StrategyDefinitionError)) throw e;
      const text = `define_strategy: the definition has ${e.errors.length} error(s); nothing was stored:\n${e.errors.map((x) => `- ${formatLangError(x)}`).join('\n')}`;
      return { text, data: { valid: false, errors: e.errors }, isError: true };
    }
  },
});
