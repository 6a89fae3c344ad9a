/**
 * Typed failures inside; mapped once to an `isError` tool result or a CLI message at the
 * boundary. Messages name the field, the value, what was expected and how to fix it.
 */
export interface UserErrorDetail {
  /** Dotted path of the offending input (e.g. `params.fast`, `symbol`). */
  readonly field?: string;
  readonly value?: unknown;
  /** What would have been accepted. */
  readonly expected?: string;
  /** How to fix it (e.g. a "did you mean" or the tool to call). */
  readonly hint?: string;
}

export class UserError extends Error {
  readonly detail: UserErrorDetail;
  constructor(message: string, detail: UserErrorDetail = {}) {
    super(message);
    this.name = 'UserError';
    this.detail = detail;
  }

  /** Full human-readable text including field, value, expectation and hint. */
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

/** The value at a zod issue's path inside v (undefined where the path leaves the objects). */
export function valueAt(v: unknown, path: readonly PropertyKey[]): unknown {
  let cur = v;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[String(p)];
  }
  return cur;
}

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
