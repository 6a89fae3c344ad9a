/**
 * Observation kernels of a large Parzen mixture in blocks of BLOCK, sorted by their centre
 * in one continuous dimension, with per block the centre range, the widest bandwidth in that
 * dimension and the largest bound of a kernel's log term. A block whose best possible term
 * at a point (largest bound, nearest centre, widest bandwidth; the other dimensions can only
 * lower it) is NEGLIGIBLE below the running maximum is skipped whole.
 */
export const BLOCK = 16;

export interface KernelBlocks {
  /** Observation kernel indices sorted by centre. */
  readonly perm: Int32Array;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly sigma: Float64Array;
  readonly bound: Float64Array;
}

/**
 * @param order the observation kernels (0..m−1) in ascending order of centre
 * @param bound per kernel: an upper bound of its log term before the Gaussian factor of this dimension
 */
export function buildBlocks(order: Int32Array, mus: Float64Array, sigmas: Float64Array, bound: Float64Array): KernelBlocks {
  const m = order.length;
  const nb = Math.ceil(m / BLOCK);
  const b = {
    perm: Int32Array.from(order),
    lo: new Float64Array(nb),
    hi: new Float64Array(nb),
    sigma: new Float64Array(nb),
    bound: new Float64Array(nb).fill(-Infinity),
  };
  for (let r = 0; r < m; r++) {
    const k = order[r];
    const i = (r / BLOCK) | 0;
    if (r % BLOCK === 0) b.lo[i] = mus[k];
    b.hi[i] = mus[k];
    if (sigmas[k] > b.sigma[i]) b.sigma[i] = sigmas[k];
    if (bound[k] > b.bound[i]) b.bound[i] = bound[k];
  }
  return b;
}
