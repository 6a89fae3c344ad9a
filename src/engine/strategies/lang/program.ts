/** A checked strategy: what compile.ts builds from a document and signals.ts runs. */
import type { Direction } from '../../backtest/types.js';
import type { ParamDecl, RuleName, StopKey } from './document.js';
import type { Node } from './ir.js';

export type CompiledSize = { readonly kind: 'expr'; readonly node: Node } | { readonly kind: 'risk_map'; readonly pairs: readonly (readonly [Node, Node])[] };

export interface CompiledRule {
  readonly when: Node;
  readonly stops: Partial<Record<StopKey, Node>>;
  readonly size?: CompiledSize;
}

export type RegimeSource = { readonly kind: 'classifier' } | { readonly kind: 'rules'; readonly rules: readonly { readonly name: string; readonly when: Node }[] };

export interface Program {
  readonly params: readonly ParamDecl[];
  readonly rules: Partial<Record<RuleName, CompiledRule>>;
  readonly confidence?: Node;
  readonly size?: CompiledSize;
  readonly constraints: readonly { readonly node: Node; readonly text: string }[];
  /** Where the regime comes from, or null for a strategy without regimes. */
  readonly regime: RegimeSource | null;
  /** Regime names in index order (the regime series holds these indices, −1 = none). */
  readonly regimeNames: readonly string[];
  /** Per regime, the names of the parameters it overrides (params.regimes.<regime>.<name>). */
  readonly overrides: ReadonlyMap<string, readonly string[]>;
  /** Some decision depends on the simulated position. */
  readonly stateful: boolean;
  readonly directions: readonly Direction[];
  readonly defaultDirection: Direction;
}

/** Every decision expression of the program (rules, their stops and sizes, confidence, size). */
export function decisionNodes(p: Program): Node[] {
  const out: Node[] = [];
  const size = (s: CompiledSize | undefined): void => {
    if (s?.kind === 'expr') out.push(s.node);
    else if (s) for (const [c, f] of s.pairs) out.push(c, f);
  };
  for (const r of Object.values(p.rules)) {
    out.push(r.when, ...Object.values(r.stops));
    size(r.size);
  }
  if (p.confidence) out.push(p.confidence);
  size(p.size);
  return out;
}
