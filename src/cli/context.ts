import type { Command } from 'commander';
import type { MaterializedViewAlerting } from '../alerts/alerting.js';
import { type Config, loadConfig } from '../config/load.js';
import { openDatabase } from '../db/connect.js';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { MvwatchError } from '../errors.js';
import { createLogger, LOG_LEVELS, type Logger, type LogLevel } from '../log.js';
import { MaterializedViewMonitor } from '../monitor/monitor.js';
import { createNotifier } from '../notify/notifier.js';
import { createAlerting, createCheckStepFactory } from '../pipeline.js';
import type { CheckStepFactory } from '../task/from-config.js';
import { setExitCode } from './exit-code.js';

/** Global options every command accepts (SPEC §5). */
export interface GlobalOptions {
  config?: string;
  databaseUrl?: string;
  schema?: string;
  json?: boolean;
  logLevel?: string;
}

/** What a command's action receives. */
export interface CliContext {
  config: Config;
  db: Db;
  log: Logger;
  json: boolean;
  monitor: MaterializedViewMonitor;
  alerting: MaterializedViewAlerting;
  /** The check step of a configured view (the check engine). */
  checkStep: CheckStepFactory;
  /** Prints `value` as JSON with --json, else the human text. */
  print(value: unknown, human: () => string): void;
}

/** Reads the global options from the root program, wherever the command sits. */
export function globalsOf(cmd: Command): GlobalOptions {
  let root = cmd;
  while (root.parent) root = root.parent;
  return root.opts<GlobalOptions>();
}

/** The logger the global `--log-level` asks for; an unknown level is a usage error. */
export function loggerFor(globals: GlobalOptions): Logger {
  const level = (globals.logLevel ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(level)) {
    throw new MvwatchError(
      'MVW_INVALID_ARGUMENT',
      `Unknown --log-level ${JSON.stringify(level)}: use ${LOG_LEVELS.join(', ')}.`,
    );
  }
  return createLogger(level);
}

/** Loads configuration only (for commands that need no database). */
export function configFor(globals: GlobalOptions): Config {
  return loadConfig({ path: globals.config });
}

/**
 * Runs a command body with configuration loaded, the database open and migrated, and closes
 * everything afterwards (stopping the embedded server if this process started it). The body
 * returns the exit code (default 0), which main() returns once commander is done.
 */
export async function withContext(
  cmd: Command,
  body: (ctx: CliContext) => Promise<number | undefined>,
): Promise<void> {
  const globals = globalsOf(cmd);
  const log = loggerFor(globals);
  const config = configFor(globals);
  const db = await openDatabase({
    databaseUrl: globals.databaseUrl || process.env.DATABASE_URL || config.database,
    schema: globals.schema ?? config.schema,
    onEmbeddedLog: (line) => log.debug(line.trim()),
  });
  try {
    await migrate(db);
    const json = Boolean(globals.json);
    // With channels configured, every alert write queues its notifications in its own transaction.
    const notifier = Object.keys(config.notify.channels).length
      ? createNotifier(db, config, { log })
      : undefined;
    await notifier?.prepare();
    const ctx: CliContext = {
      config,
      db,
      log,
      json,
      monitor: new MaterializedViewMonitor(db),
      alerting: createAlerting(db, config, { onTransitions: notifier?.onTransitions }),
      checkStep: createCheckStepFactory(db),
      print(value, human) {
        process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
      },
    };
    setExitCode((await body(ctx)) ?? 0);
  } finally {
    await db.close();
  }
}
