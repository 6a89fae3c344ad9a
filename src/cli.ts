/**
 * tradelab command-line entry point: dispatches to one module per command. Errors a user
 * can fix (InputError: UserError, DataError, …) are printed plainly with exit code 2; anything
 * else is a bug (1). A command's module is loaded when that command runs, so a quick command
 * (runs, champion status, …) does not load the MCP server, the HTTP stack and the chart
 * renderers first.
 */
import { InputError } from './engine/errors.js';
import { closestName } from './engine/strategies/suggest.js';
import { storageUrl } from './cli/storage-url.js';
import { PACKAGE_VERSION } from './paths.js';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  serve: { run: async (a) => (await import('./cli/serve.js')).serveCommand(a), summary: 'serve MCP over stdio, or Streamable HTTP with --http' },
  backtest: { run: async (a) => (await import('./cli/backtest.js')).backtestCommand(a), summary: 'run one backtest (CSV file or stored dataset)' },
  batch: { run: async (a) => (await import('./cli/batch.js')).batchCommand(a), summary: 'run a batch of backtests (symbols × timeframes × param sets) from a spec file' },
  scenarios: { run: async (a) => (await import('./cli/scenarios.js')).scenariosCommand(a), summary: 'run the scenarios of a file (from_study, perturb, ensemble) with a comparison report' },
  import: { run: async (a) => (await import('./cli/import.js')).importCommand(a), summary: 'import a CSV of candles into the store' },
  datasets: { run: async (a) => (await import('./cli/import.js')).datasetsCommand(a), summary: 'list stored datasets' },
  resample: { run: async (a) => (await import('./cli/import.js')).resampleCommand(a), summary: 'store a coarser-timeframe version of a dataset (e.g. 1m → 1h)' },
  champion: { run: async (a) => (await import('./cli/champion.js')).championCommand(a), summary: 'champion registry: status | history | promote (dry run, then --confirm) | rollback' },
  optimize: { run: async (a) => (await import('./cli/optimize.js')).optimizeCommand(a), summary: 'run the optimisation tasks of a job file (resumable studies)' },
  'walk-forward': { run: async (a) => (await import('./cli/walk-forward.js')).walkForwardCommand(a), summary: 'walk-forward validation (optimise in-sample, test out-of-sample, stitch)' },
  demo: { run: async (a) => (await import('./cli/demo.js')).demoCommand(a), summary: 'a scripted agent session through the MCP client (data → backtest → optimise → walk-forward → analyse → promote)' },
  report: { run: async (a) => (await import('./cli/report.js')).reportCommand(a), summary: 'one self-contained HTML report (every chart, metrics, warnings) of a run, study or champion' },
  strategy: { run: async (a) => (await import('./cli/strategy.js')).strategyCommand(a), summary: 'strategy-language documents: validate | import | show | list' },
  'check-bias': { run: async (a) => (await import('./cli/check-bias.js')).checkBiasCommand(a), summary: 'check a strategy for look-ahead and warm-up bias (exit 0 ok, 1 bias found)' },
  analyze: { run: async (a) => (await import('./cli/analyze.js')).analyzeCommand(a), summary: 'analyse stored runs (basic/advanced/deep) with a verdict' },
  runs: { run: async (a) => (await import('./cli/runs.js')).runsCommand(a), summary: 'list stored runs (id, kind, status, strategy, dataset, created, key figures)' },
  studies: { run: async (a) => (await import('./cli/studies.js')).studiesCommand(a), summary: 'list stored studies (strategy, data, trials by state, best value, last update)' },
  summarize: { run: async (a) => (await import('./cli/summarize.js')).summarizeCommand(a), summary: 'summarise a stored study (counts, durations, best and top trials; trial filters, CSV export); without a name, list the studies' },
  clients: { run: async (a) => (await import('./cli/clients.js')).clientsCommand(a), summary: 'OAuth clients of serve --http --auth oauth: list | revoke CLIENT_ID | audit (compute/write calls)' },
  enqueue: { run: async (a) => (await import('./cli/worker.js')).enqueueCommand(a), summary: 'put a job\'s studies in a shared PostgreSQL storage for workers (returns at once)' },
  worker: { run: async (a) => (await import('./cli/worker.js')).workerCommand(a), summary: 'run trials of the studies in a shared PostgreSQL storage (any number of workers and machines)' },
  'copy-store': { run: async (a) => (await import('./cli/copy-store.js')).copyStoreCommand(a), summary: 'copy the embedded SQLite store, every row, into an empty PostgreSQL database (then serve with --storage)' },
  gc: { run: async (a) => (await import('./cli/gc.js')).gcCommand(a), summary: 'remove old runs under the retention policy (dry run unless --confirm); --vacuum gives space back' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`);
  return (
    `tradelab ${PACKAGE_VERSION} — strategy research lab (MCP server + CLI)\n\nUsage: tradelab <command> [options]   (tradelab <command> --help for details)\n\n${lines.join('\n')}\n\n` +
    `Every command takes --storage postgresql://USER:PASS@HOST:PORT/DB (or TRADELAB_DATABASE_URL) to keep the whole store\n` +
    `(datasets, runs, studies, the trial ledger, champions) in PostgreSQL instead of $TRADELAB_HOME/tradelab.db.\n`
  );
}

/** Commands whose own --storage names the shared storage they work on. */
const OWN_STORAGE = new Set(['worker', 'enqueue', 'studies']);

/**
 * Takes `--storage URL` (or `--storage=URL`) out of a command's arguments and makes it the
 * process's store, as TRADELAB_DATABASE_URL does.
 */
function takeStorage(command: string, args: string[]): string[] {
  if (OWN_STORAGE.has(command)) return args;
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return [...out, ...args.slice(i)];
    const inline = a.startsWith('--storage=') ? a.slice('--storage='.length) : undefined;
    if (a !== '--storage' && inline === undefined) {
      out.push(a);
      continue;
    }
    const url = inline ?? args[++i];
    process.env.TRADELAB_DATABASE_URL = storageUrl(url);
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    const guess = closestName(name, Object.keys(COMMANDS));
    process.stderr.write(`tradelab: unknown command ${JSON.stringify(name)}${guess ? `; did you mean ${guess}?` : ''}\n\n${usage()}`);
    return 2;
  }
  try {
    return await cmd.run(takeStorage(name, rest));
  } catch (e) {
    // the caller's to fix (exit 2); anything else is a bug, reported as internal (exit 1)
    if (e instanceof InputError) {
      process.stderr.write(`tradelab ${name}: ${e.describe()}\n`);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`tradelab: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
