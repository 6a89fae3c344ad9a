/**
 * The execution spec as accepted from users (tool input, CLI flags, job files): validated
 * once with zod, defaults filled, then passed down frozen to the engine.
 */
import { z } from 'zod';
import { DEFAULT_EXECUTION, DIRECTIONS, PROFILES, type ExecutionSpec } from '../engine/backtest/types.js';
import { UserError, zodIssuesText } from './errors.js';

const fraction = (what: string) => z.number().gt(0).lt(1).describe(what);

export const executionInputSchema = z
  .object({
    cash: z.number().gt(0).max(1e15).optional().describe('Starting cash (default 10000).'),
    commission: z.number().min(0).max(0.1).optional().describe('Fee as a fraction of traded notional per side, e.g. 0.001 = 10 bps (default 0).'),
    fixed_fee: z.number().min(0).max(1e9).optional().describe('Fixed fee per filled order in cash units (default 0).'),
    slippage_bps: z.number().min(0).max(1000).optional().describe('Slippage against the trader in basis points, default profile only (default 0).'),
    fraction: z.number().gt(0).max(1).optional().describe('Fraction of equity per entry when the strategy gives no size (default 1 = all in).'),
    units: z.number().gt(0).max(1e12).nullable().optional().describe('Fixed units per entry instead of a fraction of equity.'),
    whole_units: z.boolean().optional().describe('Trade whole units only (always true in the backtesting.py profile).'),
    stop_loss: fraction('Stop-loss distance as a fraction of the reference price, e.g. 0.05.').nullable().optional(),
    take_profit: z.number().gt(0).max(100).nullable().optional().describe('Take-profit distance as a fraction of the reference price, e.g. 0.1.'),
    trailing_stop: fraction('Trailing-stop distance as a fraction, e.g. 0.03.').nullable().optional(),
    max_hold_bars: z.number().int().min(1).max(10_000_000).nullable().optional().describe('Close a trade after this many bars.'),
    direction: z.enum(DIRECTIONS).optional().describe('Allowed sides when the strategy has no `direction` param (default long_short).'),
    finalize_trades: z.boolean().optional().describe('Close a trade still open at the end (default false: reported as open).'),
    profile: z.enum(PROFILES).optional().describe("Execution profile: 'default' or 'backtesting.py' (reproduces backtesting.py 0.6.6)."),
    risk_free_rate: z.number().min(-0.5).max(1).optional().describe('Annual risk-free rate as a fraction (default 0).'),
    min_trades: z.number().int().min(0).max(100_000).optional().describe('Below this many trades the score is guarded (default 10).'),
  })
  .strict();

export type ExecutionInput = z.infer<typeof executionInputSchema>;

/** Validates and fills defaults. Throws a UserError naming the field on bad input. */
export function resolveExecution(input: unknown, field = 'execution'): ExecutionSpec {
  const parsed = executionInputSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new UserError(`invalid ${field}: ${zodIssuesText(parsed.error.issues, field)}`, {
      field,
      value: input,
      expected: 'an object with keys ' + Object.keys(executionInputSchema.shape).join(', '),
    });
  }
  const spec: ExecutionSpec = { ...DEFAULT_EXECUTION };
  for (const [k, v] of Object.entries(parsed.data)) {
    if (v !== undefined) (spec as unknown as Record<string, unknown>)[k] = v;
  }
  if (spec.profile === 'backtesting.py') (spec as { whole_units: boolean }).whole_units = true;
  return Object.freeze(spec);
}
