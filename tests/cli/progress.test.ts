/**
 * The progress line as a pure function of its parts and the terminal width: it fits the
 * width (one column kept free), the numbers are never cut, and what gives way first is the
 * detail, then the label, then the bar.
 */
import { describe, expect, it } from 'vitest';
import { etaText, formatEta, progressLine, progressNumbers, terminalWidth, type ProgressParts } from '../../src/cli/progress.js';

const parts: ProgressParts = {
  label: 'sma_cross_demo_with_a_long_task_name',
  done: 1801,
  total: 5000,
  best: '1.2345',
  eta: '3m12s',
  detail: 'trial 1800 COMPLETE value 0.9876',
};
const NUMS = '1801/5000 best 1.2345 ETA 3m12s';

describe('progressLine', () => {
  it('treats an unknown or 0-column terminal as 80 columns', () => {
    expect(terminalWidth(undefined)).toBe(80);
    expect(terminalWidth(0)).toBe(80);
    expect(terminalWidth(132)).toBe(132);
    expect(progressLine(parts, 0)).toBe(progressLine(parts, 80));
    expect(progressLine(parts, undefined)).toBe(progressLine(parts, 80));
  });

  it('keeps the numbers whole at every width and never goes past the width (but for the numbers alone)', () => {
    expect(progressNumbers(parts)).toBe(NUMS);
    for (const w of [0, 20, 40, 80, 200]) {
      const line = progressLine(parts, w);
      expect(line.endsWith(NUMS) || line.includes(`${NUMS} `), `width ${w}: ${line}`).toBe(true);
      if (line !== NUMS) expect(line.length, `width ${w}`).toBeLessThanOrEqual(terminalWidth(w) - 1);
    }
  });

  it('20 columns: only the numbers (they are longer than the width)', () => {
    expect(progressLine(parts, 20)).toBe(NUMS);
  });

  it('40 columns: the label goes, a short bar stays', () => {
    const line = progressLine(parts, 40);
    expect(line).toMatch(/^\[[#.]{5,}\] 1801\/5000 best 1\.2345 ETA 3m12s$/);
    expect(line).not.toContain('sma');
    expect(line.length).toBe(39);
  });

  it('80 columns: the label is cut with an ellipsis, the detail dropped, the bar whole', () => {
    const line = progressLine(parts, 80);
    expect(line).toMatch(/^sma_cross_demo_\S*… \[[#.]{24}\] 1801\/5000 best 1\.2345 ETA 3m12s$/);
    expect(line.length).toBe(79);
    expect(line).not.toContain('trial 1800');
  });

  it('80 columns with a short label: label, bar, numbers, and the detail when it fits (else none, not a stub)', () => {
    const bar = `[${'#'.repeat(9)}${'.'.repeat(15)}]`;
    expect(progressLine({ ...parts, label: 'demo', detail: 'trial 1800 FAIL' }, 80)).toBe(`demo ${bar} ${NUMS} trial 1800 FAIL`);
    expect(progressLine({ ...parts, label: 'demo', detail: 'trial 1800 COMPLETE' }, 80)).toBe(`demo ${bar} ${NUMS}`);
    expect(progressLine({ ...parts, label: 'demo' }, 90)).toBe(`demo ${bar} ${NUMS} trial 1800 COMPLETE valu…`);
  });

  it('200 columns: everything, with a wider bar', () => {
    const line = progressLine(parts, 200);
    expect(line).toBe(`${parts.label} [${'#'.repeat(14)}${'.'.repeat(26)}] ${NUMS} ${parts.detail}`);
  });

  it('without a best value, the numbers are done/total and ETA', () => {
    expect(progressLine({ label: 'walk-forward', done: 3, total: 10, eta: '?' }, 80)).toBe(`walk-forward [${'#'.repeat(7)}${'.'.repeat(17)}] 3/10 ETA ?`);
  });
});

describe('ETA', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatEta(45)).toBe('45s');
    expect(formatEta(185)).toBe('3m05s');
    expect(formatEta(7620)).toBe('2h07m');
  });

  it('counts only the work done since the progress started (a resumed study)', () => {
    // resumed at 1300 of 5000; 100 trials in 10 s → 3600 left at 10/s = 6 min
    expect(etaText(1400, 5000, 1300, 10)).toBe('6m00s');
    expect(etaText(1300, 5000, 1300, 10)).toBe('?');
    expect(etaText(5000, 5000, 1300, 10)).toBe('done');
  });
});
