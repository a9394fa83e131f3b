/** Severities, lowest first. The order matters: escalation only ever moves right. */
export const AlertSeverity = {
  INFO: 'info',
  WARNING: 'warning',
  ERROR: 'error',
  CRITICAL: 'critical',
} as const;
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];
export const SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'error', 'critical'];

/** Alert types: the seed's nine, then ours (SPEC §2). */
export const AlertType = {
  REFRESH_FAILED: 'refresh_failed',
  REFRESH_TIMEOUT: 'refresh_timeout',
  DATA_QUALITY_WARNING: 'data_quality_warning',
  DATA_QUALITY_ERROR: 'data_quality_error',
  NULL_VALUES_DETECTED: 'null_values_detected',
  OUTLIERS_DETECTED: 'outliers_detected',
  ROW_COUNT_ANOMALY: 'row_count_anomaly',
  DUPLICATE_KEYS: 'duplicate_keys',
  TYPE_MISMATCH: 'type_mismatch',
  STALE_DATA: 'stale_data',
  REFRESH_SLOW: 'refresh_slow',
  SCHEMA_CHANGED: 'schema_changed',
  QUALITY_GATE_BLOCKED: 'quality_gate_blocked',
  NOTIFICATION_FAILED: 'notification_failed',
} as const;
export type AlertType = (typeof AlertType)[keyof typeof AlertType];
export const ALERT_TYPES: readonly AlertType[] = Object.values(AlertType);

/** Refresh strategies. `auto` = concurrent when the view allows it, full otherwise. */
export type RefreshStrategy = 'full' | 'concurrent' | 'auto';
export const REFRESH_STRATEGIES: readonly RefreshStrategy[] = ['full', 'concurrent', 'auto'];

/** Why a refresh failed, decided by SQLSTATE (SPEC §5 `error.kind`). */
export type RefreshErrorKind = 'timeout' | 'lock_timeout' | 'missing' | 'error';

/** SPEC §5 refresh result. Timestamps are ISO-8601 strings in UTC. */
export interface RefreshResult {
  /** Canonical view name, `schema.name`, parts quoted only where PostgreSQL needs it. */
  view: string;
  status: 'success' | 'failed' | 'skipped';
  /** Strategy requested (`auto` stays `auto` here). */
  strategy: RefreshStrategy;
  /** Strategy that actually ran; null when nothing ran (missing view, skipped). */
  usedStrategy: 'full' | 'concurrent' | null;
  fallback: boolean;
  fallbackReason?: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Rows in the view after the refresh; null when unknown (never 0 for "could not count"). */
  rowCount: number | null;
  error?: { message: string; sqlstate?: string; kind: RefreshErrorKind };
  checks?: CheckResult[];
  alerts?: number[];
  /** Row id in `materialized_views_refresh_runs`; null until the run is recorded. */
  runId: number | null;
}

export type CheckStatus = 'pass' | 'warning' | 'error';

/** SPEC §5 check result. */
export interface CheckResult {
  /** The check's name (its key in the config). */
  check: string;
  /** The check kind (`null_check`, `sql_check`, ...). */
  kind: string;
  status: CheckStatus;
  message: string;
  details: Record<string, unknown>;
}

/** SPEC §5 alert. */
export interface Alert {
  id: number;
  view: string;
  type: AlertType;
  severity: AlertSeverity;
  status: 'firing' | 'resolved';
  message: string;
  details: Record<string, unknown>;
  occurrences: number;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string | null;
  silenced: boolean;
  /** Id of the firing incident that inhibited the latest occurrence; null when not inhibited. */
  inhibitedBy?: number | null;
  acknowledged: boolean;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  notes: string | null;
  createdAt: string;
}

/** SPEC §5 summary; `critical`/`error`/`warning`/`info` repeat `bySeverity` for the seed's shape. */
export interface AlertSummary {
  total: number;
  bySeverity: Record<AlertSeverity, number>;
  byType: Partial<Record<AlertType, number>>;
  days: number;
  view?: string;
  info: number;
  warning: number;
  error: number;
  critical: number;
}
