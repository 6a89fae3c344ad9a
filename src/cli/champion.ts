/** `tradelab champion status|history|promote|rollback`: the champion registry from the shell. */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { openApp, type App } from '../research/app.js';
import { championHistory, getChampion, GATE_NAMES, listChampions, promote, rollback, THRESHOLD_NAMES, type GateName, type Thresholds } from '../research/champions/index.js';
import { UserError } from '../research/errors.js';
import { keyText, versionView } from '../tools/champion-format.js';
import { promoteData, promoteText } from '../tools/champion-promote.js';
import { argsError, countFlag, numberFlag, out } from './args.js';

export const CHAMPION_HELP = `tradelab champion <status|history|promote|rollback> [options]

  status   [--strategy S] [--symbol X] [--timeframe TF]          current champion(s)
  history  --strategy S --symbol X --timeframe TF [--limit N]     every version, newest first
  promote  --run RUN_ID [--trial N] [--evidence RUN_ID]           dry run: prints the gate report and a confirm token
           [--override GATE=REASON]... [--gate NAME=VALUE]...     (exit code 3 when not promotable)
           --confirm TOKEN --reason TEXT                          promote for real (same --override/--gate as the dry run)
  rollback --strategy S --symbol X --timeframe TF --to N --reason TEXT [--expect N]
                                                                  restore version N as a new version

Gates: ${GATE_NAMES.join(', ')}. Thresholds (--gate): ${THRESHOLD_NAMES.join(', ')}.
Every command accepts --json. Champion files are exported to ./config/champions/.`;

