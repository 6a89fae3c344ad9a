/** `npm run demo`'s agent loop runs end to end against a real server over stdio. */
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/run.js';

describe('the scripted demo', () => {
  it('drives every step through the SDK client and prints a transcript', async () => {
    const lines: string[] = [];
    const calls: string[] = [];
    const r = await runDemo({
      transcript: {
        say: (t) => lines.push(`agent: ${t}`),
        call: (tool) => calls.push(tool),
        result: (t, isError) => lines.push(`${isError ? 'ERROR ' : ''}${t}`),
      },
    });
    expect(lines.filter((l) => l.startsWith('ERROR'))).toEqual([]);
    expect(r.ok).toBe(true);
    for (const tool of ['list_datasets', 'backtest', 'optimize', 'walk_forward', 'analyze_results', 'champion_promote']) expect(calls).toContain(tool);
    expect(lines.join('\n')).toMatch(/oos_evidence/);
  }, 180_000);
});
