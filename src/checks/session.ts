import type pg from 'pg';
import { sqlstateOf } from '../db/sqlstate.js';
import { MvwatchError } from '../errors.js';
import type { Exec } from './types.js';

const SAVEPOINT = 'mvwatch_check';
/** current transaction is aborted, commands ignored until end of transaction block. */
const IN_FAILED_SQL_TRANSACTION = '25P02';

/**
 * Runs `fn` with an `exec` whose every statement sits in its own savepoint, rolled back after
 * it: a failing statement becomes an exception for that check only, and nothing a statement
 * changes (SET LOCAL, or writes that slipped past the read-only guard) outlives it.
 *
 * Inside the caller's transaction (the quality gate) nothing is begun, committed or rolled
 * back beyond those savepoints. On an idle connection the engine opens a read-only REPEATABLE
 * READ transaction of its own, so every check sees one snapshot, and rolls it back at the end.
 */
export async function withCheckSession<T>(
  client: pg.ClientBase,
  fn: (exec: Exec, side: Exec | undefined) => Promise<T>,
  options: { pool?: pg.Pool } = {},
): Promise<T> {
  // 'I' idle, 'T' in a transaction, 'E' in a failed one (pg ≥ 8.13).
  const state = typeof client.getTransactionStatus === 'function' ? client.getTransactionStatus() : 'T';
  const aborted = (cause?: unknown) =>
    new MvwatchError('MVW_CHECKS_FAILED', 'Cannot run checks: the transaction is already aborted.', {
      cause,
    });
  if (state === 'E') throw aborted();
  const own = state === 'I';
  const exec = savepointExec(client);
  if (own) await client.query('begin isolation level repeatable read read only');
  // Only when the engine owns the snapshot: the gate's uncommitted contents exist in its
  // transaction alone, so there everything runs on the caller's connection.
  const side = own && options.pool ? await openSide(client, options.pool) : undefined;
  try {
    return await fn(exec, side?.exec);
  } catch (e) {
    // pg may report a failed statement before it records the aborted state, so 'T' can lie.
    throw sqlstateOf(e) === IN_FAILED_SQL_TRANSACTION ? aborted(e) : e;
  } finally {
    await side?.close();
    if (own) await client.query('rollback').catch(() => {});
  }
}

/**
 * An Exec whose every statement sits in its own savepoint, rolled back after it (see above).
 * Statements on one connection are serialized here, so concurrent callers never interleave
 * one statement's savepoint with another's.
 */
function savepointExec(client: pg.ClientBase): Exec {
  let queue: Promise<unknown> = Promise.resolve();
  const run: Exec = async (sql, params = [], options = {}) => {
    // Rolled back even on success: checks only read, and SET LOCAL must not leak to the caller.
    const restore = () => client.query(`rollback to savepoint ${SAVEPOINT}; release savepoint ${SAVEPOINT}`);
    await client.query(`savepoint ${SAVEPOINT}`);
    let result: pg.QueryResult;
    try {
      if (options.readOnly) await client.query('set local transaction_read_only = on');
      const settings = { ...options.settings };
      if (options.timeoutMs !== undefined) settings.statement_timeout = String(Math.ceil(options.timeoutMs));
      for (const [name, value] of Object.entries(settings)) {
        await client.query('select set_config($1, $2, true)', [name, value]);
      }
      result = await client.query(sql, params);
    } catch (e) {
      // The statement's error is the one worth reporting; a dead connection fails the next call anyway.
      await restore().catch(() => {});
      throw e;
    }
    await restore();
    return result as never;
  };
  return ((sql, params, options) => {
    const out = queue.then(() => run(sql, params, options));
    queue = out.catch(() => {});
    return out;
  }) as Exec;
}

/** PostgreSQL's exported snapshot ids look like `00000003-0000001B-1`. */
const SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+-[0-9]+$/;

/**
 * A second connection reading the same snapshot as `client` (pg_export_snapshot + SET
 * TRANSACTION SNAPSHOT), so statements that need a scan of their own — the duplicate sort —
 * run beside the main scan on another core and still see exactly the same rows. Undefined when
 * no connection can be had at once: the checks then run one after another, as before.
 */
async function openSide(
  client: pg.ClientBase,
  pool: pg.Pool,
): Promise<{ exec: Exec; close(): Promise<void> } | undefined> {
  const { rows } = await client.query<{ id: string }>('select pg_export_snapshot() as id');
  const id = rows[0]?.id ?? '';
  if (!SNAPSHOT_ID.test(id)) return undefined;
  const other = await connectNow(pool);
  if (!other) return undefined;
  try {
    // SET TRANSACTION SNAPSHOT takes no parameters; the id was checked against its format above.
    await other.query(`begin isolation level repeatable read read only; set transaction snapshot '${id}'`);
  } catch {
    await other.query('rollback').catch(() => {});
    other.release();
    return undefined;
  }
  const exec = savepointExec(other);
  return {
    exec,
    async close() {
      // Wait for anything still queued on it (a check whose caller already failed).
      await exec('select 1').catch(() => {});
      await other.query('rollback').catch(() => {});
      other.release();
    },
  };
}

/** How long the side connection may take to come: a pool at its limit must not stall the checks. */
const SIDE_CONNECT_WAIT_MS = 100;

/**
 * A pool connection if one is free (or can be opened) now, else undefined. Never waits for
 * another holder to release one: two engines each holding a connection and waiting for a
 * second would deadlock a full pool. A connection that arrives too late goes straight back.
 */
async function connectNow(pool: pg.Pool): Promise<pg.PoolClient | undefined> {
  if (pool.idleCount === 0 && pool.totalCount >= (pool.options.max ?? 10)) return undefined;
  const pending = pool.connect();
  let timer: NodeJS.Timeout | undefined;
  const tooLate = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, SIDE_CONNECT_WAIT_MS, undefined);
  });
  const got = await Promise.race([pending.catch(() => undefined), tooLate]);
  clearTimeout(timer);
  if (got) return got;
  pending.then(
    (c) => c.release(),
    () => {},
  );
  return undefined;
}
