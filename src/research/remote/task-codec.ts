/**
 * Engine tasks and their results as text for the shared task queue, exactly: JSON with the
 * values JSON cannot hold tagged — ±Infinity, NaN and −0 as {"$num": "…"}, a Float64Array as
 * {"$f64": base64 of its bytes} — so a result read back equals the one the worker computed
 * (a metric such as a profit factor of +∞ stays +∞, not null).
 */
import type { BacktestTask, TaskResult } from '../../engine/parallel/task.js';

function replace(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return { $num: Object.is(v, -0) ? '-0' : String(v) };
  if (v instanceof Float64Array) return { $f64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  return v;
}

function revive(_key: string, v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && typeof o.$num === 'string') return o.$num === '-0' ? -0 : Number(o.$num);
    if (keys.length === 1 && typeof o.$f64 === 'string') {
      const b = Buffer.from(o.$f64, 'base64');
      const out = new Float64Array(b.byteLength / 8);
      new Uint8Array(out.buffer).set(b);
      return out;
    }
  }
  return v;
}

export const encodeTask = (t: BacktestTask): string => JSON.stringify(t, replace);
export const decodeTask = (s: string): BacktestTask => JSON.parse(s, revive) as BacktestTask;
export const encodeResult = (r: TaskResult): string => JSON.stringify(r, replace);
export const decodeResult = (s: string): TaskResult => JSON.parse(s, revive) as TaskResult;
