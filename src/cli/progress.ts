/**
 * A dependency-free progress bar for long CLI work, on stderr. On a terminal it redraws one
 * line that fits the width; otherwise (a pipe, a log file) it prints a line per 10 %.
 * The numbers (done/total, the best value, the ETA) are never cut: a narrow terminal loses
 * the detail first, then the label, then the bar.
 */

export interface ProgressParts {
  readonly label: string;
  readonly done: number;
  readonly total: number;
  /** The best value so far, formatted (omitted when the work has no best). */
  readonly best?: string;
  /** "12s", "3m05s", "?" or "done". */
  readonly eta: string;
  /** What just happened (e.g. the trial that finished): the first thing dropped when narrow. */
  readonly detail?: string;
}

/** Columns to lay out for: the stream's, or 80 when it reports none (undefined, or 0 on some ptys). */
export function terminalWidth(columns: number | undefined): number {
  return columns !== undefined && Number.isFinite(columns) && columns > 0 ? Math.floor(columns) : 80;
}

const MIN_BAR = 5;
const MIN_LABEL = 4;
/** A detail is shown whole, or cut to no fewer than this many characters, or not at all. */
const MIN_DETAIL = 16;

function cut(s: string, n: number): string {
  return s.length <= n ? s : n <= 1 ? '' : `${s.slice(0, n - 1)}…`;
}

function bar(done: number, total: number, width: number): string {
  const pct = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const fill = Math.round(pct * width);
  return `[${'#'.repeat(fill)}${'.'.repeat(width - fill)}]`;
}

/** The numbers that always show: "487/5000 best 1.2345 ETA 3m12s". */
export function progressNumbers(p: Pick<ProgressParts, 'done' | 'total' | 'best' | 'eta'>): string {
  return `${p.done}/${p.total}${p.best !== undefined ? ` best ${p.best}` : ''} ETA ${p.eta}`;
}

/**
 * One progress line within `columns` − 1 characters (the last column stays free so that a
 * terminal does not wrap), except when the numbers alone are longer: then only the numbers.
 */
export function progressLine(p: ProgressParts, columns: number | undefined): string {
  const room = terminalWidth(columns) - 1;
  const nums = progressNumbers(p);
  if (nums.length >= room) return nums;
  const barWidth = room >= 140 ? 40 : room >= 60 ? 24 : 12;
  const full = `${p.label} ${bar(p.done, p.total, barWidth)} ${nums}`;
  if (full.length <= room) {
    const left = room - full.length - 1;
    const detail = p.detail && (p.detail.length <= left || left >= MIN_DETAIL) ? cut(p.detail, left) : '';
    return detail ? `${full} ${detail}` : full;
  }
  // no detail; the label is cut (or dropped), then the bar shrinks (or goes)
  const labelRoom = room - nums.length - barWidth - 4;
  if (labelRoom >= MIN_LABEL && p.label.length > 0) return `${cut(p.label, labelRoom)} ${bar(p.done, p.total, barWidth)} ${nums}`;
  const barRoom = room - nums.length - 3;
  if (barRoom >= MIN_BAR) return `${bar(p.done, p.total, Math.min(barWidth, barRoom))} ${nums}`;
  return nums;
}

/** "45s", "3m05s", "2h07m". */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** ETA from the rate since `from` (work done before this process started does not count). */
export function etaText(done: number, total: number, from: number, elapsedSeconds: number): string {
  if (done >= total) return 'done';
  const rate = done > from && elapsedSeconds > 0 ? (done - from) / elapsedSeconds : 0;
  return rate > 0 ? formatEta((total - done) / rate) : '?';
}

export class ProgressBar {
  private started = Date.now();
  private from = 0;
  private lastStep = -1;
  private drawn = false;
  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Progress starts at `done` (a resumed study): the ETA counts only the work from here. */
  resumeFrom(done: number): void {
    this.from = done;
    this.started = Date.now();
  }

  /** A line said once (e.g. where a study resumed), above the bar. */
  note(text: string): void {
    if (this.stream.isTTY && this.drawn) this.stream.write('\n');
    this.drawn = false;
    this.stream.write(`${text}\n`);
  }

  update(done: number, total: number, detail = '', best?: string): void {
    const eta = etaText(done, total, this.from, (Date.now() - this.started) / 1000);
    const line = progressLine({ label: this.label, done, total, best, eta, detail }, this.stream.columns);
    const room = terminalWidth(this.stream.columns) - 1;
    if (this.stream.isTTY && line.length <= room) {
      this.stream.write(`\r${line.padEnd(room)}`);
      this.drawn = true;
      if (done >= total) this.finish();
      return;
    }
    const step = Math.floor((total > 0 ? Math.min(1, done / total) : 0) * 10);
    if (step !== this.lastStep || done >= total) {
      this.lastStep = step;
      if (this.drawn) this.stream.write('\n');
      this.drawn = false;
      this.stream.write(`${line}\n`);
    }
  }

  finish(): void {
    if (this.stream.isTTY && this.drawn) this.stream.write('\n');
    this.drawn = false;
  }
}
