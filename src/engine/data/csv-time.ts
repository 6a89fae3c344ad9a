/**
 * Reads the timestamp column of a CSV, row by row. The first readable timestamp fixes the format
 * for the whole file: ISO-8601 (no zone = UTC, counted for a warning) or epoch numbers,
 * seconds when |value| < 1e11 and milliseconds otherwise, one unit for every row.
 */
import { parseDecimalAt } from './decimal.js';
import { looksLikeIsoDate, newIsoParse, parseIsoAt } from './iso-time.js';

export const EPOCH_SECONDS_BELOW = 1e11;
/** Epoch milliseconds at or above this (year 5138) are taken for micro- or nanoseconds. */
export const EPOCH_MS_BELOW = 1e14;
const KIND = { unknown: 0, iso: 1, epoch: 2 } as const;
const ISO_EXAMPLES = '2024-01-31, 2024-01-31T13:45:00Z, 2024-01-31 13:45:00+02:00';

export class TimestampReader {
  /** Why the last `read` returned NaN. */
  error = '';
  private kind: number = KIND.unknown;
  private kindLine = 0;
  private seconds = false;
  private unitLine = 0;
  private noZone = 0;
  private noZoneLine = 0;
  private readonly iso = newIsoParse();

  constructor(private readonly name: string) {}

  /** Epoch ms of s[start, end) on file line `line`, or NaN with `error` set. */
  read(s: string, start: number, end: number, line: number): number {
    const iso = this.kind === KIND.unknown ? looksLikeIsoDate(s, start, end) : this.kind === KIND.iso;
    const t = iso ? this.readIso(s, start, end, line) : this.readEpoch(s, start, end, line);
    if (this.kind === KIND.unknown && !Number.isNaN(t)) {
      // the first readable timestamp fixes the format
      this.kind = iso ? KIND.iso : KIND.epoch;
      this.kindLine = line;
    }
    return t;
  }

  private fail(s: string, start: number, end: number, why: string): number {
    const raw = s.substring(start, end).trim();
    this.error = `${this.name} ${JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw)} ${why}`;
    return NaN;
  }

  private readIso(s: string, start: number, end: number, line: number): number {
    if (parseIsoAt(s, start, end, this.iso)) {
      if (!this.iso.hasZone && this.noZone++ === 0) this.noZoneLine = line;
      return this.iso.ms;
    }
    return Number.isFinite(parseDecimalAt(s, start, end))
      ? this.fail(s, start, end, `is an epoch number but line ${this.kindLine} used ISO-8601; use one format for the whole file`)
      : this.fail(s, start, end, `is not a valid ISO-8601 timestamp (e.g. ${ISO_EXAMPLES})`);
  }

  private readEpoch(s: string, start: number, end: number, line: number): number {
    const v = parseDecimalAt(s, start, end);
    if (!Number.isFinite(v)) {
      return looksLikeIsoDate(s, start, end)
        ? this.fail(s, start, end, `is ISO-8601 but line ${this.kindLine} used an epoch number; use one format for the whole file`)
        : this.fail(s, start, end, `is not a timestamp (expected ISO-8601 such as ${ISO_EXAMPLES}, or epoch seconds / milliseconds)`);
    }
    const seconds = Math.abs(v) < EPOCH_SECONDS_BELOW;
    if (this.unitLine === 0) {
      this.seconds = seconds;
      this.unitLine = line;
    }
    const unit = (sec: boolean): string => (sec ? 'seconds' : 'milliseconds');
    if (seconds !== this.seconds) {
      return this.fail(s, start, end, `looks like epoch ${unit(seconds)} but line ${this.unitLine} is in ${unit(this.seconds)} (values below 1e11 are seconds); use one unit for the whole file`);
    }
    if (!seconds && Math.abs(v) >= EPOCH_MS_BELOW) {
      return this.fail(s, start, end, 'is too large for epoch milliseconds (microseconds or nanoseconds?); use seconds or milliseconds');
    }
    return seconds ? v * 1000 : v;
  }

  /** What the reader assumed, for the import's warnings. */
  warnings(): string[] {
    const out: string[] = [];
    if (this.kind === KIND.epoch && this.unitLine > 0) out.push(`timestamps read as epoch ${this.seconds ? 'seconds (values below 1e11)' : 'milliseconds'}`);
    if (this.noZone > 0) out.push(`${this.noZone} timestamp(s) have no time zone and were read as UTC (first at line ${this.noZoneLine})`);
    return out;
  }
}
