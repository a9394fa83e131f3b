import type pg from 'pg';
import { MaterializedViewAlerting, type RunObservation } from '../alerts/alerting.js';
import type { Db } from '../db/db.js';
import { formatQualified, parseQualifiedName, type QualifiedName } from '../db/identifiers.js';
import { MaterializedViewMonitor } from '../monitor/monitor.js';
import { MaterializedViewRefresh } from '../refresh/refresh.js';
import type { CheckResult, CheckStatus, RefreshResult, RefreshStrategy } from '../types.js';

/** What a check step reports: every result, the overall status, and the row count it measured. */
export interface CheckOutcome {
  results: CheckResult[];
  status: CheckStatus;
  /** Rows in the view, measured in the same scan (used as the refresh's row count). */
  rowCount?: number;
}

/**
 * The pluggable check step: runs a view's checks on `client`, which is inside the refresh
 * transaction when the quality gate is on (it must then neither commit nor roll back).
 */
export type CheckStep = (
  client: pg.ClientBase,
  context: { view: QualifiedName; viewKey: string; refreshDurationMs?: number },
) => Promise<CheckOutcome>;

/** Settings of one task (one view). */
export interface TaskOptions {
  /** `schema.name` of the materialized view. */
  view: string;
  /** Default `auto`. */
  strategy?: RefreshStrategy;
  /** statement_timeout in ms (default 10 min). */
  timeoutMs?: number;
  /** lock_timeout in ms (default 30 s). */
  lockTimeoutMs?: number;
  /** Run the checks inside the refresh transaction and publish only if none ends in error (default false). */
  gate?: boolean;
  /** The checks; omitted: the run has none. */
  checks?: CheckStep;
  /** `CREATE MATERIALIZED VIEW ...` run first when the view does not exist (the seed's define_materialized_view_sql). */
  definition?: string;
  /** Tables the view reads, recorded in metadata. */
  sourceTables?: string[];
  /** The view's labels (routing, owners). */
  labels?: Record<string, string>;
  /** Freshness SLA: `stale_data` when the last successful refresh is older than `warnAfterMs`. */
  freshness?: { warnAfterMs: number; errorAfterMs?: number };
  /** What started the run: `cli`, `schedule`, `api`, `upstream` (default `api`). */
  trigger?: string;
}

/** The seed's task result: `{status, refresh, quality}`, plus the alerts raised. */
export interface TaskResult {
  status: 'success' | 'failed' | 'skipped' | 'cancelled';
  refresh: RefreshResult;
  quality: { status: CheckStatus; checks: CheckResult[] } | null;
  alerts: number[];
}

/**
 * One view's pipeline: refresh → record → checks → record → alerts. A cancelled run (its
 * AbortSignal fired) stops between steps and says so; what already happened stays recorded.
 */
export class MaterializedViewTask {
  readonly view: QualifiedName;
  readonly viewKey: string;
  private readonly refresher: MaterializedViewRefresh;
  private readonly monitor: MaterializedViewMonitor;
  private readonly alerting: MaterializedViewAlerting;

  constructor(
    private readonly db: Db,
    private readonly options: TaskOptions,
    parts: { alerting?: MaterializedViewAlerting } = {},
  ) {
    this.view = parseQualifiedName(options.view);
    this.viewKey = formatQualified(this.view);
    this.refresher = new MaterializedViewRefresh(db);
    this.monitor = new MaterializedViewMonitor(db);
    this.alerting = parts.alerting ?? new MaterializedViewAlerting(db);
  }

