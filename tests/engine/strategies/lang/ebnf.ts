/**
 * A small reader of ISO-14977 EBNF (the subset grammar.ebnf uses: `=`, `,`, `|`, `[ ]`,
 * `{ }`, `( )`, "terminals", (* comments *)), a random sentence generator and a recogniser
 * over token lists — enough to check the hand-written parser against its grammar file.
 * Test-only.
 */
import { createRng, type Rng } from '../../../../src/engine/random.js';

export type Node =
  | { t: 'alt'; items: Node[] }
  | { t: 'seq'; items: Node[] }
  | { t: 'opt'; item: Node }
  | { t: 'rep'; item: Node }
  | { t: 'term'; text: string }
  | { t: 'ref'; name: string };

export type Grammar = Map<string, Node>;

export function readEbnf(src: string): Grammar {
  const text = src.replace(/\(\*[\s\S]*?\*\)/g, ' ');
  const toks = text.match(/"[^"]*"|[A-Za-z_][A-Za-z0-9_]*|[=,|;[\]{}()]/g) ?? [];
  let i = 0;
  const rules: Grammar = new Map();
  const alt = (): Node => {
    const items = [seq()];
    while (toks[i] === '|') {
      i++;
      items.push(seq());
    }
    return items.length === 1 ? items[0] : { t: 'alt', items };
  };
  const seq = (): Node => {
    const items = [atom()];
    while (toks[i] === ',') {
      i++;
      items.push(atom());
    }
    return items.length === 1 ? items[0] : { t: 'seq', items };
  };
  const atom = (): Node => {
    const tok = toks[i++];
    if (tok === '[' || tok === '{' || tok === '(') {
      const inner = alt();
      const close = toks[i++];
      if (close !== { '[': ']', '{': '}', '(': ')' }[tok]) throw new Error(`ebnf: unbalanced ${tok}`);
      return tok === '[' ? { t: 'opt', item: inner } : tok === '{' ? { t: 'rep', item: inner } : inner;
    }
    if (tok.startsWith('"')) return { t: 'term', text: tok.slice(1, -1) };
    if (/^[A-Za-z_]/.test(tok)) return { t: 'ref', name: tok };
    throw new Error(`ebnf: unexpected ${tok}`);
  };
  while (i < toks.length) {
    const name = toks[i++];
    if (toks[i++] !== '=') throw new Error(`ebnf: expected = after ${name}`);
    rules.set(name, alt());
    if (toks[i++] !== ';') throw new Error(`ebnf: expected ; after rule ${name}`);
  }
  return rules;
}

/** Every terminal reachable from `start`, not descending into `opaque` rules. */
export function terminals(g: Grammar, start: string, opaque: readonly string[]): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const walk = (n: Node): void => {
    if (n.t === 'term') out.add(n.text);
    else if (n.t === 'ref') {
      if (opaque.includes(n.name) || seen.has(n.name)) return;
      seen.add(n.name);
      walk(g.get(n.name)!);
    } else if (n.t === 'alt' || n.t === 'seq') n.items.forEach(walk);
    else walk(n.item);
  };
  walk(g.get(start)!);
  return out;
}

/** A token as the recogniser sees it: its text and whether it is a number or an identifier. */
export interface Tok {
  readonly text: string;
  readonly cls: 'number' | 'identifier' | 'other';
}

/**
 * End positions of every way `n` can match toks from position i (token classes `number` and
 * `identifier` stand for the lexical rules of those names).
 */
