/**
 * Enqueuing through graphile-worker's SQL API on a caller's client, so a job exists exactly when
 * the transaction that asked for it commits (graphile-worker's `add_jobs`).
 */
import { Logger as GraphileLogger, runMigrations } from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from '../log.js';

/** Task identifiers of the notification pipeline. Never renamed: queued jobs refer to them. */
export const TASKS = Object.freeze({
  /** Flush one aggregation group into one notification per channel. */
  flush: 'mvwatch_notify_flush',
  /** One delivery attempt of one notification to one channel. */
  deliver: 'mvwatch_notify_deliver',
  /** Raise `notification_failed` for a delivery that died. */
  failed: 'mvwatch_notify_failed',
});

/** One job to add. */
export interface JobSpec {
  task: string;
  payload: Record<string, unknown>;
  /** Default now. */
  runAt?: Date;
  /** A pending job with the same key is replaced (payload and run_at); a running one gets a successor. */
  jobKey?: string;
  /** graphile-worker's own retries, for jobs that throw (default 25). */
  maxAttempts?: number;
}

/** Adds jobs in one statement on `client` (inside the caller's transaction). `ws` is the quoted worker schema. */
export async function addJobs(client: pg.ClientBase, ws: string, specs: readonly JobSpec[]): Promise<void> {
  if (!specs.length) return;
  const rows = specs.map((s) => ({
    identifier: s.task,
    payload: s.payload,
    run_at: s.runAt?.toISOString() ?? null,
    max_attempts: s.maxAttempts ?? null,
    job_key: s.jobKey ?? null,
  }));
  await client.query(
    `select count(*) from ${ws}.add_jobs(array(
       select (j.identifier, j.payload, null, j.run_at, j.max_attempts, j.job_key, null, null)::${ws}.job_spec
         from json_to_recordset($1::json) as j(identifier text, payload json, run_at timestamptz,
           max_attempts int, job_key text)))`,
    [JSON.stringify(rows)],
  );
}

/** A graphile-worker logger writing to ours; its chatty `info` lines become `debug`; `onFetchError` sees failed fetches. */
export function graphileLogger(log: Logger, hooks: { onFetchError?: () => void } = {}): GraphileLogger {
  return new GraphileLogger(() => (level, message, meta) => {
    // graphile-worker reports a failed job fetch only through its logger.
    if (level === 'error' && message.startsWith('Error occurred fetching jobs')) hooks.onFetchError?.();
    const fields = meta && typeof meta === 'object' ? { ...(meta as Record<string, unknown>) } : undefined;
    // graphile-worker puts whole job rows and error objects in meta: keep the log line short.
    delete fields?.job;
    delete fields?.error;
    if (level === 'error') log.error(`worker: ${message}`, fields);
    else if (level === 'warning') log.warn(`worker: ${message}`, fields);
    else log.debug(`worker: ${message}`, fields);
  });
}

/** Per pool (one database), per schema: a process may talk to several databases (tests do). */
const installed = new WeakMap<pg.Pool, Map<string, Promise<void>>>();

/**
 * Installs or upgrades graphile-worker's schema `schema` (safe when several processes start at
 * once: graphile-worker inserts each migration's row first). Memoised per pool and schema.
 */
export function installWorkerSchema(pool: pg.Pool, schema: string, log: Logger): Promise<void> {
  let bySchema = installed.get(pool);
  if (!bySchema) {
    bySchema = new Map();
    installed.set(pool, bySchema);
  }
  let done = bySchema.get(schema);
  if (!done) {
    done = runMigrations({ pgPool: pool, schema, logger: graphileLogger(log) });
    bySchema.set(schema, done);
    // A failure (database down) is retried by the next caller instead of being cached.
    done.catch(() => bySchema.delete(schema));
  }
  return done;
}
