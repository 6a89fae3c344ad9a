import { z } from 'zod';
import { GATE_NAMES, promote, type PromoteResult } from '../research/champions/index.js';
import { gateBrief, gateLine, keyText, publicExport, versionView } from './champion-format.js';
import { defineTool } from './types.js';
import { promoteOutput } from './outputs/champions.js';

const overrideSchema = z
  .object({
    gate: z.enum(GATE_NAMES).describe('Failing gate to let through.'),
    reason: z.string().min(3).max(500).describe('Why bypass it (recorded).'),
  })
  .strict();

export const championPromoteTool = defineTool({
  name: 'champion_promote',
  title: 'Promote a champion',
  description:
    'Two steps. 1) dry_run (default): resolves the candidate (validated optimisations: holdout-passed trials only), finds OOS evidence, ' +
    'checks gates, diffs vs incumbent, ' +
    'returns confirm_token if promotable. 2) dry_run false + token + reason writes it. Failing gates block unless overridden.',
  tier: 'write',
  inputSchema: {
    candidate: z
      .object({
        run_id: z.string().min(1).max(64).describe('Backtest, walk_forward or optimize run.'),
        trial: z.number().int().min(0).max(10_000_000).optional().describe('Trial (optimize runs).'),
      })
      .strict()
      .describe('Configuration to promote.'),
    evidence_run_id: z.string().min(1).max(64).optional().describe('OOS evidence: walk_forward run or later holdout backtest (default: auto).'),
    dry_run: z.boolean().optional().describe('Default true (report only); false promotes.'),
    confirm_token: z.string().min(1).max(300).optional().describe('From the dry run; expires; bound to candidate, incumbent, gates, overrides.'),
    reason: z.string().min(3).max(500).optional().describe('Why (required if dry_run false; recorded).'),
    gate_overrides: z
      .object({
        min_oos_trades: z.number().int().min(0).max(1_000_000).optional(),
        min_dsr: z.number().min(0).max(1).optional(),
        max_pbo: z.number().min(0).max(1).optional(),
        max_p_value: z.number().gt(0).max(1).optional(),
      })
      .strict()
      .optional()
      .describe('Per-call gate thresholds (recorded).'),
    override: z
      .union([overrideSchema, z.array(overrideSchema).max(5)])
      .optional()
      .describe('Let failing gates through (recorded); same value in dry run and confirmation.'),
  },
  outputSchema: promoteOutput,
  annotations: { destructiveHint: true, idempotentHint: false },
  handler(args, ctx) {
    const overrides = args.override === undefined ? [] : Array.isArray(args.override) ? args.override : [args.override];
    const r = publicExport(ctx.app, promote(ctx.app, {
      candidate: args.candidate,
      evidence_run_id: args.evidence_run_id,
      dry_run: args.dry_run,
      confirm_token: args.confirm_token,
      reason: args.reason,
      gate_overrides: args.gate_overrides,
      overrides,
      promoted_by: `mcp:${ctx.clientId}`,
    }));
    return { text: promoteText(r), data: promoteData(r) };
  },
});

export function promoteData(r: PromoteResult): Record<string, unknown> {
  const data: Record<string, unknown> = {
    dry_run: r.dry_run,
    key: r.key,
    promotable: r.promotable,
    blocking: r.gate_report.blocking,
    gates: r.gate_report.gates.map((g) => ({ ...gateBrief(g), detail: g.detail, ...(g.data ? { data: g.data } : {}) })),
    thresholds: r.gate_report.thresholds,
    candidate: r.candidate,
    evidence: r.evidence,
    incumbent: r.incumbent,
    diff: r.diff,
  };
  if (r.dry_run) {
    data.confirm_token = r.confirm_token;
    data.token_expires_at = r.token_expires_at;
  } else {
    data.promoted = r.promoted ? versionView(r.promoted) : null;
    data.export = r.export;
  }
  return data;
}

export function promoteText(r: PromoteResult): string {
  const lines = r.gate_report.gates.map((g) => `- ${gateLine(g)}`);
  const who = `${keyText(r.key)}: candidate ${r.candidate.run_id as string}${r.candidate.trial !== null ? ` trial ${String(r.candidate.trial)}` : ''}`;
  const inc = r.incumbent ? `incumbent v${r.incumbent.version}` : 'no incumbent';
  if (!r.dry_run && r.promoted) {
    const exp = r.export && 'file' in r.export ? ` Exported ${r.export.file}.` : r.export && 'error' in r.export ? ` Warning: ${r.export.error}` : '';
    return `Promoted ${who} as v${r.promoted.version} (${inc} before).${exp}\n${lines.join('\n')}`;
  }
  const verdict = r.promotable
    ? `Promotable. To promote, call again with dry_run: false, the same arguments, a reason, and confirm_token ${r.confirm_token ?? ''} (expires ${r.token_expires_at}).`
    : `NOT promotable: ${r.gate_report.blocking.join(', ')} failed. Improve the evidence, or override a gate with {gate, reason} (recorded).`;
  const changed = r.diff.params_changed.map((c) => `${c.param}: ${JSON.stringify(c.incumbent)} → ${JSON.stringify(c.candidate)}`).join(', ');
  return `Dry run — ${who} (${inc}). ${verdict}\nParams changed: ${changed || 'none'}\n${lines.join('\n')}`;
}
