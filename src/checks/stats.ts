/** Pure statistics and status helpers shared by the kinds (no SQL here). */
import type { CheckStatus } from '../types.js';

const STATUS_RANK: Record<CheckStatus, number> = { pass: 0, warning: 1, error: 2 };

/** The worse of the statuses; `pass` for none. */
export function worst(statuses: Iterable<CheckStatus>): CheckStatus {
  let out: CheckStatus = 'pass';
  for (const s of statuses) if (STATUS_RANK[s] > STATUS_RANK[out]) out = s;
  return out;
}

/** `value > errorLimit` → error, `value > warnLimit` → warning, else pass (strict, as in the seed). */
export function grade(value: number, warnLimit: number, errorLimit?: number): CheckStatus {
  if (errorLimit !== undefined && value > errorLimit) return 'error';
  return value > warnLimit ? 'warning' : 'pass';
}

/** A fraction as a percentage rounded to 2 decimals: 0.123456 → 12.35. */
export function percent(fraction: number): number {
  return Math.round(fraction * 10_000) / 100;
}

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n − 1), as pandas and PostgreSQL's stddev compute it. */
export function stddev(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median absolute deviation from the median (unscaled). */
export function mad(xs: number[]): number {
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
}

/** 1/Φ⁻¹(3/4): scales a MAD to the standard deviation of a normal distribution. */
const MAD_TO_SD = 1.4826;

export interface HistoryScore {
  score: number;
  /** Mean (zscore) or median (mad) of the history. */
  center: number;
  /** The spread actually used: max(sd or 1.4826·MAD, floor, floorRatio·|center|). */
  spread: number;
  /** The spread before flooring. */
  rawSpread: number;
}

/**
 * How far `value` lies from `history`, in spreads. The spread is floored (absolutely and
 * relative to the centre) so that a history with no variation does not make any change an
 * anomaly. Returns the signed score: positive above the centre.
 */
export function historyScore(
  value: number,
  history: number[],
  options: { score: 'zscore' | 'mad'; floor: number; floorRatio: number },
): HistoryScore {
  const center = options.score === 'mad' ? median(history) : mean(history);
  const rawSpread = options.score === 'mad' ? MAD_TO_SD * mad(history) : stddev(history);
  const spread = Math.max(rawSpread, options.floor, options.floorRatio * Math.abs(center));
  // Floors of 0 and a flat history: any difference is infinitely far, none is no anomaly.
  const score =
    spread > 0 ? (value - center) / spread : value === center ? 0 : Math.sign(value - center) * Infinity;
  return { score, center, spread, rawSpread };
}

/** Rounds for details: 6 significant digits are plenty for a person and keep JSON short. */
export function round(x: number | null): number | null {
  return x === null || !Number.isFinite(x) ? x : Number(x.toPrecision(6));
}
