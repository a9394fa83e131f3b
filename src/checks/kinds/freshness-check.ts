import { formatDuration } from '../../config/duration.js';
import { col, findColumn, missingColumnsError } from '../columns.js';
import type { FreshnessCheckConfig } from '../config.js';
import { num } from '../planner.js';
import { grade } from '../stats.js';
import type { CheckKind, Evaluation } from '../types.js';

const TEXT_TYPES = new Set(['text', 'character varying', 'character']);
const INTEGER_TYPES = new Set(['integer', 'bigint']);
const TIME_TYPES = new Set(['date', 'timestamp without time zone', 'timestamp with time zone']);

/**
 * `max(column)` as epoch seconds. Dates and timestamps without time zone are read in the
 * session's TimeZone (a date means its midnight). Text and integers hold the seed's YYYYMMDD
 * dates; values of another shape are ignored (lexical max of 8 digits is the latest date).
 */
function latestEpoch(column: string, base: string): string | null {
  const c = col(column);
  if (TIME_TYPES.has(base)) return `extract(epoch from max(${c})::timestamptz)`;
  if (TEXT_TYPES.has(base)) {
    return `extract(epoch from to_date(max(${c}) filter (where ${c} ~ '^[0-9]{8}$'), 'YYYYMMDD')::timestamptz)`;
  }
  if (INTEGER_TYPES.has(base)) {
    // 1000-01-01 … 9999-12-31 as YYYYMMDD integers.
    const latest = `max(${c}) filter (where ${c} between 10000101 and 99991231)`;
    return `extract(epoch from to_date((${latest})::text, 'YYYYMMDD')::timestamptz)`;
  }
  return null;
}

/** Ours: the age of the newest value against `warnAfter` / `errorAfter` (alert `stale_data`). */
export const freshnessCheck: CheckKind<FreshnessCheckConfig> = {
  kind: 'freshness_check',
  plan(check, scope, scan) {
    const column = findColumn(scope, check.column);
    if (!column) return missingColumnsError(scope, [check.column], { column: check.column });
    const expr = latestEpoch(check.column, column.base);
    if (!expr) {
      return {
        status: 'error',
        message: `freshness_check needs a date, timestamp or YYYYMMDD column: ${check.column} is ${column.type}`,
        details: { column: check.column, type: column.type },
      } satisfies Evaluation;
    }
    const latest = scan.agg(expr);
    const limits = {
      column: check.column,
      warnAfterMs: check.warnAfter,
      errorAfterMs: check.errorAfter ?? null,
      warnAfter: formatDuration(check.warnAfter),
      errorAfter: check.errorAfter === undefined ? null : formatDuration(check.errorAfter),
    };
    return {
      finish(row) {
        const seconds = num(row[latest]);
        if (seconds === null) {
          return {
            status: 'error',
            message: `No dated rows in ${check.column}: freshness unknown`,
            details: { ...limits, latest: null },
          };
        }
        const latestAt = new Date(seconds * 1000);
        const ageMs = scope.now.getTime() - latestAt.getTime();
        const status = grade(ageMs, check.warnAfter, check.errorAfter);
        const age = formatDuration(Math.max(0, ageMs));
        return {
          status,
          message:
            status === 'pass'
              ? `Newest ${check.column} is ${age} old, within ${limits.warnAfter}`
              : `Newest ${check.column} is ${age} old, older than ${status === 'error' ? limits.errorAfter : limits.warnAfter}`,
          details: { ...limits, latest: latestAt.toISOString(), ageMs, age },
        };
      },
    };
  },
};
