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
export async function withCheckSession<T>(client: pg.ClientBase, fn: (exec: Exec) => Promise<T>): Promise<T> {
  // 'I' idle, 'T' in a transaction, 'E' in a failed one (pg ≥ 8.13).
  const state = typeof client.getTransactionStatus === 'function' ? client.getTransactionStatus() : 'T';
  const aborted = (cause?: unknown) =>
    new MvwatchError('MVW_CHECKS_FAILED', 'Cannot run checks: the transaction is already aborted.', {
      cause,
    });
  if (state === 'E') throw aborted();
  const own = state === 'I';
  const exec: Exec = async (sql, params = [], options = {}) => {
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
  if (own) await client.query('begin isolation level repeatable read read only');
  try {
    return await fn(exec);
  } catch (e) {
    // pg may report a failed statement before it records the aborted state, so 'T' can lie.
    throw sqlstateOf(e) === IN_FAILED_SQL_TRANSACTION ? aborted(e) : e;
  } finally {
    if (own) await client.query('rollback').catch(() => {});
  }
}
