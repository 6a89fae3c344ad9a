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
    max_body_bytes: z.number().int().min(1024).default(8_000_000).describe('Bytes of one MCP message: an HTTP request body or one stdio line (import_candles csv text must fit in it).'),
    max_windows: z.number().int().min(1).default(500).describe('Windows per walk_forward call (an optimising walk-forward also holds windows × n_trials to max_trials).'),
    candle_cache_mb: z.number().int().min(1).default(512).describe('Memory for loaded candle series, in MiB (48 bytes a bar, shared with worker threads); the least recently used are evicted, and a dataset larger than this is not loaded.'),
    max_requests_per_client: z.number().int().min(1).default(32).describe('HTTP requests one client may have in flight (handled + waiting).'),
    max_concurrent_requests: z.number().int().min(1).default(64).describe('HTTP requests handled at once, in all.'),
    max_queued_requests: z.number().int().min(0).default(128).describe('HTTP requests waiting for a slot, in all.'),
    header_timeout_seconds: z.number().min(0.1).max(600).default(5).describe('HTTP: seconds a client has to send the request line and headers; then 408 and the connection is closed.'),
    body_timeout_seconds: z.number().min(0.1).max(600).default(10).describe('HTTP: seconds a client has to send the whole body after its headers; then 408 and the connection is closed. A request takes an admission slot only once its body is in.'),
    max_buffered_body_bytes: z.number().int().min(1024).default(128_000_000).describe('HTTP: bytes of request bodies held at once, in all (being received, waiting or running; at least max_body_bytes); a body that would exceed it gets 503.'),
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

/**
 * What `tradelab gc` keeps (config/server.yaml `retention:`). A run tree (a run with its child
 * runs) is removed only when no rule keeps it; champions' runs, the newest run of each study,
 * unfinished runs, studies, the trial ledger and datasets are always kept (research/retention.ts).
 */
export const retentionSchema = z
  .object({
    keep_days: z.number().min(0).nullable().default(90).describe('Keep runs created within this many days (null: no age rule).'),
    keep_runs: z.number().int().min(0).nullable().default(1_000).describe('Keep the newest this many top-level runs (null: no count rule).'),
    cache_days: z.number().min(0).nullable().default(90).describe('Drop optimizer result-cache entries older than this (null: keep them all); a dropped entry is only re-evaluated if needed again.'),
  })
  .strict();

export type Retention = z.infer<typeof retentionSchema>;

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
    retention: retentionSchema.prefault({}).describe('What tradelab gc keeps (see config/server.yaml).'),
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
