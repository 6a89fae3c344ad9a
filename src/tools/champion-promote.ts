import { z } from 'zod';
import { GATE_NAMES, promote, type PromoteResult } from '../research/champions/index.js';
import { gateBrief, gateLine, keyText, publicExport, versionView } from './champion-format.js';
import { defineTool } from './types.js';
import { promoteOutput } from './outputs/champions.js';

const overrideSchema = z
  .object({
    gate: z.enum(GATE_NAMES).describe('The failing gate to let through.'),
    reason: z.string().min(3).max(500).describe('Why it may be bypassed (recorded in the history).'),
  })
  .strict();

export const championPromoteTool = defineTool({
  name: 'champion_promote',
  title: 'Promote a champion',
  description:
    'Two steps. 1) dry_run true (default): resolves the candidate (a backtest or walk_forward run, or an optimize run + trial; of a validated optimisation ' +
    'only trials that passed its holdout), finds its out-of-sample evidence, evaluates the gates (beats_incumbent: paired bootstrap of daily returns vs the ' +
    'champion re-run on the same OOS days), diffs against the incumbent and returns a confirm_token when promotable. 2) dry_run false with that token and ' +
    'a reason writes the new version. A failing gate blocks unless overridden with a reason.',
  tier: 'write',
  inputSchema: {
    candidate: z
      .object({
        run_id: z.string().min(1).max(64).describe('A backtest, walk_forward or optimize run id.'),
        trial: z.number().int().min(0).max(10_000_000).optional().describe('Trial number, for an optimize run.'),
      })
      .strict()
      .describe('The configuration to promote.'),
    evidence_run_id: z.string().min(1).max(64).optional().describe('Out-of-sample evidence: a walk_forward run or a holdout backtest after the in-sample range (default: found automatically).'),
    dry_run: z.boolean().optional().describe('true (default): report only; false: promote (needs confirm_token and reason).'),
    confirm_token: z.string().min(1).max(300).optional().describe('The confirm_token of the dry run (expires; bound to candidate, incumbent, gate report and overrides).'),
    reason: z.string().min(3).max(500).optional().describe('Why this promotion (required with dry_run false; recorded).'),
    gate_overrides: z
      .object({
        min_oos_trades: z.number().int().min(0).max(1_000_000).optional(),
        min_dsr: z.number().min(0).max(1).optional(),
        max_pbo: z.number().min(0).max(1).optional(),
        max_p_value: z.number().gt(0).max(1).optional(),
      })
      .strict()
      .optional()
      .describe('Per-call thresholds instead of the configured gates (recorded with the version).'),
    override: z
      .union([overrideSchema, z.array(overrideSchema).max(5)])
      .optional()
      .describe('Let a failing gate through: {gate, reason} or a list of them (recorded with the version). Use the same value in the dry run and the confirmation.'),
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
