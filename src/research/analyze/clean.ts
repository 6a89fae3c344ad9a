/**
 * Output hygiene for analysis results: every number an agent sees is finite or null, and
 * every null that replaced a non-finite number is named in a warning (STATISTICS.md, "Other
 * conventions"). Typed arrays become plain arrays so the result is plain JSON.
 */

/** Deep copy of `value` with non-finite numbers replaced by null (each one reported once per path). */
export function finiteOrNull(value: unknown, warnings: string[], path = ''): unknown {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    warnings.push(`${path || 'value'} is undefined (${String(value)}); reported as null`);
    return null;
  }
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return finiteOrNull(Array.from(value as unknown as ArrayLike<number>), warnings, path);
  }
  if (Array.isArray(value)) return value.map((v, i) => finiteOrNull(v, warnings, `${path}[${i}]`));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out[k] = finiteOrNull(v, warnings, path ? `${path}.${k}` : k);
  }
  return out;
}

/** The last `max` items and how many were left out (lists in results are bounded). */
export function lastItems<T>(items: readonly T[], max: number): { items: T[]; omitted: number } {
  if (items.length <= max) return { items: [...items], omitted: 0 };
  return { items: items.slice(items.length - max), omitted: items.length - max };
}

/** Prefixes section warnings so the flat list says where each came from. */
export function tagged(section: string, warnings: readonly string[]): string[] {
  return warnings.map((w) => `${section}: ${w}`);
}