export function matchEnds(g: Grammar, n: Node, toks: readonly Tok[], i: number, tokenRules: readonly string[]): Set<number> {
  switch (n.t) {
    case 'term':
      return toks[i]?.cls === 'other' && toks[i].text === n.text ? new Set([i + 1]) : new Set();
    case 'ref':
      if (tokenRules.includes(n.name)) return toks[i]?.cls === n.name ? new Set([i + 1]) : new Set();
      return matchEnds(g, g.get(n.name)!, toks, i, tokenRules);
    case 'alt': {
      const out = new Set<number>();
      for (const it of n.items) for (const e of matchEnds(g, it, toks, i, tokenRules)) out.add(e);
      return out;
    }
    case 'seq': {
      let cur = new Set([i]);
      for (const it of n.items) {
        const next = new Set<number>();
        for (const p of cur) for (const e of matchEnds(g, it, toks, p, tokenRules)) next.add(e);
        cur = next;
        if (cur.size === 0) break;
      }
      return cur;
    }
    case 'opt': {
      const out = new Set([i]);
      for (const e of matchEnds(g, n.item, toks, i, tokenRules)) out.add(e);
      return out;
    }
    case 'rep': {
      const out = new Set([i]);
      let frontier = new Set([i]);
      while (frontier.size > 0) {
        const next = new Set<number>();
        for (const p of frontier) for (const e of matchEnds(g, n.item, toks, p, tokenRules)) if (e > p && !out.has(e)) next.add(e);
        for (const e of next) out.add(e);
        frontier = next;
      }
      return out;
    }
  }
}

export function recognises(g: Grammar, start: string, toks: readonly Tok[], tokenRules: readonly string[]): boolean {
  return matchEnds(g, { t: 'ref', name: start }, toks, 0, tokenRules).has(toks.length);
}

/** Fewest expansion levels each node needs to reach only terminals (for bounded generation). */
function depthOf(g: Grammar): (n: Node) => number {
  const memo = new Map<string, number>();
  const d = (n: Node, stack: Set<string>): number => {
    switch (n.t) {
      case 'term':
        return 0;
      case 'ref': {
        if (memo.has(n.name)) return memo.get(n.name)!;
        if (stack.has(n.name)) return Infinity;
        stack.add(n.name);
        const v = 1 + d(g.get(n.name)!, stack);
        stack.delete(n.name);
        if (Number.isFinite(v)) memo.set(n.name, v);
        return v;
      }
      case 'alt':
        return Math.min(...n.items.map((x) => d(x, stack)));
      case 'seq':
        return Math.max(...n.items.map((x) => d(x, stack)));
      default:
        return 0;
    }
  };
  return (n) => d(n, new Set());
}

/** A random sentence of `start` as a token list; past `maxDepth` the shallowest alternatives are taken. */
export function generate(g: Grammar, start: string, seed: number, maxDepth: number, tokenRules: readonly string[], keywords: readonly string[]): Tok[] {
  const rng: Rng = createRng(seed);
  const depth = depthOf(g);
  const out: Tok[] = [];
  const lexeme = (name: string): string => {
    for (;;) {
      let s = '';
      const emit = (n: Node, lvl: number): void => {
        if (n.t === 'term') s += n.text;
        else if (n.t === 'ref') emit(g.get(n.name)!, lvl + 1);
        else if (n.t === 'seq') n.items.forEach((x) => emit(x, lvl));
        else if (n.t === 'alt') emit(n.items[Math.floor(rng.next() * n.items.length)], lvl);
        else if (n.t === 'opt') {
          if (rng.next() < 0.5) emit(n.item, lvl);
        } else {
          const k = Math.floor(rng.next() * 4);
          for (let j = 0; j < k; j++) emit(n.item, lvl);
        }
      };
      emit(g.get(name)!, 0);
      if (!keywords.includes(s)) return s;
    }
  };
  const walk = (n: Node, lvl: number): void => {
    switch (n.t) {
      case 'term':
        out.push({ text: n.text, cls: 'other' });
        return;
      case 'ref':
        if (tokenRules.includes(n.name)) out.push({ text: lexeme(n.name), cls: n.name as Tok['cls'] });
        else walk(g.get(n.name)!, lvl + 1);
        return;
      case 'seq':
        n.items.forEach((x) => walk(x, lvl));
        return;
      case 'alt': {
        const items = lvl > maxDepth ? n.items.filter((x) => depth(x) === Math.min(...n.items.map(depth))) : n.items;
        walk(items[Math.floor(rng.next() * items.length)], lvl);
        return;
      }
      case 'opt':
        if (lvl <= maxDepth && rng.next() < 0.5) walk(n.item, lvl);
        return;
      case 'rep': {
        const k = lvl > maxDepth ? 0 : Math.floor(rng.next() * 3);
        for (let j = 0; j < k; j++) walk(n.item, lvl);
      }
    }
  };
  walk(g.get(start)!, 0);
  return out;
}
