import { z } from 'zod';
import { GATE_NAMES, promote, type PromoteResult } from '../research/champions/index.js';
import { defaultsTo, documented, listedAs } from '../research/listing.js';
import { gateBrief, gateLine, keyText, publicExport, versionView } from './champion-format.js';
import { defineTool } from './types.js';
import { promoteOutput } from './outputs/champions.js';

const overrideSchema = z
  .object({
    gate: z.enum(GATE_NAMES).describe('Failing gate to let through.'),
    reason: z.string().min(3).max(500).describe('Why bypass it (recorded).'),
  })
  .strict();
const overrideInput = listedAs(z.union([overrideSchema, z.array(overrideSchema).max(5)]), { type: ['object', 'array'] });

export const championPromoteTool = defineTool({
  name: 'champion_promote',
  title: 'Promote a champion',
  description:
    'dry_run (default) checks the candidate\'s gates and OOS evidence, diffs the incumbent, returns confirm_token; then dry_run false + token + reason writes the new version.',
  doc:
    'The candidate is a backtest, a walk_forward, or a trial of an optimize run (of a validated study: only trials that passed the holdout). ' +
    'Out-of-sample evidence is found automatically (a walk_forward or a later holdout backtest of the same configuration) or named with `evidence_run_id`. ' +
    'Gates: oos_evidence, min_oos_trades, min_dsr, max_pbo, beats_incumbent; `gate_overrides` changes thresholds for this call (recorded). A failing gate blocks unless `override: {gate, reason}` (or a list of them) lets it through, recorded, with the same value in the dry run and the confirmation. ' +
    'The confirm_token expires and is bound to the candidate, the incumbent, the gates and the overrides. A promotion appends a version (champion_history) and exports config/champions/<strategy>_<symbol>_<timeframe>.json.',
  tier: 'write',
  inputSchema: {
    candidate: documented(
      z
        .object({
          run_id: z.string().min(1).max(64).describe('Backtest, walk_forward or optimize run.'),
          trial: z.number().int().min(0).max(10_000_000).optional().describe('Of an optimize run.'),
        })
        .strict(),
      'The configuration to promote: a backtest or walk_forward run, or an optimize run with a trial number (of a validated study: a trial that passed; the error lists them).',
    ),
    evidence_run_id: z.string().min(1).max(64).optional().describe('OOS evidence (default: found).'),
    dry_run: defaultsTo(z.boolean().optional(), true).describe('false promotes.'),
    confirm_token: z.string().min(1).max(300).optional().describe('From the dry run.'),
    reason: z.string().min(3).max(500).optional().describe('Required to promote; recorded.'),
    gate_overrides: listedAs(
      z
        .object({
          min_oos_trades: z.number().int().min(0).max(1_000_000).optional(),
          min_dsr: z.number().min(0).max(1).optional(),
          max_pbo: z.number().min(0).max(1).optional(),
          max_p_value: z.number().gt(0).max(1).optional(),
        })
        .strict(),
      { type: 'object' },
    )
      .optional()
      .describe('{min_oos_trades, min_dsr, max_pbo, max_p_value}: thresholds for this call (recorded).'),
    override: overrideInput.optional().describe('{gate, reason} or a list: let failing gates through (recorded).'),
  },
  outputSchema: promoteOutput,
  annotations: { destructiveHint: true },
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
