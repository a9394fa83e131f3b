import type { Db } from '../db/db.js';
import { formatQualified, parseQualifiedName } from '../db/identifiers.js';
import {
  type AlertFilter,
  acknowledge,
  countAlerts,
  getAlert,
  insertAlert,
  listAlerts,
} from '../db/queries/alerts.js';
import { MvwatchError } from '../errors.js';
import {
  type Alert,
  type AlertSummary,
  type CheckResult,
  type CheckStatus,
  type RefreshErrorKind,
  type RefreshResult,
  SEVERITIES,
} from '../types.js';
import { alertTypeForCheck, alertTypeForRefreshFailure, severityForCheck } from './mapping.js';

/** Extra context of a refresh failure, beyond the seed's arguments. */
export interface RefreshFailureContext {
  kind?: RefreshErrorKind;
  sqlstate?: string;
  runId?: number | null;
}

/** Everything one pipeline run observed about one view (MaterializedViewTask → alerting). */
export interface RunObservation {
  refresh: RefreshResult;
  /** Check results of the run (empty when the refresh failed before checks ran). */
  checks: CheckResult[];
  /** True when the quality gate rolled the refresh back because of these checks. */
  gateBlocked?: boolean;
  /** The view's labels from configuration (routing, owners). */
  labels?: Record<string, string>;
}

/**
 * Raises, lists, summarises and acknowledges alerts: every method of the seed's
 * MaterializedViewAlerting, with the same mappings and messages.
 */
export class MaterializedViewAlerting {
  constructor(private readonly db: Db) {}

  /**
   * A failed refresh. Type `refresh_timeout` for statement/lock timeouts (by SQLSTATE; the
   * seed's "message contains timeout" as fallback), else `refresh_failed`; severity `error`.
   * Returns the alert id.
   */
  async alertRefreshFailed(
    view: string,
    errorMessage: string,
    refreshStrategy: string,
    durationSeconds: number,
    additionalDetails: Record<string, unknown> = {},
    context: RefreshFailureContext = {},
  ): Promise<number> {
    const key = canonical(view);
    return insertAlert(this.db, {
      view: key,
      type: alertTypeForRefreshFailure(errorMessage, context.kind),
      severity: 'error',
      message: `Refresh failed for ${key}: ${errorMessage}`,
      details: {
        error_message: errorMessage,
        refresh_strategy: refreshStrategy,
        duration_seconds: durationSeconds,
        ...(context.kind ? { error_kind: context.kind } : {}),
        ...(context.sqlstate ? { sqlstate: context.sqlstate } : {}),
        ...(context.runId ? { run_id: context.runId } : {}),
        ...additionalDetails,
      },
    });
  }

  /**
   * A data-quality finding. A passing check records nothing (returns null); otherwise the
   * seed's name → type mapping and status → severity mapping. Returns the alert id.
   */
  async alertDataQualityIssue(
    view: string,
    checkName: string,
    checkStatus: CheckStatus,
    checkMessage: string,
    checkDetails: Record<string, unknown> = {},
    context: { kind?: string; runId?: number | null } = {},
  ): Promise<number | null> {
    if (checkStatus === 'pass') return null;
    const key = canonical(view);
    return insertAlert(this.db, {
      view: key,
      type: alertTypeForCheck(context.kind ?? checkName, checkStatus),
      severity: severityForCheck(checkStatus),
      message: `Data quality issue in ${key}: ${checkMessage}`,
      details: {
        check_name: checkName,
        check_status: checkStatus,
        check_message: checkMessage,
        ...(context.runId ? { run_id: context.runId } : {}),
        ...checkDetails,
      },
    });
  }

