/** A dependency-free progress bar for long CLI work (stderr; one line per 10 % when not a TTY). */
export class ProgressBar {
  private readonly started = Date.now();
  private lastPct = -1;
  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, total: number, detail: string): void {
    const pct = total > 0 ? Math.min(1, done / total) : 0;
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = done > 0 && total > done ? ((elapsed / done) * (total - done)).toFixed(0) + 's' : done >= total ? 'done' : '?';
    const width = 24;
    const fill = Math.round(pct * width);
    const line = `${this.label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${total} ${detail} ETA ${eta}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${line.slice(0, (this.stream.columns ?? 120) - 1).padEnd(Math.min(120, (this.stream.columns ?? 120) - 1))}`);
      if (done >= total) this.stream.write('\n');
      return;
    }
    const step = Math.floor(pct * 10);
    if (step !== this.lastPct || done >= total) {
      this.lastPct = step;
      this.stream.write(`${line}\n`);
    }
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
