import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { DEFAULTS } from '../config/defaults.js';
import { type Db, isConnectionError } from '../db/db.js';
import {
  formatQualified,
  parseQualifiedName,
  type QualifiedName,
  quoteQualified,
} from '../db/identifiers.js';
import { CONCURRENT_NOT_POSSIBLE_CODES, messageOf, sqlstateOf } from '../db/sqlstate.js';
import { MvwatchError } from '../errors.js';
import { REFRESH_STRATEGIES, type RefreshResult, type RefreshStrategy } from '../types.js';
import { type ClassifiedError, classifyRefreshError } from './classify-error.js';
import { inspectAndLock, type ViewState } from './inspect.js';

/** What the gate hook decides, inside the refresh transaction, before commit. */
export interface PublishDecision {
  /** false rolls the refresh back: readers keep the previous contents. */
  publish: boolean;
  /** Row count measured by the hook (saves a separate count). */
  rowCount?: number;
  /** Why publication was refused, for the failed result. */
  reason?: string;
}

/** Options of one refresh. */
export interface RefreshOptions {
  /** `full`, `concurrent` or `auto` (default `auto`: concurrent when the view allows it). */
  strategy?: RefreshStrategy;
  /** statement_timeout for each statement of the refresh, in ms (default 10 min). */
  timeoutMs?: number;
  /** lock_timeout while waiting for the view's lock, in ms (default 30 s). */
  lockTimeoutMs?: number;
  /**
   * Count the rows in the refresh's own transaction (default true). The pipeline turns this
   * off when its checks measure the row count in their single scan anyway.
   */
  countRows?: boolean;
  /**
   * Runs after REFRESH and before COMMIT, on the refresh's connection (the quality gate).
   * Must not commit or roll back itself.
   */
  beforeCommit?: (
    client: pg.PoolClient,
    info: { usedStrategy: 'full' | 'concurrent' },
  ) => Promise<PublishDecision>;
}

interface Attempt {
  usedStrategy: 'full' | 'concurrent' | null;
  fallback: boolean;
  fallbackReason?: string;
  rowCount: number | null;
  error?: ClassifiedError;
  skipped?: boolean;
  /** The transaction was committed together with the row count. */
  committed?: boolean;
}

/**
 * Refreshes materialized views safely: one transaction per refresh with its own statement and
 * lock timeouts, a per-view advisory lock (a second refresh of the same view is skipped, not
 * queued), CONCURRENTLY when possible and FULL only when CONCURRENTLY is impossible, the row
 * count from the same transaction. Never throws for a database problem: the result says what
 * happened. Throws MvwatchError only for a name that is not a name.
 */
export class MaterializedViewRefresh {
  private readonly last = new Map<string, RefreshResult>();

  constructor(private readonly db: Db) {}

  /** Refreshes one view. `view` is `schema.name` (a bare name means `public.name`). */
  async refresh(view: string | QualifiedName, options: RefreshOptions = {}): Promise<RefreshResult> {
    const name = typeof view === 'string' ? parseQualifiedName(view) : view;
    const strategy = options.strategy ?? DEFAULTS.strategy;
    if (!REFRESH_STRATEGIES.includes(strategy)) {
      throw new MvwatchError(
        'MVW_INVALID_ARGUMENT',
        `Unknown strategy ${JSON.stringify(strategy)}: use full, concurrent or auto.`,
      );
    }
    for (const [key, v] of [
      ['timeoutMs', options.timeoutMs],
      ['lockTimeoutMs', options.lockTimeoutMs],
    ] as const) {
      if (v !== undefined && !(Number.isFinite(v) && v > 0)) {
        throw new MvwatchError(
          'MVW_INVALID_ARGUMENT',
          `${key} must be a positive number of milliseconds, got ${v}.`,
        );
      }
    }
    const startedAt = new Date();
    const t0 = performance.now();
    const attempt = await this.attempt(name, strategy, options);
    const result: RefreshResult = {
      view: formatQualified(name),
      status: attempt.skipped ? 'skipped' : attempt.error ? 'failed' : 'success',
      strategy,
      usedStrategy: attempt.usedStrategy,
      fallback: attempt.fallback,
      ...(attempt.fallbackReason ? { fallbackReason: attempt.fallbackReason } : {}),
      startedAt: startedAt.toISOString(),
      finishedAt: new Date(startedAt.getTime() + (performance.now() - t0)).toISOString(),
      durationMs: Math.round((performance.now() - t0) * 1000) / 1000,
      rowCount: attempt.rowCount,
      ...(attempt.error ? { error: attempt.error } : {}),
      runId: null,
    };
    this.last.set(result.view, result);
    return result;
  }

  /** The last result of a view refreshed through this instance (the seed kept it in memory). */
  getLastResult(view: string): RefreshResult | undefined {
    return this.last.get(formatQualified(parseQualifiedName(view)));
  }