  /** Runs the pipeline once. Never throws for a database problem: the result says what failed. */
  async run(options: { signal?: AbortSignal } = {}): Promise<TaskResult> {
    const { signal } = options;
    const o = this.options;
    if (signal?.aborted) return { status: 'cancelled', refresh: this.notRun(), quality: null, alerts: [] };
    if (o.definition) await this.createIfMissing(o.definition);

    let gateOutcome: CheckOutcome | undefined;
    const refresh = await this.refresher.refresh(this.view, {
      strategy: o.strategy,
      timeoutMs: o.timeoutMs,
      lockTimeoutMs: o.lockTimeoutMs,
      // With checks, their single scan measures the row count; counting first would scan twice.
      countRows: !o.checks,
      beforeCommit:
        o.gate && o.checks
          ? async (client) => {
              gateOutcome = await o.checks!(client, { view: this.view, viewKey: this.viewKey });
              const blocking = gateOutcome.results.filter((c) => c.status === 'error');
              return {
                publish: gateOutcome.status !== 'error',
                rowCount: gateOutcome.rowCount,
                reason: `Quality gate blocked publication: ${blocking.map((c) => `${c.check}: ${c.message}`).join('; ')}`,
              };
            }
          : undefined,
    });
    const gateBlocked = refresh.status === 'failed' && gateOutcome?.status === 'error';

    let outcome = gateOutcome;
    if (refresh.status === 'success' && !outcome && o.checks && !signal?.aborted) {
      outcome = await this.runChecksAfter(refresh);
      if (outcome.rowCount !== undefined) refresh.rowCount = outcome.rowCount;
    }
    refresh.runId = await this.monitor.recordRefreshMetadata(refresh, {
      sourceTables: o.sourceTables,
      trigger: o.trigger,
    });
    const checks = outcome?.results ?? [];
    if (checks.length) await this.monitor.recordQualityChecks(this.viewKey, checks, refresh.runId);
    if (checks.length || outcome) refresh.checks = checks;

    const observation: RunObservation = {
      refresh,
      checks,
      gateBlocked,
      labels: o.labels,
      freshness: o.freshness && (await this.freshnessOf(refresh, o.freshness)),
    };
    const alerts = signal?.aborted ? [] : await this.alerting.observeRun(observation);
    refresh.alerts = alerts;

    const quality = outcome ? { status: outcome.status, checks } : null;
    if (signal?.aborted) return { status: 'cancelled', refresh, quality, alerts };
    const status = refresh.status === 'success' ? 'success' : refresh.status;
    return { status, refresh, quality, alerts };
  }

  /** The SLA with the last success: this run's when it succeeded, else the recorded one. */
  private async freshnessOf(refresh: RefreshResult, sla: { warnAfterMs: number; errorAfterMs?: number }) {
    if (refresh.status === 'skipped') return undefined;
    const last =
      refresh.status === 'success'
        ? refresh.finishedAt
        : (await this.monitor.getLatestRefreshStatus(this.viewKey)).lastSuccessTime;
    return { ...sla, lastSuccessAt: last ? new Date(last) : null };
  }

  /** The result of a refresh that never started (cancelled first); not recorded. */
  private notRun(): RefreshResult {
    const now = new Date().toISOString();
    return {
      view: this.viewKey,
      status: 'skipped',
      strategy: this.options.strategy ?? 'auto',
      usedStrategy: null,
      fallback: false,
      startedAt: now,
      finishedAt: now,
      durationMs: 0,
      rowCount: null,
      runId: null,
    };
  }

  /** Non-gated checks: after the refresh committed, on a connection of their own. */
  private async runChecksAfter(refresh: RefreshResult): Promise<CheckOutcome> {
    const client = await this.db.pool.connect();
    try {
      return await this.options.checks!(client, {
        view: this.view,
        viewKey: this.viewKey,
        refreshDurationMs: refresh.durationMs,
      });
    } catch (e) {
      // A check step that throws is itself a finding, never a crashed run.
      return {
        status: 'error',
        results: [
          { check: 'checks', kind: 'engine', status: 'error', message: (e as Error).message, details: {} },
        ],
      };
    } finally {
      client.release();
    }
  }

  private async createIfMissing(definition: string): Promise<void> {
    const { rows } = await this.db.query(
      `select 1 from pg_matviews where schemaname = $1::text and matviewname = $2::text`,
      [this.view.schema, this.view.name],
    );
    if (rows.length === 0) await this.db.query(definition);
  }
}
