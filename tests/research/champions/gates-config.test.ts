/** The `gates` config: defaults, validation, and config/server.yaml documenting exactly the defaults. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { gatesSchema, loadConfigFile, parseConfig } from '../../../src/research/config.js';
import { REPO_ROOT } from '../../helpers/shared-data.js';

describe('gates config', () => {
  it('has the issue-5 defaults, and server.yaml documents every key with its built-in value', () => {
    expect(parseConfig({}).gates).toEqual({ min_oos_trades: 30, min_dsr: 0.99, max_pbo: 0.5, max_p_value: 0.1, bootstrap_resamples: 10_000, bootstrap_seed: 42, bootstrap_block: 1, token_minutes: 15 });
    const file = loadConfigFile(join(REPO_ROOT, 'config', 'server.yaml'));
    expect(file.gates).toEqual(parseConfig({}).gates);
    const raw = (parseYaml(readFileSync(join(REPO_ROOT, 'config', 'server.yaml'), 'utf8')) as { gates: Record<string, unknown> }).gates;
    expect(Object.keys(raw).sort()).toEqual(Object.keys(gatesSchema.shape).sort());
  });

  it('refuses out-of-range or unknown gate settings, naming the field', () => {
    expect(() => parseConfig({ gates: { min_dsr: 1.5 } })).toThrow(/gates\.min_dsr/);
    expect(() => parseConfig({ gates: { max_p_value: 0 } })).toThrow(/gates\.max_p_value/);
    expect(() => parseConfig({ gates: { min_sharpe: 1 } })).toThrow(/gates/);
    expect(parseConfig({ gates: { min_oos_trades: 10 } }).gates).toMatchObject({ min_oos_trades: 10, min_dsr: 0.99 });
  });
});
