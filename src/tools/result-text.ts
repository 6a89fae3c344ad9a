/**
 * The text block of a tool result, for clients that read only text: the tool's own lines
 * (key figures, one line per listed item) and then the structured result as compact JSON
 * on one line, `JSON: {…}`. Numbers in that JSON are rounded to 6 significant digits
 * (integers stay exact). When it would be longer than TEXT_JSON_MAX characters it is
 * abridged and labelled `JSON (abridged; full result in structuredContent): {…}`: the top
 * level first, then level by level (the smaller objects of a level first) as far as the
 * budget goes; what does not fit is shown as "{…N keys}" or "[…N items]", lists keep their
 * first ARRAY_ITEMS items and long strings are cut. It stays valid JSON.
 */

/** Characters of JSON a result's text carries at most (about 1k tokens). */
export const TEXT_JSON_MAX = 4000;
/** Items of a list an abridged JSON shows at most. */
export const ARRAY_ITEMS = 10;
/** Characters of a string an abridged JSON shows at most. */
const STRING_CHARS = 160;

export function roundForText(v: number): number {
  return Number.isInteger(v) || !Number.isFinite(v) ? v : Number(v.toPrecision(6));
}

/** Numbers rounded, everything else as is. */
function rounded(v: unknown): unknown {
  if (typeof v === 'number') return roundForText(v);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(rounded);
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, rounded(x)]));
}

type Holder = Record<string, unknown> | unknown[];

const isContainer = (v: unknown): v is Holder => v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);

/** A value inside an abridged node: scalars (rounded, cut), containers as placeholders. */
function leaf(v: unknown): unknown {
  if (typeof v === 'number') return roundForText(v);
  if (typeof v === 'string') return v.length > STRING_CHARS ? `${v.slice(0, STRING_CHARS)}…` : v;
  if (!isContainer(v)) return v;
  return Array.isArray(v) ? `[…${v.length} items]` : `{…${Object.keys(v).length} keys}`;
}

interface Shell {
  readonly shell: Holder;
  readonly children: readonly { readonly key: string | number; readonly value: Holder }[];
}

/** A container one level deep: its scalars shown, its containers as placeholders to expand later. */
function expand(v: Holder): Shell {
  const children: { key: string | number; value: Holder }[] = [];
  if (Array.isArray(v)) {
    const shell: unknown[] = v.slice(0, ARRAY_ITEMS).map((x, i) => {
      if (isContainer(x)) children.push({ key: i, value: x });
      return leaf(x);
    });
    if (v.length > ARRAY_ITEMS) shell.push(`…${v.length - ARRAY_ITEMS} more`);
    return { shell, children };
  }
  const shell: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (isContainer(x)) children.push({ key: k, value: x });
    shell[k] = leaf(x);
  }
  return { shell, children };
}

const size = (v: unknown): number => JSON.stringify(v).length;

function abridge(root: Holder, max: number): string {
  const top = expand(root);
  let total = size(top.shell);
  if (total > max) return topKeys(top.shell, max);
  let level = top.children.map((c) => ({ ...c, holder: top.shell }));
  while (level.length > 0) {
    const next: typeof level = [];
    const tries = level.map((n) => {
      const e = expand(n.value);
      return { n, e, delta: size(e.shell) - size((n.holder as Record<string | number, unknown>)[n.key]) };
    });
    // the smaller nodes of a level first: as many as possible shown
    tries.sort((a, b) => a.delta - b.delta);
    for (const t of tries) {
      if (total + t.delta > max) continue;
      (t.n.holder as Record<string | number, unknown>)[t.n.key] = t.e.shell;
      total += t.delta;
      next.push(...t.e.children.map((c) => ({ ...c, holder: t.e.shell })));
    }
    level = next;
  }
  return JSON.stringify(top.shell);
}

/** Even the top level is too long: the keys that fit, then how many were left out. */
function topKeys(shell: Holder, max: number): string {
  const entries = Array.isArray(shell) ? shell.map((x, i) => [String(i), x] as const) : Object.entries(shell);
  const out: Record<string, unknown> = {};
  let used = 2;
  for (const [k, v] of entries) {
    const add = size({ [k]: v }) - 1;
    if (used + add > max - 40) break;
    out[k] = v;
    used += add;
  }
  const left = entries.length - Object.keys(out).length;
  if (left > 0) out['…'] = `${left} more`;
  return JSON.stringify(out);
}

/** Compact JSON of `value` within `max` characters (see the module comment). */
export function compactJson(value: unknown, max = TEXT_JSON_MAX): { json: string; abridged: boolean } {
  const full = JSON.stringify(rounded(value)) ?? 'null';
  if (full.length <= max) return { json: full, abridged: false };
  if (!isContainer(value)) return { json: JSON.stringify(leaf(value)), abridged: true };
  return { json: abridge(value, max), abridged: true };
}

/** A result's full text: the tool's lines, then `JSON: …` (or the abridged form). */
export function resultText(text: string, data: unknown, max = TEXT_JSON_MAX): string {
  const { json, abridged } = compactJson(data, max);
  return `${text}\n${abridged ? 'JSON (abridged; full result in structuredContent)' : 'JSON'}: ${json}`;
}
