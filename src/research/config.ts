/**
 * Server and research defaults (limits, wait budget, promotion gates), validated once with
 * zod. Loaded from `config/server.yaml` when present; every key is optional there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseStrict } from './strict-input.js';

export const limitsSchema = z
  .object({
    max_bars: z.number().int().min(1).default(5_000_000).describe('Bars per backtest / per window.'),
    max_trials: z.number().int().min(1).default(5_000).describe('Trials per optimize call.'),
    max_batch_items: z.number().int().min(1).default(500).describe('Items per backtest_batch call.'),
    max_wall_seconds: z.number().min(1).default(3_600).describe('Wall-clock time per job.'),
    max_jobs_per_client: z.number().int().min(1).default(2).describe('Concurrent jobs per client.'),
    max_queued_jobs: z.number().int().min(1).default(16).describe('Jobs waiting to run, in all.'),
    max_result_bytes: z.number().int().min(1024).default(200_000).describe('Bytes of one tool result.'),
    max_inline_rows: z.number().int().min(1).default(100_000).describe('Rows of inline CSV or inline results.'),
    max_body_bytes: z.number().int().min(1024).default(8_000_000).describe('Bytes of one HTTP request body.'),
    max_windows: z.number().int().min(1).default(500).describe('Windows per walk_forward call (an optimising walk-forward also holds windows × n_trials to max_trials).'),
    candle_cache_mb: z.number().int().min(1).default(512).describe('Memory for loaded candle series, in MiB (48 bytes a bar, shared with worker threads); the least recently used are evicted, and a dataset larger than this is not loaded.'),
    max_requests_per_client: z.number().int().min(1).default(32).describe('HTTP requests one client may have in flight (handled + waiting).'),
    max_concurrent_requests: z.number().int().min(1).default(64).describe('HTTP requests handled at once, in all.'),
    max_queued_requests: z.number().int().min(0).default(128).describe('HTTP requests waiting for a slot, in all.'),
  })
  .strict();

export type Limits = z.infer<typeof limitsSchema>;

/** Champion promotion gates (config/server.yaml `gates:`); per-call `gate_overrides` are recorded. */
export const gatesSchema = z
  .object({
    min_oos_trades: z.number().int().min(0).default(30).describe('Out-of-sample trades the evidence must have.'),
    min_dsr: z.number().min(0).max(1).default(0.99).describe('Minimum deflated Sharpe ratio (a probability) of the out-of-sample evidence; also the verdicts\' DSR caution level (calibrated: npm run bench:calibration).'),
    max_pbo: z.number().min(0).max(1).default(0.5).describe('Maximum probability of backtest overfitting, for candidates from an optimisation.'),
    max_p_value: z.number().gt(0).max(1).default(0.1).describe('The candidate must beat the incumbent with a paired-bootstrap p-value below this.'),
    bootstrap_resamples: z.number().int().min(100).max(200_000).default(10_000).describe('Resamples of the paired bootstrap.'),
    bootstrap_seed: z.number().int().default(42).describe('Seed of the paired bootstrap (same inputs ⇒ same p-value).'),
    bootstrap_block: z.number().int().min(1).max(250).default(1).describe('Block length in days (1 = i.i.d. days; > 1 = circular block bootstrap).'),
    token_minutes: z.number().min(1).max(1440).default(15).describe('Lifetime of a dry run\'s confirm_token.'),
  })
  .strict();

export type Gates = z.infer<typeof gatesSchema>;

export const configSchema = z
  .object({
    wait_seconds: z.number().min(0).max(600).default(45).describe('How long a long-running tool waits before returning a run handle.'),
    workers: z.number().int().min(1).max(64).default(2).describe('Worker threads for trials and batch items.'),
    demo: z
      .object({ symbol: z.string().default('DEMO-BTC'), timeframe: z.string().default('1h'), days: z.number().int().min(1).default(730), seed: z.number().int().default(42) })
      .strict()
      .prefault({}),
    limits: limitsSchema.prefault({}),
    gates: gatesSchema.prefault({}).describe('Champion promotion gates (see config/server.yaml).'),
  })
  .strict();

export type AppConfig = z.infer<typeof configSchema>;

export function parseConfig(raw: unknown, source = 'config'): AppConfig {
  return parseStrict(configSchema, raw ?? {}, { source: `invalid ${source}` });
}

/** Reads a YAML config file if it exists; defaults otherwise. */
export function loadConfigFile(file: string): AppConfig {
  if (!existsSync(file)) return parseConfig({});
  return parseConfig(parseYaml(readFileSync(file, 'utf8')), file);
}
