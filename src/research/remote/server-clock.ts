/**
 * A worker's clock set to the database's: every time a worker writes or judges (trial starts,
 * heartbeats, the staleness of another worker's trial, task heartbeats) is this machine's
 * clock plus its measured offset to the database server's, so workers on machines whose
 * clocks disagree still judge one another alike. Without it, a machine an hour ahead would
 * fail every live trial of the others as an hour without a heartbeat, and one an hour behind
 * would keep a dead worker's trial alive for an hour.
 *
 * The offset is measured as NTP's simplest form does: the database's clock read between two
 * local readings, taken as of their midpoint; the reading with the shortest round trip of a
 * few is kept (its error is at most half that round trip).
 */
export class ServerClock {
  private offsetMs = 0;
  private rttMs = Infinity;

  constructor(
    /** The database server's clock, epoch ms. */
    private readonly databaseNow: () => Promise<number>,
    /** This machine's clock (tests give a skewed one). */
    private readonly local: () => number = Date.now,
  ) {}

  /** Measures the offset again (best of `samples` round trips); returns it. */
  async sync(samples = 3): Promise<number> {
    let best = { rtt: Infinity, offset: 0 };
    for (let i = 0; i < samples; i++) {
      const t0 = this.local();
      const db = await this.databaseNow();
      const t1 = this.local();
      if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: db - (t0 + t1) / 2 };
    }
    this.offsetMs = best.offset;
    this.rttMs = best.rtt;
    return best.offset;
  }

  /** Now, on the database's clock (epoch ms). */
  readonly now = (): number => Math.round(this.local() + this.offsetMs);

  /** How far this machine's clock is behind (+) or ahead (−) of the database's, in ms; and the error bound. */
  get offset(): { readonly ms: number; readonly within_ms: number } {
    return { ms: this.offsetMs, within_ms: this.rttMs / 2 };
  }
}
