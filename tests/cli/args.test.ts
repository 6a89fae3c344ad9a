/** Strict command-line flags: unknown flags and stray arguments are errors with a suggestion. */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/cli/args.js';
import { championCommand } from '../../src/cli/champion.js';
import { UserError } from '../../src/research/errors.js';

function errorOf(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('no error');
}

const OPTIONS = { strategy: { type: 'string' }, commission: { type: 'string' }, 'slippage-bps': { type: 'string' }, json: { type: 'boolean' } } as const;

describe('CLI flags', () => {
  it('an unknown flag names itself, suggests the closest flag and lists the accepted ones', () => {
    const e = errorOf(() => parse(['--strategy', 'sma_cross', '--comission', '0.1'], OPTIONS, 'backtest'));
    expect(e.message).toBe('backtest: unknown flag --comission; did you mean --commission?');
    expect(e.detail.field).toBe('--comission');
    expect(e.detail.expected).toBe('one of --strategy, --commission, --slippage-bps, --json, --help');
    expect(errorOf(() => parse(['--slippage', '5'], OPTIONS, 'backtest')).message).toMatch(/did you mean --slippage-bps\?/);
    expect(errorOf(() => parse(['--zzzzzz'], OPTIONS, 'backtest')).message).toBe('backtest: unknown flag --zzzzzz');
    expect(errorOf(() => parse(['-q'], OPTIONS, 'backtest')).message).toBe('backtest: unknown flag -q');
  });

  it('a stray argument is refused unless the command takes one', () => {
    expect(errorOf(() => parse(['--strategy', 's', 'start_date=2024-01-01'], OPTIONS, 'backtest')).message).toBe('backtest: unexpected argument "start_date=2024-01-01"');
    expect(parse(['job.yaml', '--json'], OPTIONS, 'optimize', 1).positionals).toEqual(['job.yaml']);
    expect(errorOf(() => parse(['job.yaml', 'other.yaml'], OPTIONS, 'optimize', 1)).message).toBe('optimize: unexpected argument "other.yaml"');
    expect(parse(['a', 'b', 'c'], OPTIONS, 'analyze', Infinity).positionals).toEqual(['a', 'b', 'c']);
    // --help wins over stray arguments
    expect(parse(['x', '--help'], OPTIONS, 'backtest').values.help).toBe(true);
  });

  it('champion: a flag of another subcommand is refused, not ignored', async () => {
    await expect(championCommand(['status', '--reason', 'why'])).rejects.toThrow(/champion status: --reason does not apply to status/);
    await expect(championCommand(['history', '--run', 'bt_1'])).rejects.toThrow(/--run does not apply to history/);
    await expect(championCommand(['promote', '--rnu', 'bt_1'])).rejects.toThrow(/unknown flag --rnu; did you mean --run\?/);
  });
});
