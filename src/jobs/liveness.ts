/**
 * Recovering the jobs of a worker that died (SIGKILL, OOM, power loss). graphile-worker 0.17 only
 * frees a locked job after 4 hours (hard-coded in resetLockedAt); its supported way to free one
 * sooner is `force_unlock_workers(ids)` "when the workers are no longer running". This tells the
 * dead from the living without clocks: each worker pool holds a session advisory lock keyed on
 * its id for as long as its process lives. PostgreSQL drops that lock the moment the connection
 * dies, so a pool id whose lock can be taken belongs to a dead process.
 */
import pg from 'pg';
import type { Db } from '../db/db.js';
import type { Logger } from '../log.js';

/** First key of the two-int advisory locks (`hashtext('mvwatch.worker-alive')` would do; a constant is clearer). */
const LIVENESS_NAMESPACE = 50_061;

/** A connection whose session holds one advisory lock per live worker pool of this process. */
export interface Liveness {
  /** Marks pool `id` alive until close (called from graphile-worker's `pool:create`, before it takes a job). */
  hold(id: string): void;
  close(): Promise<void>;
}

/** How long to wait before reconnecting a dropped liveness connection. */
const RECONNECT_MS = 1_000;

/** Opens the liveness connection. */
export async function openLiveness(url: string, log: Logger): Promise<Liveness> {
  const held = new Set<string>();
  let closed = false;
  let client = await connect();

  async function connect(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: url, application_name: 'mvwatch-worker-liveness' });
    c.on('error', (e) => {
      if (closed) return;
      // Until it is back, other workers may take this process's running jobs for abandoned: a
      // duplicate send with the same idempotency key, never a lost one.
      log.warn('worker liveness connection lost; reconnecting', { error: e.message });
      setTimeout(() => void reconnect(), RECONNECT_MS);
    });
    await c.connect();
    for (const id of held) await lock(c, id);
    return c;
  }

  async function reconnect(): Promise<void> {
    if (closed) return;
    try {
      client = await connect();
    } catch (e) {
      log.warn('worker liveness reconnect failed', { error: (e as Error).message });
      setTimeout(() => void reconnect(), RECONNECT_MS);
    }
  }

  function lock(c: pg.Client, id: string): Promise<unknown> {
    return c.query('select pg_advisory_lock($1, hashtext($2))', [LIVENESS_NAMESPACE, id]);
  }

  return {
    hold(id) {
      held.add(id);
      // Issued synchronously on an idle connection: it reaches the server before the pool's first job query.
      lock(client, id).catch((e) =>
        log.warn('could not mark worker alive', { pool: id, error: (e as Error).message }),
      );
    },
    async close() {
      closed = true;
      await client.end().catch(() => {});
    },
  };
}

/**
 * Frees the jobs (and job queues) locked by worker pools that are dead, and locked longer than
 * `graceMs` ago (a pool that just started may not hold its lock yet). Returns the dead pool ids.
 * Safe in any number of processes at once.
 */
export async function recoverAbandonedJobs(db: Db, ws: string, graceMs: number): Promise<string[]> {
  return db.transaction(async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `select id from (
         select locked_by as id from ${ws}.jobs where locked_by is not null and locked_at < now() - $1 * interval '1 ms'
         union
         select locked_by from ${ws}._private_job_queues where locked_by is not null and locked_at < now() - $1 * interval '1 ms'
       ) l
       -- transaction-scoped: released at commit; succeeds only when no live session holds the pool's lock
       where pg_try_advisory_xact_lock($2, hashtext(id))`,
      [graceMs, LIVENESS_NAMESPACE],
    );
    const dead = rows.map((r) => r.id);
    if (dead.length) await client.query(`select ${ws}.force_unlock_workers($1::text[])`, [dead]);
    return dead;
  });
}
