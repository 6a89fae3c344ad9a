/** Small helpers over node:util parseArgs for the CLI commands. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestName } from '../engine/strategies/suggest.js';
import { UserError } from '../research/errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses flags strictly: an unknown flag is an error (with a "did you mean"), and so is a
 * bare argument beyond the `maxPositionals` the command takes (e.g. `start_date=2024-01-01`
 * typed without `--`).
 */
export function parse(argv: string[], options: Options, command: string, maxPositionals = 0): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  let r: ReturnType<typeof parseArgs>;
  try {
    r = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw argsError(command, e, options);
  }
  if (r.positionals.length > maxPositionals && !r.values.help) {
    const extra = r.positionals[maxPositionals];
    throw new UserError(`${command}: unexpected argument ${JSON.stringify(extra)}`, {
      field: extra,
      expected: maxPositionals === 0 ? 'flags only (--name value)' : `at most ${maxPositionals} argument${maxPositionals > 1 ? 's' : ''} besides the flags`,
      hint: `run \`tradelab ${command} --help\``,
    });
  }
  return { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
}

/**
 * A parseArgs failure as a UserError; an unknown flag gets a "did you mean" and the list of
 * the command's flags.
 */
export function argsError(command: string, e: unknown, options: Options): UserError {
  const msg = (e as Error).message;
  const unknown = (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /option '(-{1,2}[^'=]+)/.exec(msg)?.[1] : undefined;
  const hint = `run \`tradelab ${command} --help\``;
  if (unknown === undefined) return new UserError(`${command}: ${msg}`, { hint });
  const flags = [...Object.keys(options).filter((k) => k !== 'help'), 'help'];
  const name = unknown.replace(/^-+/, '');
  const guess = name.length >= 3 ? closestName(name, flags) : undefined;
  return new UserError(`${command}: unknown flag ${unknown}${guess ? `; did you mean --${guess}?` : ''}`, {
    field: unknown,
    expected: `one of ${flags.map((f) => `--${f}`).join(', ')}`,
    hint,
  });
}

export function numberFlag(v: string | boolean | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) {
    throw new UserError(`--${flag} must be a number`, { field: `--${flag}`, value: v, expected: 'a finite number, e.g. 0.001' });
  }
  return n;
}

/** A whole number >= 0 (a count such as --limit or --top). */
export function countFlag(v: string | boolean | undefined, flag: string): number | undefined {
  const n = numberFlag(v, flag);
  if (n !== undefined && !(Number.isSafeInteger(n) && n >= 0)) throw new UserError(`--${flag} must be a whole number`, { field: `--${flag}`, value: v, expected: 'a whole number >= 0, e.g. 10' });
  return n;
}

export function jsonFlag(v: string | boolean | undefined, flag: string): unknown {
  if (v === undefined) return undefined;
  try {
    return JSON.parse(String(v));
  } catch (e) {
    throw new UserError(`--${flag} is not valid JSON: ${(e as Error).message}`, { field: `--${flag}`, value: v, expected: `JSON, e.g. '{"fast":10,"slow":30}'` });
  }
}

export function out(s: string): void {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
}

export function err(s: string): void {
  process.stderr.write(s.endsWith('\n') ? s : `${s}\n`);
}
