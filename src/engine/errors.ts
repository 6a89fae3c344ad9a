/**
 * The one base of errors that mean "the caller's input is wrong": a bad argument, parameter,
 * option or name that the caller can fix. Engine checks (search spaces, data, execution
 * specs, durations, indicator periods) and the research layer's UserError (unknown ids,
 * conflicts, refused requests) extend it. The boundaries show it as the caller's to fix (an
 * MCP `isError` result from src/server/tool-errors.ts, a CLI message with exit code 2); any
 * other error, a RangeError or TypeError included, is a bug and shown as an internal error.
 */

export interface InputErrorDetail {
  /** Dotted path of the offending input (e.g. `params.fast`, `symbol`). */
  readonly field?: string;
  readonly value?: unknown;
  /** What would have been accepted. */
  readonly expected?: string;
  /** How to fix it (e.g. a "did you mean" or the tool to call). */
  readonly hint?: string;
}

export class InputError extends Error {
  readonly detail: InputErrorDetail;
  constructor(message: string, detail: InputErrorDetail = {}) {
    super(message);
    this.name = 'InputError';
    this.detail = detail;
  }

  /** Full human-readable text: the message, then the field, value, expectation and hint it does not say already. */
  describe(): string {
    const d = this.detail;
    const parts = [this.message];
    if (d.field !== undefined && !this.message.includes(d.field)) parts.push(`field: ${d.field}`);
    if (d.value !== undefined && !this.message.includes(show(d.value))) parts.push(`got: ${show(d.value)}`);
    if (d.expected) parts.push(`expected: ${d.expected}`);
    if (d.hint) parts.push(`hint: ${d.hint}`);
    return parts.join('; ');
  }
}

/** A value for an error message: JSON, shortened (hostile inputs can be huge). */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
  try {
    const s = JSON.stringify(v);
    if (s === undefined) return String(v);
    return s.length > 120 ? `${s.slice(0, 117)}...` : s;
  } catch {
    return String(v);
  }
}
