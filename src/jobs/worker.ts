/**
 * The worker: graphile-worker running the notification tasks, the liveness lock that lets other
 * workers recover its jobs if it dies, and the maintenance loop. Used by `mvwatch worker` and by
 * `serve`. Any number of workers on any number of machines share the queue through PostgreSQL.
 */
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Runner, run, runOnce, type TaskList, type WorkerEvents } from 'graphile-worker';
import pg from 'pg';
import type { MaterializedViewAlerting } from '../alerts/alerting.js';
import type { Config } from '../config/load.js';
import type { Db } from '../db/db.js';
import { type Logger, silentLogger } from '../log.js';
import { channelRegistry } from '../notify/channel-registry.js';
import type { ChannelDeps } from '../notify/channels/index.js';
import { createNotifier } from '../notify/notifier.js';
import { createAlerting } from '../pipeline.js';
import { openLiveness } from './liveness.js';
import { type MaintenanceReport, maintain } from './maintenance.js';
import { graphileLogger, installWorkerSchema } from './queue.js';
import { notifyTasks } from './tasks.js';

/** Options of startWorker. */
export interface StartWorkerOptions {
  /** Aborting stops the worker gracefully (running jobs finish, or are cancelled after 5 s). */
  signal?: AbortSignal;
  /** Run the jobs that are due now, including those they queue, then stop (default false). */
  once?: boolean;
  /**
   * With `once`: also run jobs that fall due within this many ms (a retry after a 503, a grouped
   * notification), waiting for them, and stop only when the queue is empty or its next job is
   * further away (default 0: only what is due now).
   */
  onceWaitMs?: number;
  /** Default silent. */
  log?: Logger;
  /** Handed to every channel (console output, the database for pg_notify — default `db`). */
  channelDeps?: ChannelDeps;
  /** Raises `notification_failed` and releases silences; default one built with the notifier's hook. */
  alerting?: MaterializedViewAlerting;
  /** More tasks to run in the same worker (scheduled refreshes), merged with the notification tasks. */
  extraTasks?: TaskList;
  /** How often an idle worker polls for future jobs, in ms (default 2000; new jobs arrive by LISTEN at once). */
  pollIntervalMs?: number;
}

/** A running worker. */
export interface WorkerHandle {
  /** Pool ids of this worker's graphile-worker pools. */
  readonly poolIds: readonly string[];
  /** Runs one maintenance pass now (tests, `--once`). */
  maintain(): Promise<MaintenanceReport>;
  /** Stops gracefully and releases every connection. Idempotent. */
  stop(): Promise<void>;
  /** Settles when the worker has stopped (by stop, the signal, or at the end of `once`). */
  readonly done: Promise<void>;
}

/** Connections beyond the job concurrency: graphile-worker's LISTEN client and one for its bookkeeping. */
const EXTRA_CONNECTIONS = 2;

/**
 * How long each shutdown step may take. pg's Pool.end() waits for every checked-out client, and a
 * connection being re-established after a database restart may never be handed back: a stopping
 * worker must still stop (systemd would otherwise wait for its SIGKILL).
 */
const RELEASE_STEP_MS = 5_000;

/** Awaits `step`, but at most RELEASE_STEP_MS; a step that overruns is logged and left behind. */
async function bounded(name: string, step: Promise<unknown>, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<'overrun'>((resolve) => {
    timer = setTimeout(resolve, RELEASE_STEP_MS, 'overrun');
    timer.unref();
  });
  const outcome = await Promise.race([
    step.then(
      () => 'done' as const,
      () => 'done' as const,
    ),
    overrun,
  ]);
  clearTimeout(timer);
  if (outcome === 'overrun') log.warn(`worker shutdown: ${name} did not finish within ${RELEASE_STEP_MS} ms`);
}

/**
 * Starts a worker for `config.notify` on `db`. Installs graphile-worker's schema, frees jobs of
 * dead workers, then runs until stopped (or, with `once`, until nothing is due).
 */
