/** config/server.yaml: the shipped file loads; unknown keys at any level are refused with the file, path and suggestion. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig } from '../../src/research/config.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

describe('server config', () => {
  it('the shipped config/server.yaml loads and equals the built-in defaults', () => {
    expect(loadConfigFile(join(REPO_ROOT, 'config', 'server.yaml'))).toEqual(parseConfig({}));
  });

  it('an unknown key names the file, its path, a suggestion and the keys of that level', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tradelab-config-')), 'server.yaml');
    writeFileSync(file, 'limits:\n  max_bar: 10\n');
    expect(() => loadConfigFile(file)).toThrow(`invalid ${file}: limits.max_bar: unknown key; did you mean "max_bars"? Accepted keys in limits: max_bars, max_trials,`);
    writeFileSync(file, 'wait_second: 3\n');
    expect(() => loadConfigFile(file)).toThrow(/wait_second: unknown key; did you mean "wait_seconds"\? Accepted keys at the top level: wait_seconds, workers, demo, limits, gates/);
    expect(() => parseConfig({ demo: { symbl: 'X' } })).toThrow(/demo\.symbl: unknown key; did you mean "symbol"\?/);
  });
});
