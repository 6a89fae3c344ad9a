/** Small timing helpers shared by the benchmarks. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Runs fn `warmup` times untimed, then `runs` times timed; returns the times in ms. */
export function timeIt(fn: () => void, runs: number, warmup = 2): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export function fmt(ms: number): string {
  return ms < 10 ? ms.toFixed(3) : ms.toFixed(1);
}

/**
 * One interleaved pair of a 1-vs-2 comparison: 1 then 2 in even rounds, 2 then 1 in odd
 * ones, so that the host's drift over a round does not favour one side.
 */
export async function interleavedPair<T>(round: number, measure: (size: 1 | 2) => Promise<T>): Promise<{ one: T; two: T }> {
  const got: Partial<Record<1 | 2, T>> = {};
  for (const size of round % 2 === 0 ? ([1, 2] as const) : ([2, 1] as const)) got[size] = await measure(size);
  return { one: got[1] as T, two: got[2] as T };
}
