/**
 * `tradelab strategy validate|import|show|list`: strategy-language documents from the shell.
 * validate compiles and bias-checks without storing (exit 1 when invalid); import stores each
 * file as a new version of its name (the same document again is a no-op); show prints a stored
 * definition (its text as imported, or the canonical document with --json).
 */
import { readFileSync } from 'node:fs';
import { formatLangError } from '../engine/strategies/lang/index.js';
import { listStrategies } from '../engine/strategies/registry.js';
import { defineStrategy, type DefineResult } from '../research/define-strategy.js';
import { UserError } from '../research/errors.js';
import { StrategyDefinitionError } from '../research/strategies.js';
import { definitionVersions, getDefinition, latestDefinitions } from '../storage/strategy-definitions.js';
import { openCliApp } from './app.js';
import { err, numberFlag, out, parse } from './args.js';

export const STRATEGY_HELP = `tradelab strategy <validate|import|show|list> [options]

  validate FILE...            compile and check each file (look-ahead refused, warm-up warned); stores nothing
  import FILE...              store each file as a new version of its name (unchanged documents are kept as they are)
  show NAME [--version N]     the stored document (as imported; --json: canonical form and metadata)
  list                        built-in and stored strategies (stored ones with version and hash)

Options: --skip-bias (validate/import without the look-ahead and warm-up checks), --by TEXT (who imports), --json
Files are YAML or JSON in the strategy language: docs/strategy-language.md; examples in config/strategies/.
Exit: 0 ok, 1 a file is invalid or looks ahead (nothing from that file is stored), 2 bad usage.`;

const OPTIONS = {
  version: { type: 'string' },
  'skip-bias': { type: 'boolean' },
  by: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function readDoc(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { field: 'FILE', value: file, expected: 'a readable YAML or JSON file' });
  }
}

function resultLine(file: string, r: DefineResult): string {
  const what = r.dry_run ? 'valid' : r.created ? `stored as ${r.name} v${r.version}` : `unchanged (${r.name} v${r.version})`;
  const bias = r.bias ? `bias check ${r.bias.verdict} on ${r.bias.dataset}` : 'bias check not run';
  return `${file}: ${what}, hash ${r.hash.slice(0, 12)}, warm-up ${r.warmup} bars, ${bias}${r.warnings.map((w) => `\n  warning: ${w}`).join('')}`;
}

function defineFiles(files: string[], dryRun: boolean, v: Record<string, string | boolean | undefined>): number {
  if (files.length === 0) throw new UserError(`strategy ${dryRun ? 'validate' : 'import'} needs at least one FILE`, { field: 'FILE', hint: 'e.g. tradelab strategy import config/strategies/rsi_levels.yaml' });
  const app = openCliApp();
  let failed = 0;
  const results: unknown[] = [];
  try {
    for (const file of files) {
      try {
        const r = defineStrategy(app, { definition: readDoc(file), dry_run: dryRun, skip_bias: v['skip-bias'] === true, by: typeof v.by === 'string' ? v.by : 'cli' });
        results.push({ file, valid: true, ...r });
        if (!v.json) out(resultLine(file, r));
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        failed++;
        const errors = e instanceof StrategyDefinitionError ? e.errors : null;
        results.push({ file, valid: false, error: e.message, ...(errors ? { errors } : {}) });
        if (!v.json) err(errors ? `${file}: ${errors.length} error(s), not stored:\n${errors.map((x) => `  ${formatLangError(x)}`).join('\n')}` : `${file}: ${e.message}`);
      }
    }
  } finally {
    app.db.close();
  }
  if (v.json) out(JSON.stringify(results));
  return failed > 0 ? 1 : 0;
}

function show(name: string | undefined, v: Record<string, string | boolean | undefined>): number {
  if (!name) throw new UserError('strategy show needs a NAME', { field: 'NAME', hint: 'tradelab strategy list shows the stored names' });
  const version = numberFlag(v.version, 'version');
  const app = openCliApp();
  try {
    const row = getDefinition(app.db, name, version);
    if (!row) {
      const versions = definitionVersions(app.db, name).map((d) => d.version);
      throw new UserError(
        versions.length ? `"${name}" has no version ${String(version)}` : `no stored strategy named "${name}"`,
        versions.length ? { field: '--version', value: version, expected: `one of ${versions.join(', ')}` } : { field: 'NAME', value: name, expected: `one of ${latestDefinitions(app.db).map((d) => d.name).join(', ') || '(none stored yet: tradelab strategy import FILE)'}` },
      );
    }
    if (v.json) out(JSON.stringify({ name: row.name, version: row.version, hash: row.hash, created_at: new Date(row.created_at).toISOString(), created_by: row.created_by, document: JSON.parse(row.document) as unknown }));
    else out(`# ${row.name} v${row.version}, hash ${row.hash}, stored ${new Date(row.created_at).toISOString()}${row.created_by ? ` by ${row.created_by}` : ''}\n${row.source ?? JSON.stringify(JSON.parse(row.document), null, 2)}`);
    return 0;
  } finally {
    app.db.close();
  }
}

function list(v: Record<string, string | boolean | undefined>): number {
  const app = openCliApp();
  try {
    const builtIn = listStrategies().map((d) => ({ name: d.name, source: 'built-in' }));
    const user = latestDefinitions(app.db).map((d) => ({ name: d.name, source: 'user', version: d.version, hash: d.hash }));
    if (v.json) out(JSON.stringify([...builtIn, ...user]));
    else out([...builtIn.map((s) => `${s.name}  (built-in)`), ...user.map((s) => `${s.name}  (user v${s.version}, hash ${s.hash.slice(0, 12)})`)].join('\n'));
    return 0;
  } finally {
    app.db.close();
  }
}

export async function strategyCommand(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(argv, OPTIONS, 'strategy', Number.MAX_SAFE_INTEGER);
  const [sub, ...rest] = positionals;
  if (v.help || !sub) return (out(STRATEGY_HELP), v.help ? 0 : 2);
  switch (sub) {
    case 'validate':
      return defineFiles(rest, true, v);
    case 'import':
      return defineFiles(rest, false, v);
    case 'show':
      if (rest.length > 1) throw new UserError(`strategy show: unexpected argument ${JSON.stringify(rest[1])}`, { field: rest[1], expected: 'one NAME' });
      return show(rest[0], v);
    case 'list':
      return list(v);
    default:
      throw new UserError(`unknown strategy subcommand ${JSON.stringify(sub)}`, { field: 'subcommand', value: sub, expected: 'validate, import, show or list' });
  }
}
