/** "Did you mean …" suggestions for unknown names (strategies, params), as backtesting.py does. */

/** Levenshtein edit distance (insert, delete, substitute; cost 1 each). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const sub = prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n];
}

/**
 * The known name closest to `value` (case-insensitive), or undefined when none is close:
 * a candidate qualifies when its distance is at most max(2, ⌊length/3⌋) or when one name
 * contains the other. Ties go to the earlier candidate.
 */
export function closestName(value: string, known: readonly string[]): string | undefined {
  const v = value.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const kl = k.toLowerCase();
    const d = editDistance(v, kl);
    const limit = Math.max(2, Math.floor(Math.max(v.length, kl.length) / 3));
    const related = d <= limit || (v.length >= 3 && (kl.includes(v) || v.includes(kl)));
    if (related && d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` or an empty string. */
export function didYouMean(value: string, known: readonly string[]): string {
  const s = closestName(value, known);
  return s === undefined ? '' : ` (did you mean "${s}"?)`;
}
