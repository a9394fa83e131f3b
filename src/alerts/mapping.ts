import type { AlertSeverity, AlertType, CheckStatus, RefreshErrorKind } from '../types.js';

/** The seed's check → alert type mapping, extended with our kinds (SPEC §2). */
export const ALERT_TYPE_BY_CHECK_KIND: Readonly<Record<string, AlertType>> = Object.freeze({
  null_check: 'null_values_detected',
  outlier_check: 'outliers_detected',
  row_count_change: 'row_count_anomaly',
  duplicate_check: 'duplicate_keys',
  type_check: 'type_mismatch',
  freshness_check: 'stale_data',
  schema_check: 'schema_changed',
  duration_anomaly: 'refresh_slow',
});

/**
 * Alert type of a non-passing check: by kind, else the seed's fallback — `data_quality_warning`
 * for a warning and `data_quality_error` for an error (the seed only ever produced the former).
 */
export function alertTypeForCheck(kind: string, status: CheckStatus): AlertType {
  return (
    ALERT_TYPE_BY_CHECK_KIND[kind] ?? (status === 'error' ? 'data_quality_error' : 'data_quality_warning')
  );
}

/** Seed: check status `warning` → severity warning, anything else → error. */
export function severityForCheck(status: CheckStatus): AlertSeverity {
  return status === 'warning' ? 'warning' : 'error';
}

/**
 * Alert type of a failed refresh: `refresh_timeout` for a statement or lock timeout (by
 * SQLSTATE), else the seed's rule — the message mentions "timeout" — as a fallback.
 */
export function alertTypeForRefreshFailure(errorMessage: string, kind?: RefreshErrorKind): AlertType {
  if (kind === 'timeout' || kind === 'lock_timeout') return 'refresh_timeout';
  return /timeout/i.test(errorMessage) ? 'refresh_timeout' : 'refresh_failed';
}