const OPTIONS = {
  strategy: { type: 'string' },
  symbol: { type: 'string' },
  timeframe: { type: 'string' },
  limit: { type: 'string' },
  run: { type: 'string' },
  trial: { type: 'string' },
  evidence: { type: 'string' },
  override: { type: 'string', multiple: true },
  gate: { type: 'string', multiple: true },
  confirm: { type: 'string' },
  reason: { type: 'string' },
  by: { type: 'string' },
  to: { type: 'string' },
  expect: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function parse(argv: string[]): { sub: string | undefined; v: Values } {
  try {
    const r = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    if (r.positionals.length > 1) throw new Error(`unexpected argument ${JSON.stringify(r.positionals[1])}`);
    return { sub: r.positionals[0], v: r.values };
  } catch (e) {
    throw argsError('champion', e, OPTIONS);
  }
}

function need(v: string | undefined, flag: string): string {
  if (v === undefined || v === '') throw new UserError(`--${flag} is required`, { field: `--${flag}`, hint: 'run `tradelab champion --help`' });
  return v;
}

function whoAmI(by: string | undefined): string {
  if (by) return by;
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

function overrides(list: readonly string[] = []): { gate: GateName; reason: string }[] {
  return list.map((s) => {
    const i = s.indexOf('=');
    const gate = (i < 0 ? s : s.slice(0, i)).trim();
    if (!(GATE_NAMES as readonly string[]).includes(gate)) throw new UserError(`unknown gate ${JSON.stringify(gate)} in --override`, { field: '--override', value: s, expected: `GATE=REASON with GATE one of ${GATE_NAMES.join(', ')}` });
    if (i < 0 || s.slice(i + 1).trim().length < 3) throw new UserError(`--override ${gate} needs a reason`, { field: '--override', value: s, expected: `${gate}=why it may be bypassed` });
    return { gate: gate as GateName, reason: s.slice(i + 1).trim() };
  });
}

function thresholds(list: readonly string[] = []): Partial<Thresholds> | undefined {
  if (list.length === 0) return undefined;
  const outp: Record<string, number> = {};
  for (const s of list) {
    const [name, val] = s.split('=');
    if (!(THRESHOLD_NAMES as readonly string[]).includes(name)) throw new UserError(`unknown threshold ${JSON.stringify(name)} in --gate`, { field: '--gate', value: s, expected: `NAME=VALUE with NAME one of ${THRESHOLD_NAMES.join(', ')}` });
    const n = numberFlag(val, `gate ${name}`);
    if (n === undefined) throw new UserError(`--gate ${name} needs a value`, { field: '--gate', value: s });
    outp[name] = n;
  }
  return outp as Partial<Thresholds>;
}

function status(app: App, v: Values): number {
  if (v.strategy && v.symbol && v.timeframe) {
    const c = getChampion(app, v.strategy, v.symbol, v.timeframe);
    if (v.json) return (out(JSON.stringify({ champion: c ? versionView(c, true) : null })), 0);
    if (!c) return (out(`no champion for ${v.strategy} ${v.symbol} ${v.timeframe}`), 0);
    out(`${keyText(c)}: v${c.version}${c.rollback_of ? ` (rollback to v${c.rollback_of})` : ''}, promoted ${new Date(c.promoted_at).toISOString()} by ${c.promoted_by}: ${c.reason}`);
    out(`  params  ${JSON.stringify(c.params)}`);
    out(`  metrics ${JSON.stringify(c.metrics)}`);
    return 0;
  }
  const { champions, total } = listChampions(app, { strategy: v.strategy, symbol: v.symbol, timeframe: v.timeframe }, { limit: 500 });
  if (v.json) return (out(JSON.stringify({ champions: champions.map((c) => versionView(c)), total })), 0);
  if (total === 0) out('no champions yet');
  for (const c of champions) out(`${keyText(c)}  v${c.version}  ${JSON.stringify(c.params)}`);
  return 0;
}

function history(app: App, v: Values): number {
  const h = championHistory(app, need(v.strategy, 'strategy'), need(v.symbol, 'symbol'), need(v.timeframe, 'timeframe'), { limit: countFlag(v.limit, 'limit') ?? 50 });
  if (v.json) return (out(JSON.stringify({ key: h.key, current_version: h.current_version, total: h.total, versions: h.versions.map((x) => versionView(x)) })), 0);
  if (h.total === 0) return (out(`no champion history for ${keyText(h.key)}`), 0);
  for (const x of h.versions) {
    out(`v${x.version}${x.version === h.current_version ? ' (current)' : ''}${x.rollback_of ? ` rollback to v${x.rollback_of}` : ''}  ${new Date(x.promoted_at).toISOString()}  ${x.promoted_by}  ${x.reason}`);
    out(`    ${JSON.stringify(x.params)}`);
  }
  return 0;
}

function promoteCmd(app: App, v: Values): number {
  const trial = countFlag(v.trial, 'trial');
  const r = promote(app, {
    candidate: { run_id: need(v.run, 'run'), ...(trial !== undefined ? { trial } : {}) },
    evidence_run_id: v.evidence,
    dry_run: v.confirm === undefined,
    confirm_token: v.confirm,
    reason: v.reason,
    gate_overrides: thresholds(v.gate),
    overrides: overrides(v.override),
    promoted_by: whoAmI(v.by),
  });
  if (v.json) out(JSON.stringify(promoteData(r)));
  else {
    out(promoteText(r));
    if (r.dry_run && r.confirm_token) out(`\nconfirm with: tradelab champion promote --run ${v.run}${trial !== undefined ? ` --trial ${trial}` : ''} ${[...(v.override ?? []).map((o) => `--override '${o}'`), ...(v.gate ?? []).map((g) => `--gate ${g}`)].join(' ')} --reason '...' --confirm ${r.confirm_token}`.replace(/ {2,}/g, ' '));
  }
  return r.dry_run && !r.promotable ? 3 : 0;
}

function rollbackCmd(app: App, v: Values): number {
  const to = countFlag(need(v.to, 'to'), 'to') as number;
  const r = rollback(app, {
    strategy: need(v.strategy, 'strategy'),
    symbol: need(v.symbol, 'symbol'),
    timeframe: need(v.timeframe, 'timeframe'),
    to_version: to,
    reason: need(v.reason, 'reason'),
    expected_version: countFlag(v.expect, 'expect'),
    promoted_by: whoAmI(v.by),
  });
  if (v.json) return (out(JSON.stringify({ from_version: r.from_version, restored_version: r.restored_version, champion: versionView(r.version), export: r.export })), 0);
  out(`${keyText(r.version)}: v${r.version.version} restores v${r.restored_version} (was v${r.from_version})`);
  if (r.export && 'file' in r.export) out(`exported ${r.export.file}`);
  if (r.export && 'error' in r.export) out(`warning: ${r.export.error}`);
  return 0;
}

const SUBCOMMANDS: Record<string, (app: App, v: Values) => number> = { status, history, promote: promoteCmd, rollback: rollbackCmd };

/** The flags each subcommand reads; any other is refused rather than ignored. */
const SUB_FLAGS: Record<string, readonly string[]> = {
  status: ['strategy', 'symbol', 'timeframe', 'json'],
  history: ['strategy', 'symbol', 'timeframe', 'limit', 'json'],
  promote: ['run', 'trial', 'evidence', 'override', 'gate', 'confirm', 'reason', 'by', 'json'],
  rollback: ['strategy', 'symbol', 'timeframe', 'to', 'reason', 'expect', 'by', 'json'],
};

export async function championCommand(argv: string[]): Promise<number> {
  const { sub, v } = parse(argv);
  if (v.help || sub === undefined || sub === 'help') return (out(CHAMPION_HELP), sub === undefined && !v.help ? 2 : 0);
  const run = SUBCOMMANDS[sub];
  if (!run) throw new UserError(`unknown champion subcommand ${JSON.stringify(sub)}`, { field: 'subcommand', value: sub, expected: Object.keys(SUBCOMMANDS).join(', ') });
  const stray = Object.keys(v).find((k) => v[k as keyof Values] !== undefined && k !== 'help' && !SUB_FLAGS[sub].includes(k));
  if (stray !== undefined) {
    throw new UserError(`champion ${sub}: --${stray} does not apply to ${sub}`, { field: `--${stray}`, expected: `one of ${SUB_FLAGS[sub].map((f) => `--${f}`).join(', ')}`, hint: 'run `tradelab champion --help`' });
  }
  const app = openApp();
  try {
    return run(app, v);
  } finally {
    app.db.close();
  }
}
