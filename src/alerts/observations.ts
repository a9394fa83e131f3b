import type {
  AlertSeverity,
  AlertType,
  CheckResult,
  CheckStatus,
  RefreshErrorKind,
  RefreshResult,
} from '../types.js';
import { alertTypeForCheck, alertTypeForRefreshFailure, severityForCheck } from './mapping.js';

/**
 * One thing a run says about one fingerprint: its condition holds (`failing`) or has cleared
 * (`ok`). Silences and inhibition are decided later, when the incidents are known.
 */
export interface Signal {
  condition: 'failing' | 'ok';
  /** Canonical view name. */
  view: string;
  type: AlertType;
  check: string | null;
  severity: AlertSeverity;
  message: string;
  details: Record<string, unknown>;
  labels: Record<string, string>;
  runId: number | null;
  freshness?: { ageMs: number; errorAfterMs: number };
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
  /**
   * The view's freshness SLA (`freshness:` in the config) with its last successful refresh:
   * evaluated in the same run, so a failed refresh inhibits its own `stale_data`.
   */
  freshness?: { lastSuccessAt: Date | null; warnAfterMs: number; errorAfterMs?: number };
  /** When the run was observed (default now). */
  now?: Date;
}

/** Every refresh alert type a successful refresh clears. */
const REFRESH_TYPES: readonly AlertType[] = ['refresh_failed', 'refresh_timeout', 'quality_gate_blocked'];

/** The condition of `type` (not a check's) on `view` has cleared: resolves its firing incident, if any. */
export function clearedSignal(
  view: string,
  type: AlertType,
  message: string,
  runId: number | null = null,
): Signal {
  return {
    condition: 'ok',
    view,
    type,
    check: null,
    severity: 'info',
    message,
    details: {},
    labels: {},
    runId,
  };
}

/** A notification about `view` could not be delivered to `channel`: severity error, never inhibited. */
export function notificationFailedSignal(
  view: string,
  channel: string,
  errorMessage: string,
  details: Record<string, unknown>,
  labels: Record<string, string>,
): Signal {
  return {
    condition: 'failing',
    view,
    type: 'notification_failed',
    check: null,
    severity: 'error',
    message: `Notification about ${view} could not be delivered to ${channel}: ${errorMessage}`,
    details: { channel, error_message: errorMessage, ...details },
    labels,
    runId: null,
  };
}

/** The seed's refresh-failure alert: type by SQLSTATE kind (message as fallback), severity error. */
export function refreshFailedSignal(
  view: string,
  errorMessage: string,
  refreshStrategy: string,
  durationSeconds: number,
  extra: Record<string, unknown> = {},
  context: { kind?: RefreshErrorKind; sqlstate?: string; runId?: number | null } = {},
): Signal {
  return {
    condition: 'failing',
    view,
    type: alertTypeForRefreshFailure(errorMessage, context.kind),
    check: null,
    severity: 'error',
    message: `Refresh failed for ${view}: ${errorMessage}`,
    details: {
      error_message: errorMessage,
      refresh_strategy: refreshStrategy,
      duration_seconds: durationSeconds,
      ...(context.kind ? { error_kind: context.kind } : {}),
      ...(context.sqlstate ? { sqlstate: context.sqlstate } : {}),
      ...(context.runId ? { run_id: context.runId } : {}),
      ...extra,
    },
    labels: {},
    runId: context.runId ?? null,
  };
}

/** The seed's data-quality alert (a pass becomes an `ok` signal that resolves the check's incident). */
export function checkSignal(
  view: string,
  checkName: string,
  status: CheckStatus,
  message: string,
  details: Record<string, unknown> = {},
  context: { kind?: string; runId?: number | null } = {},
): Signal {
  const kind = context.kind ?? checkName;
  const type = alertTypeForCheck(kind, status === 'pass' ? 'warning' : status);
  return {
    condition: status === 'pass' ? 'ok' : 'failing',
    view,
    type,
    check: checkName,
    severity: severityForCheck(status),
    message:
      status === 'pass'
        ? `Check ${checkName} passes again on ${view}`
        : `Data quality issue in ${view}: ${message}`,
    details: {
      check_name: checkName,
      check_status: status,
      check_message: message,
      ...(context.runId ? { run_id: context.runId } : {}),
      ...details,
    },
    labels: {},
    runId: context.runId ?? null,
    ...(type === 'stale_data' ? freshnessOf(details) : {}),
  };
}