export async function startWorker(
  db: Db,
  config: Config,
  options: StartWorkerOptions = {},
): Promise<WorkerHandle> {
  const log = options.log ?? silentLogger;
  const notifier = createNotifier(db, config, { log });
  const { delivery } = notifier;
  await installWorkerSchema(db.pool, delivery.workerSchema, log);
  const alerting = options.alerting ?? createAlerting(db, config, { onTransitions: notifier.onTransitions });
  const channels = channelRegistry(config.notify, { db, ...options.channelDeps });
  const dashboardUrl = typeof config.server.publicUrl === 'string' ? config.server.publicUrl : undefined;
  const taskList: TaskList = {
    ...options.extraTasks,
    ...notifyTasks({ db, delivery, channels, alerting, log, ...(dashboardUrl ? { dashboardUrl } : {}) }),
  };
  const liveness = await openLiveness(db.url, log);
  const poolIds: string[] = [];
  const events = new EventEmitter() as WorkerEvents;
  events.on('pool:create', ({ workerPool }) => {
    poolIds.push(workerPool.id);
    liveness.hold(workerPool.id);
  });
  const maintenance = () => maintain({ db, alerting, delivery, log });
  // See superviseRunner below: a runner whose first job fetch failed may never fetch again.
  let fetchedOnce = false;
  let fetchFailures = 0;
  (events as EventEmitter).on('localQueue:getJobs:complete', () => {
    fetchedOnce = true;
  });
  await maintenance();

  const gwPool = new pg.Pool({
    connectionString: db.url,
    max: delivery.concurrency + EXTRA_CONNECTIONS,
    application_name: 'mvwatch-worker',
  });
  // Set once the pool is being closed: pg-pool's end() resolves when its clients have been told
  // to end, not when the server has seen that, so a server stopping right after (the embedded one,
  // at the end of `worker --once`) may still report terminating them. That is no lost connection.
  let closing = false;
  const lost = (e: Error) => {
    if (!closing) log.warn('worker connection lost', { error: e.message });
  };
  // An idle connection that dies must not crash the process; graphile-worker reconnects.
  gwPool.on('error', lost);
  // A checked-out connection that dies emits on its client: without a listener that would crash us.
  gwPool.on('connect', (client) => client.on('error', lost));
  const common = {
    pgPool: gwPool,
    schema: delivery.workerSchema,
    taskList,
    concurrency: delivery.concurrency,
    noHandleSignals: true,
    pollInterval: options.pollIntervalMs ?? 2_000,
    logger: graphileLogger(log, { onFetchError: () => fetchFailures++ }),
    events,
  };
  /** Batching for a long-running worker (runOnce must fetch one job at a time to see those its jobs queue). */
  const batching = {
    worker: {
      // Each fetch locks a batch for the pool's workers: one get_job per batch, not per job.
      localQueue: { size: delivery.concurrency },
      // Completions of jobs finishing together go in one statement (one commit).
      completeJobBatchDelay: 0,
    },
  };

  let stopped: Promise<void> | undefined;
  const release = async () => {
    await bounded('closing the liveness connection', liveness.close(), log);
    closing = true;
    await bounded('closing the job connections', gwPool.end(), log);
    await bounded('closing the channels', channels.close(), log);
  };

  if (options.once) {
    const waitMs = options.onceWaitMs ?? 0;
    // stop() or the caller's signal ends the wait for later jobs (a running round finishes first).
    const halt = new AbortController();
    const ended = options.signal ? AbortSignal.any([options.signal, halt.signal]) : halt.signal;
    const done = (async () => {
      for (;;) {
        // A fresh options object each round, for the same reason as startRunner below.
        await runOnce({ ...common });
        if (ended.aborted) return;
        const next = await msUntilNextJob(db, delivery.ws);
        if (next === null || next > waitMs) return;
        // Graphile's clock is the database's: a job due "now" may still be a few ms away for it.
        const waited = await sleep(Math.max(next, 0) + 20, true, { signal: ended }).catch(() => false);
        if (!waited) return;
      }
    })().finally(release);
    return {
      poolIds,
      maintain: maintenance,
      stop: () => {
        halt.abort();
        return done.catch(() => {});
      },
      done,
    };
  }

  // A fresh options object per runner: graphile-worker caches per options object, including
  // (in 0.17) a rejected first look-up of its task ids that wedges every later fetch.
  const startRunner = () => run({ ...common, preset: { worker: { ...batching.worker } } });
  let runner = await startRunner();
  let recycling = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  const watch = (r: Runner) =>
    r.promise.then(
      () => (r === runner && !recycling ? stop() : undefined),
      (e) => {
        if (r !== runner || recycling) return;
        log.error('worker failed', { error: (e as Error).message });
        return stop();
      },
    );

  /**
   * graphile-worker 0.17 remembers a failed first look-up of its task ids (for instance when the
   * database restarts just as the worker starts) and then fails every fetch with that old error
   * while everything else works again. When fetches have only ever failed and the database
   * answers now, start a fresh runner and stop the wedged one: no job is lost (the wedged runner
   * never locked any), and waiting ones run at once.
   */
  const superviseRunner = async () => {
    if (fetchedOnce || fetchFailures === 0 || recycling || stopped) return;
    try {
      await db.pool.query('select 1');
    } catch {
      return; // still down: nothing a new runner could do better
    }
    recycling = true;
    try {
      const wedged = runner;
      fetchFailures = 0;
      runner = await startRunner();
      void watch(runner);
      await wedged.stop().catch(() => {});
      log.warn('worker restarted its job runner: its first job fetch had failed');
    } catch (e) {
      log.error('worker could not restart its job runner', { error: (e as Error).message });
    } finally {
      recycling = false;
    }
  };

  const timer = setInterval(() => {
    void maintenance();
    void superviseRunner();
  }, delivery.maintenanceIntervalMs);
  timer.unref();
  const stop = () => {
    stopped ??= (async () => {
      clearInterval(timer);
      await runner
        .stop()
        .catch((e) => log.warn('worker stopped with an error', { error: (e as Error).message }));
      await release();
    })().finally(resolveDone);
    return stopped;
  };
  options.signal?.addEventListener('abort', () => void stop(), { once: true });
  if (options.signal?.aborted) void stop();
  void watch(runner);
  return { poolIds, maintain: maintenance, stop, done };
}

/** Milliseconds until the next job that can run falls due (≤ 0: due now), or null when none is queued. */
async function msUntilNextJob(db: Db, ws: string): Promise<number | null> {
  const { rows } = await db.query<{ ms: number | null }>(
    `select (extract(epoch from min(run_at) - now()) * 1000)::float8 as ms
       from ${ws}.jobs where locked_at is null and attempts < max_attempts`,
  );
  return rows[0]?.ms ?? null;
}
