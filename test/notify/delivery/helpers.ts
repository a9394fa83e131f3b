/** Shared pieces of the delivery tests: a real local receiver, a wired database, waiting. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach } from 'node:test';
import { MaterializedViewAlerting } from '../../../src/alerts/alerting.js';
import { buildConfig, type Config } from '../../../src/config/load.js';
import type { Db } from '../../../src/db/db.js';
import { type StartWorkerOptions, startWorker, type WorkerHandle } from '../../../src/jobs/worker.js';
import { createNotifier, type Notifier } from '../../../src/notify/notifier.js';
import { cliArgs } from '../../helpers/cli.js';
import { freshDatabase } from '../../helpers/db.js';

export { type Received, type Receiver, startReceiver } from '../../helpers/receiver.js';

/** Retry settings that keep tests fast: retries after tens of ms, maintenance every 200 ms. */
export const FAST_DELIVERY = {
  backoff: '20ms',
  maxBackoff: '100ms',
  maintenanceInterval: '200ms',
  concurrency: 4,
};

/** A migrated database with the notify config wired the way the CLI wires it. */
export interface Wired {
  db: Db;
  url: string;
  config: Config;
  notifier: Notifier;
  alerting: MaterializedViewAlerting;
  /** Starts a worker (stopped when the file ends). */
  worker(options?: StartWorkerOptions): Promise<WorkerHandle>;
}

/**
 * Workers stop at the end of each test: file-level `after` hooks run in registration order, and
 * freshDatabase's (dropping the database) was registered before any worker started.
 */
const running = new Set<WorkerHandle>();
afterEach(async () => {
  await Promise.all([...running].map((w) => w.stop()));
  running.clear();
});

/** A fresh database and the `notify` section (validated like a config file). */
export async function wire(notify: Record<string, unknown>): Promise<Wired> {
  const { db, url } = await freshDatabase();
  const config = buildConfig({ notify: { delivery: FAST_DELIVERY, ...notify } }, { env: {} });
  const notifier = createNotifier(db, config);
  await notifier.prepare();
  const alerting = new MaterializedViewAlerting(db, { onTransitions: notifier.onTransitions });
  const worker = async (options: StartWorkerOptions = {}) => {
    const w = await startWorker(db, config, { pollIntervalMs: 100, ...options });
    running.add(w);
    return w;
  };
  return { db, url, config, notifier, alerting, worker };
}

/** Polls `check` every 20 ms until it returns a truthy value; fails after `timeoutMs` (default 10 s). */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits `ms`. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `select count(*)::int as n …` of a state table query (`:S` is the state schema). */
export async function count(db: Db, sql: string, params: unknown[] = []): Promise<number> {
  return (await rows<{ n: number }>(db, sql, params))[0]!.n;
}

/** Rows of a state table query (`:S` is the state schema). */
export async function rows<T = Record<string, unknown>>(
  db: Db,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  return (await db.query(sql.replaceAll(':S', db.s), params)).rows as T[];
}

/** Starts the real CLI (see cliArgs) as a child process; killed when the file ends. */
export function spawnCli(
  args: string[],
  env: Record<string, string>,
): import('node:child_process').ChildProcess & {
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
} {
  const child = spawn(process.execPath, [...cliArgs(), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return Object.assign(child, { output: () => output, exited });
}

/** Writes `config` (JSON is YAML) to a temporary mvwatch.yaml and returns its path. */
export function writeConfig(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'mvwatch-delivery-'));
  const path = join(dir, 'mvwatch.yaml');
  writeFileSync(path, JSON.stringify(config, null, 2));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return path;
}
