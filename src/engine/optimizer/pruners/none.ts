import type { Pruner } from './types.js';

export interface NopPrunerConfig {
  readonly type: 'none';
}

/** Never prunes. */
export function createNopPruner(): Pruner {
  return { name: 'none', shouldPrune: () => false };
}
