import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { isMvwatchError } from '../errors.js';
import { LOG_LEVELS } from '../log.js';
import { COMMANDS } from './commands/index.js';
import { resetExitCode, takeExitCode } from './exit-code.js';

function version(): string {
  try {
    return JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version;
  } catch {
    return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  }
}

/** Builds the `mvwatch` program (exported for tests and for embedding). */
export function buildProgram(): Command {
  const program = new Command('mvwatch')
    .description(
      'Keeps PostgreSQL materialized views fresh and correct, and tells the right people, once, when they are not.',
    )
    .version(version())
    .option('--config <path>', 'configuration file (default: ./mvwatch.yaml when present)')
    .option(
      '--database-url <url>',
      'PostgreSQL connection string (default: DATABASE_URL, then the config, then an embedded server under .mvwatch/)',
    )
    .option('--schema <name>', 'state schema (default: mvwatch)')
    .option('--json', 'machine-readable output on stdout, nothing else there')
    .addOption(new Option('--log-level <level>', 'log detail on stderr').choices(LOG_LEVELS).default('info'))
    .showHelpAfterError('(run mvwatch --help for usage)')
    .exitOverride();
  program.configureOutput({ outputError: (s, write) => write(s) });
  for (const c of COMMANDS) c.register(program);
  // Subcommands inherit exitOverride so usage errors reach main() and exit 2.
  const override = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.exitOverride();
      override(sub);
    }
  };
  override(program);
  return program;
}

/** Runs the CLI and returns the exit code: 0 success, 1 something failed, 2 usage or configuration. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const program = buildProgram();
  const debug = argv.some(
    (a, i) => a === '--log-level=debug' || (a === '--log-level' && argv[i + 1] === 'debug'),
  );
  resetExitCode();
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(argv, { from: 'user' });
    return takeExitCode();
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end with exit 0; every other commander error is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (isMvwatchError(e)) {
      process.stderr.write(`mvwatch: ${e.message}\n`);
      if (debug && e.cause) process.stderr.write(`${(e.cause as Error)?.stack ?? e.cause}\n`);
      return e.exitCode;
    }
    process.stderr.write(`mvwatch: ${(e as Error)?.message ?? e}\n`);
    if (debug) process.stderr.write(`${(e as Error)?.stack}\n`);
    return 1;
  }
}
