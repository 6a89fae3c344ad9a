/**
 * The errors of one CSV import (csv.ts): kept up to a limit, then only counted, and turned
 * into the failed result with a closing entry that says how many were not listed.
 */

export interface CsvError {
  readonly line: number;
  readonly column?: string;
  readonly value?: string;
  readonly message: string;
}

export interface CsvFailure {
  readonly ok: false;
  readonly errors: CsvError[];
  readonly omitted: number;
}

/** Text shown in an error, cut to 60 characters. */
export const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

export class CsvErrorLog {
  readonly errors: CsvError[] = [];
  private omitted = 0;
  private firstOmittedLine = 0;

  constructor(private readonly max: number) {}

  /** No error so far (none listed means none omitted either). */
  get empty(): boolean {
    return this.errors.length === 0;
  }

  add(e: CsvError): void {
    if (this.errors.length < this.max) this.errors.push(e);
    else if (this.omitted++ === 0) this.firstOmittedLine = e.line;
  }

  /** The result of a failed import (call once, at the end). */
  failure(): CsvFailure {
    const { errors, omitted, firstOmittedLine } = this;
    if (omitted > 0) errors.push({ line: firstOmittedLine, message: `…and ${omitted} more error(s) not listed (the first at line ${firstOmittedLine})` });
    return { ok: false, errors, omitted };
  }
}

/** Why a price or volume field did not read as a finite number. */
export function describeBadNumber(name: string, raw: string, v: number): string {
  const t = raw.trim();
  if (t === '') return `${name} is empty`;
  if (v === Infinity || v === -Infinity) return `${name} ${JSON.stringify(clip(t))} is not finite`;
  if (t.toLowerCase() === 'nan') return `${name} is NaN (missing values are not allowed; remove or fill the row)`;
  const comma = t.includes(',') ? ' (decimal comma? use "." as the decimal separator)' : '';
  return `${name} ${JSON.stringify(clip(t))} is not a number${comma}`;
}
