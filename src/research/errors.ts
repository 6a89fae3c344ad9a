/**
 * Typed failures inside (UserError, an InputError: src/engine/errors.ts); mapped once to an
 * `isError` tool result or a CLI message at the boundary. Messages name the field, the value,
 * what was expected and how to fix it.
 */
import { InputError, type InputErrorDetail } from '../engine/errors.js';

export { show } from '../engine/errors.js';

export type UserErrorDetail = InputErrorDetail;

/** The research layer's input errors (unknown ids and names, conflicts, refused requests). */
export class UserError extends InputError {
  constructor(message: string, detail: UserErrorDetail = {}) {
    super(message, detail);
    this.name = 'UserError';
  }
}

/** The value at a zod issue's path inside v (undefined where the path leaves the objects). */
export function valueAt(v: unknown, path: readonly PropertyKey[]): unknown {
  let cur = v;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[String(p)];
  }
  return cur;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n];
}

/** The closest candidate within a small edit distance, or undefined. */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lower = input.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}

/** Formats zod issues as "field: message (got value)" lines. */
export function zodIssuesText(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix = '',
): string {
  return issues
    .slice(0, 10)
    .map((i) => {
      const path = [prefix, ...i.path.map(String)].filter((p) => p !== '').join('.');
      return `${path || '(input)'}: ${i.message}`;
    })
    .join('; ');
}