  /**
   * Turns one run into alerts: a failed refresh raises `refresh_failed`/`refresh_timeout`, a
   * gate that blocked raises `quality_gate_blocked` (critical), each non-passing check raises
   * its mapped type. Returns the ids of the alerts raised. Skipped runs raise nothing.
   */
  async observeRun(obs: RunObservation): Promise<number[]> {
    const { refresh } = obs;
    const ids: number[] = [];
    if (refresh.status === 'skipped') return ids;
    if (obs.gateBlocked) {
      ids.push(await this.alertQualityGateBlocked(refresh.view, obs.checks, refresh.runId));
    } else if (refresh.status === 'failed') {
      ids.push(
        await this.alertRefreshFailed(
          refresh.view,
          refresh.error?.message ?? 'unknown error',
          refresh.usedStrategy ?? refresh.strategy,
          refresh.durationMs / 1000,
          {},
          { kind: refresh.error?.kind, sqlstate: refresh.error?.sqlstate, runId: refresh.runId },
        ),
      );
      return ids;
    }
    for (const c of obs.checks) {
      const id = await this.alertDataQualityIssue(refresh.view, c.check, c.status, c.message, c.details, {
        kind: c.kind,
        runId: refresh.runId,
      });
      if (id !== null) ids.push(id);
    }
    return ids;
  }

  /** The quality gate kept new contents unpublished: severity `critical`. Returns the alert id. */
  async alertQualityGateBlocked(
    view: string,
    checks: CheckResult[],
    runId: number | null = null,
  ): Promise<number> {
    const key = canonical(view);
    const blocking = checks.filter((c) => c.status === 'error');
    return insertAlert(this.db, {
      view: key,
      type: 'quality_gate_blocked',
      severity: 'critical',
      message: `Quality gate blocked the refresh of ${key}: ${blocking.map((c) => `${c.check} (${c.message})`).join('; ')}`,
      details: {
        blocking_checks: blocking.map((c) => ({ check: c.check, kind: c.kind, message: c.message })),
        ...(runId ? { run_id: runId } : {}),
      },
    });
  }

  /** Alerts, newest first, with equality filters and paging (default limit 100). */
  getAlertHistory(filter: AlertFilter = {}): Promise<Alert[]> {
    return listAlerts(this.db, { ...filter, view: filter.view && canonical(filter.view) });
  }

  /** Alerts nobody acknowledged yet, newest first. */
  getUnacknowledgedAlerts(filter: Pick<AlertFilter, 'view' | 'limit' | 'offset'> = {}): Promise<Alert[]> {
    return this.getAlertHistory({ ...filter, unacked: true });
  }

  /** Counts by severity and type over the last `days` days (default 7). */
  async getAlertSummary(options: { view?: string; days?: number } = {}): Promise<AlertSummary> {
    const days = options.days ?? 7;
    const view = options.view && canonical(options.view);
    const rows = await countAlerts(this.db, days, view);
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as AlertSummary['bySeverity'];
    const byType: AlertSummary['byType'] = {};
    let total = 0;
    for (const r of rows) {
      total += r.n;
      bySeverity[r.severity as keyof typeof bySeverity] += r.n;
      byType[r.type as keyof typeof byType] = (byType[r.type as keyof typeof byType] ?? 0) + r.n;
    }
    return { total, bySeverity, byType, days, ...(view ? { view } : {}), ...bySeverity };
  }

  /** Acknowledges an alert. An unknown id is an error (the seed silently did nothing). */
  async acknowledgeAlert(alertId: number, acknowledgedBy: string, notes = ''): Promise<Alert> {
    const alert = await acknowledge(this.db, alertId, acknowledgedBy, notes);
    if (!alert)
      throw new MvwatchError(
        'MVW_ALERT_NOT_FOUND',
        `No alert has id ${alertId}. List alerts with \`mvwatch alerts\`.`,
      );
    return alert;
  }

  /** One alert by id; an unknown id is an error. */
  async getAlert(alertId: number): Promise<Alert> {
    const alert = await getAlert(this.db, alertId);
    if (!alert)
      throw new MvwatchError(
        'MVW_ALERT_NOT_FOUND',
        `No alert has id ${alertId}. List alerts with \`mvwatch alerts\`.`,
      );
    return alert;
  }
}

function canonical(view: string): string {
  return formatQualified(parseQualifiedName(view));
}
