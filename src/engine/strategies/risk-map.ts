/**
 * Risk map: a list of [confidence, position_fraction] pairs sorted by confidence. The size of
 * an entry at confidence c is the fraction of the highest pair whose confidence is <= c, and
 * 0 (no entry) when c is below the first pair (or c is NaN).
 * Example: [[0.6, 0.5], [0.7, 0.75], [0.8, 1]] → c = 0.65 → 0.5; c = 0.8 → 1; c = 0.55 → 0.
 */
export type RiskMap = readonly (readonly [number, number])[];

export function riskFraction(map: RiskMap, confidence: number): number {
  let f = 0;
  for (const [c, frac] of map) {
    if (c <= confidence) f = frac;
    else break;
  }
  return f;
}
