import { formatDuration } from '../../config/duration.js';
import type { DurationAnomalyConfig } from '../config.js';
import { grade, historyScore, round } from '../stats.js';
import type { CheckKind } from '../types.js';

/**
 * Ours: this run's refresh duration against the last `window` successful runs (alert
 * `refresh_slow`). One-sided: a faster refresh is no problem. Gives no result when the run
 * has no refresh duration (`mvwatch check`), and passes until `minHistory` runs exist.
 */
export const durationAnomaly: CheckKind<DurationAnomalyConfig> = {
  kind: 'duration_anomaly',
  plan(check, scope) {
    const durationMs = scope.refreshDurationMs;
    if (durationMs === undefined) return null;
    const history = scope.inputs.history.slice(0, check.window).map((h) => h.durationMs);
    const base = {
      durationMs,
      duration: formatDuration(durationMs),
      threshold: check.threshold,
      errorThreshold: check.errorThreshold ?? null,
      scoreMethod: check.score,
      historyRuns: history.length,
      minHistory: check.minHistory,
    };
    if (history.length < check.minHistory) {
      return {
        status: 'pass',
        message: `Not enough history yet (${history.length} of ${check.minHistory} successful runs)`,
        details: base,
      };
    }
    const s = historyScore(durationMs, history, check);
    const status = grade(s.score, check.threshold, check.errorThreshold);
    return {
      status,
      message: `Refresh took ${base.duration}, ${round(s.score)} spreads from the usual ${formatDuration(s.center)} (limit ${check.threshold})`,
      details: {
        ...base,
        score: round(s.score),
        centerMs: round(s.center),
        spreadMs: round(s.spread),
        rawSpreadMs: round(s.rawSpread),
        floorMs: check.floor,
        floorRatio: check.floorRatio,
      },
    };
  },
};
