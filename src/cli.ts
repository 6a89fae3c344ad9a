/**
 * tradelab command-line entry point: dispatches to one module per command. Errors a user
 * can fix (UserError) are printed plainly with exit code 2; anything else is a bug (1).
 */
import { backtestCommand } from './cli/backtest.js';
import { datasetsCommand, importCommand } from './cli/import.js';
import { optimizeCommand, summarizeCommand } from './cli/optimize.js';
import { serveCommand } from './cli/serve.js';
import { DataError } from './engine/data/errors.js';
import { UserError } from './research/errors.js';
import { PACKAGE_VERSION } from './paths.js';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  serve: { run: serveCommand, summary: 'serve MCP over stdio, or Streamable HTTP with --http' },
  backtest: { run: backtestCommand, summary: 'run one backtest (CSV file or stored dataset)' },
  import: { run: importCommand, summary: 'import a CSV of candles into the store' },
  datasets: { run: datasetsCommand, summary: 'list stored datasets' },
  optimize: { run: optimizeCommand, summary: 'run the optimisation tasks of a job file (resumable studies)' },
  summarize: { run: summarizeCommand, summary: 'summarise a stored study (counts, durations, best and top trials)' },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`);
  return `tradelab ${PACKAGE_VERSION} — strategy research lab (MCP server + CLI)\n\nUsage: tradelab <command> [options]   (tradelab <command> --help for details)\n\n${lines.join('\n')}\n`;
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
    process.stderr.write(`tradelab: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  try {
    return await cmd.run(rest);
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`tradelab ${name}: ${e.describe()}\n`);
      return 2;
    }
    if (e instanceof DataError || e instanceof RangeError) {
      process.stderr.write(`tradelab ${name}: ${e.message}\n`);
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
