/** Small helpers over node:util parseArgs for the CLI commands. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../research/errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parse(argv: string[], options: Options, command: string): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new UserError(`${command}: ${(e as Error).message}`, { hint: `run \`tradelab ${command} --help\`` });
  }
}

export function numberFlag(v: string | boolean | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) {
    throw new UserError(`--${flag} must be a number`, { field: `--${flag}`, value: v, expected: 'a finite number, e.g. 0.001' });
  }
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
