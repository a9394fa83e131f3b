import type { RowCountChangeConfig } from '../config.js';
import { num } from '../planner.js';
import { grade, historyScore, percent, round, worst } from '../stats.js';
import type { CheckKind, CheckScope, Evaluation } from '../types.js';

/** Seed rule: |cur − prev| / prev against the previous successful run; prev 0 counts as 100 %. */
function againstPrevious(check: RowCountChangeConfig, rowCount: number, previous: number | null): Evaluation {
  if (previous === null) {
    return {
      status: 'pass',
      message: `First run: no previous successful refresh to compare ${rowCount} rows with`,
      details: { previousRowCount: null },
    };
  }
  const change = previous === 0 ? (rowCount > 0 ? 1 : 0) : Math.abs(rowCount - previous) / previous;
  const status = grade(change, check.threshold, check.errorThreshold);
  const what = `${percent(change)}% (${previous} → ${rowCount} rows)`;
  return {
    status,
    message:
      status === 'pass'
        ? `Row count changed by ${what}, within ${percent(check.threshold)}%`
        : `Row count changed by ${what}, above ${percent(status === 'error' ? check.errorThreshold! : check.threshold)}%`,
    details: { previousRowCount: previous, change, changePercentage: percent(change) },
  };
}

/** History score against the last `window` successful runs; silent until `minHistory` runs exist. */
function againstHistory(check: RowCountChangeConfig, rowCount: number, scope: CheckScope): Evaluation {
  const counts = scope.inputs.history
    .slice(0, check.window)
    .map((h) => h.rowCount)
    .filter((n): n is number => n !== null);
  if (counts.length < check.minHistory) {
    return {
      status: 'pass',
      message: `Not enough history yet (${counts.length} of ${check.minHistory} successful runs)`,
      details: { historyRuns: counts.length, minHistory: check.minHistory },
    };
  }
  const s = historyScore(rowCount, counts, check);
  const status = grade(Math.abs(s.score), check.threshold, check.errorThreshold);
  return {
    status,
    message: `Row count ${rowCount} is ${round(Math.abs(s.score))} spreads ${s.score < 0 ? 'below' : 'above'} the last ${counts.length} runs (${check.score} ${round(s.center)}; limit ${check.threshold})`,
    details: {
      previousRowCount: scope.inputs.previousRowCount,
      score: round(s.score),
      scoreMethod: check.score,
      center: round(s.center),
      spread: round(s.spread),
      rawSpread: round(s.rawSpread),
      historyRuns: counts.length,
      floor: check.floor,
      floorRatio: check.floorRatio,
    },
  };
}

/** Static bounds: outside [min, max] is an error whatever the history says. */
function bounds(check: RowCountChangeConfig, rowCount: number): Evaluation | null {
  if (check.min !== undefined && rowCount < check.min) {
    return {
      status: 'error',
      message: `Row count ${rowCount} is below the minimum ${check.min}`,
      details: {},
    };
  }
  if (check.max !== undefined && rowCount > check.max) {
    return {
      status: 'error',
      message: `Row count ${rowCount} is above the maximum ${check.max}`,
      details: {},
    };
  }
  return null;
}

/** Seed `row_count_change`, plus static bounds and `method: history` (reported with `details.method`). */
export const rowCountChange: CheckKind<RowCountChangeConfig> = {
  kind: 'row_count_change',
  plan(check, scope, scan) {
    const total = scan.agg('count(*)');
    return {
      finish(row) {
        const rowCount = num(row[total]) ?? 0;
        const trend =
          check.method === 'history'
            ? againstHistory(check, rowCount, scope)
            : againstPrevious(check, rowCount, scope.inputs.previousRowCount);
        const bound = bounds(check, rowCount);
        const status = worst([trend.status, bound?.status ?? 'pass']);
        return {
          status,
          message:
            bound && trend.status === 'pass'
              ? bound.message
              : bound
                ? `${bound.message}; ${trend.message}`
                : trend.message,
          details: {
            method: check.method,
            rowCount,
            threshold: check.threshold,
            errorThreshold: check.errorThreshold ?? null,
            min: check.min ?? null,
            max: check.max ?? null,
            ...trend.details,
          },
        };
      },
    };
  },
};