  private async attempt(
    name: QualifiedName,
    strategy: RefreshStrategy,
    options: RefreshOptions,
  ): Promise<Attempt> {
    const none: Attempt = { usedStrategy: null, fallback: false, rowCount: null };
    let client: pg.PoolClient;
    try {
      client = await this.db.pool.connect();
    } catch (e) {
      return { ...none, error: classifyRefreshError(e) };
    }
    let broken: Error | undefined;
    try {
      // One round trip for BEGIN and both SET LOCALs (gone at commit or rollback). The values are
      // integers computed here, never user text, so a simple multi-statement query is safe.
      const timeout = wholeMs(options.timeoutMs ?? DEFAULTS.timeoutMs);
      const lockTimeout = wholeMs(options.lockTimeoutMs ?? DEFAULTS.lockTimeoutMs);
      await client.query(
        `begin; set local statement_timeout = ${timeout}; set local lock_timeout = ${lockTimeout}`,
      );
      const state = await inspectAndLock(client, name);
      const missing = this.missingError(name, state);
      if (missing) {
        await client.query('rollback');
        return { ...none, error: missing };
      }
      if (!state!.locked) {
        await client.query('rollback');
        return { ...none, skipped: true };
      }
      const out = await this.run(client, name, strategy, state!, options);
      if (out.error) await client.query('rollback').catch((re) => (broken = re));
      else if (!out.committed) await client.query('commit');
      delete out.committed;
      return out;
    } catch (e) {
      if (isConnectionError(e)) broken = e as Error;
      else await client.query('rollback').catch((re) => (broken = re));
      return { ...none, error: classifyRefreshError(e) };
    } finally {
      client.release(broken);
    }
  }

  private missingError(name: QualifiedName, state: ViewState | null): ClassifiedError | undefined {
    const display = formatQualified(name);
    if (!state) return { message: `Materialized view ${display} does not exist`, kind: 'missing' };
    if (state.relkind !== 'm') {
      return { message: `${display} is not a materialized view (relkind ${state.relkind})`, kind: 'missing' };
    }
    return undefined;
  }

  /** REFRESH with fallback, the gate, and the row count; errors are returned, never thrown. */
  private async run(
    client: pg.PoolClient,
    name: QualifiedName,
    strategy: RefreshStrategy,
    state: ViewState,
    options: RefreshOptions,
  ): Promise<Attempt> {
    const target = quoteQualified(name);
    const wantConcurrent =
      strategy === 'concurrent' || (strategy === 'auto' && state.populated && state.hasUniqueIndex);
    let usedStrategy: 'full' | 'concurrent' = wantConcurrent ? 'concurrent' : 'full';
    let fallback = false;
    let fallbackReason: string | undefined;
    try {
      if (wantConcurrent) {
        // A savepoint lets the FULL fallback run in the same transaction, under the same lock.
        await client.query('savepoint mvwatch_concurrent');
        try {
          await client.query(`refresh materialized view concurrently ${target}`);
        } catch (e) {
          const code = sqlstateOf(e);
          // Only "CONCURRENTLY is impossible here" falls back; a timeout or bad data never does.
          if (!code || !CONCURRENT_NOT_POSSIBLE_CODES.has(code)) throw e;
          await client.query('rollback to savepoint mvwatch_concurrent');
          fallback = true;
          fallbackReason = `${messageOf(e)} (SQLSTATE ${code})`;
          usedStrategy = 'full';
          await client.query(`refresh materialized view ${target}`);
        }
      } else {
        await client.query(`refresh materialized view ${target}`);
      }
      let rowCount: number | null = null;
      if (options.beforeCommit) {
        const decision = await options.beforeCommit(client, { usedStrategy });
        rowCount = decision.rowCount ?? null;
        if (!decision.publish) {
          return {
            usedStrategy,
            fallback,
            fallbackReason,
            rowCount,
            error: {
              message: decision.reason ?? 'Quality gate blocked publication of the new contents',
              kind: 'error',
            },
          };
        }
      }
      if (rowCount === null && options.countRows !== false) {
        // Count and commit in one round trip (a simple query: no parameters, a quoted name).
        const results = (await client.query(
          `select count(*) as n from ${target}; commit`,
        )) as unknown as pg.QueryResult[];
        return {
          usedStrategy,
          fallback,
          fallbackReason,
          rowCount: Number(results[0]!.rows[0].n),
          committed: true,
        };
      }
      return { usedStrategy, fallback, fallbackReason, rowCount };
    } catch (e) {
      return { usedStrategy, fallback, fallbackReason, rowCount: null, error: classifyRefreshError(e) };
    }
  }
}

/** A timeout as whole milliseconds, at least 1 (0 would mean "no timeout" to PostgreSQL). */
function wholeMs(v: number): number {
  return Math.max(1, Math.round(v));
}
