/** `tradelab demo`: the scripted agent loop of src/demo/run.ts. */
import { runDemo } from '../demo/run.js';
import { out, parse } from './args.js';

export async function demoCommand(argv: string[]): Promise<number> {
  const { values: v } = parse(argv, { keep: { type: 'boolean' } }, 'demo');
  if (v.help) return (out('tradelab demo [--keep]   a scripted agent session over stdio against a fresh temporary store (--keep keeps the store)'), 0);
  const r = await runDemo({ keep: v.keep === true });
  return r.ok ? 0 : 1;
}