/** The quality gate kept the new contents unpublished: critical from the start. */
export function gateBlockedSignal(view: string, checks: CheckResult[], runId: number | null): Signal {
  const blocking = checks.filter((c) => c.status === 'error');
  return {
    condition: 'failing',
    view,
    type: 'quality_gate_blocked',
    check: null,
    severity: 'critical',
    message: `Quality gate blocked the refresh of ${view}: ${blocking.map((c) => `${c.check} (${c.message})`).join('; ')}`,
    details: {
      blocking_checks: blocking.map((c) => ({ check: c.check, kind: c.kind, message: c.message })),
      ...(runId ? { run_id: runId } : {}),
    },
    labels: {},
    runId,
  };
}

/**
 * A view-level freshness SLA (`freshness: { warnAfter, errorAfter }`): `stale_data` at warning
 * past `warnAfter` (error and critical follow from the escalation policy), `ok` when fresh.
 * `lastSuccessAt` null means never refreshed: stale since forever.
 */
export function freshnessSignal(
  view: string,
  sla: { lastSuccessAt: Date | null; warnAfterMs: number; errorAfterMs?: number },
  now: Date,
): Signal {
  const ageMs = sla.lastSuccessAt ? now.getTime() - sla.lastSuccessAt.getTime() : Number.POSITIVE_INFINITY;
  const stale = ageMs > sla.warnAfterMs;
  const age = Number.isFinite(ageMs) ? `${Math.round(ageMs / 60_000)} min old` : 'never refreshed';
  return {
    condition: stale ? 'failing' : 'ok',
    view,
    type: 'stale_data',
    check: null,
    severity: 'warning',
    message: stale ? `Data of ${view} is stale: ${age}` : `Data of ${view} is fresh again`,
    details: {
      age_ms: Number.isFinite(ageMs) ? ageMs : null,
      warn_after_ms: sla.warnAfterMs,
      ...(sla.errorAfterMs !== undefined ? { error_after_ms: sla.errorAfterMs } : {}),
      last_success_at: sla.lastSuccessAt?.toISOString() ?? null,
    },
    labels: {},
    runId: null,
    ...(sla.errorAfterMs !== undefined
      ? {
          freshness: {
            ageMs: Number.isFinite(ageMs) ? ageMs : Number.MAX_VALUE,
            errorAfterMs: sla.errorAfterMs,
          },
        }
      : {}),
  };
}

/** A freshness check's age and SLA from its details (`ageMs`/`age_ms`, `errorAfterMs`/`error_after_ms`). */
function freshnessOf(details: Record<string, unknown>): Pick<Signal, 'freshness'> {
  const ageMs = details.ageMs ?? details.age_ms;
  const errorAfterMs = details.errorAfterMs ?? details.error_after_ms;
  return typeof ageMs === 'number' && typeof errorAfterMs === 'number'
    ? { freshness: { ageMs, errorAfterMs } }
    : {};
}

/**
 * The signals of one pipeline run, refresh first: a failed refresh (`refresh_failed` or
 * `refresh_timeout`), a gate that blocked (`quality_gate_blocked`, and the refresh itself worked),
 * or a success that clears all three; then one signal per check. Skipped runs say nothing.
 */
export function signalsForRun(obs: RunObservation): Signal[] {
  const { refresh } = obs;
  if (refresh.status === 'skipped') return [];
  const view = refresh.view;
  const runId = refresh.runId;
  const out: Signal[] = [];
  const clear = (types: readonly AlertType[]) => {
    for (const type of types) out.push(clearedSignal(view, type, `Refresh of ${view} succeeded`, runId));
  };
  if (obs.gateBlocked) {
    out.push(gateBlockedSignal(view, obs.checks, runId));
    clear(['refresh_failed', 'refresh_timeout']);
  } else if (refresh.status === 'failed') {
    out.push(
      refreshFailedSignal(
        view,
        refresh.error?.message ?? 'unknown error',
        refresh.usedStrategy ?? refresh.strategy,
        refresh.durationMs / 1000,
        {},
        { kind: refresh.error?.kind, sqlstate: refresh.error?.sqlstate, runId },
      ),
    );
  } else {
    clear(REFRESH_TYPES);
  }
  if (obs.freshness) out.push({ ...freshnessSignal(view, obs.freshness, obs.now ?? new Date()), runId });
  for (const c of obs.checks)
    out.push(checkSignal(view, c.check, c.status, c.message, c.details, { kind: c.kind, runId }));
  const labels = obs.labels ?? {};
  return out.map((s) => ({ ...s, labels }));
}
