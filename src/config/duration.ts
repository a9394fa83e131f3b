import ms from 'ms';

/**
 * Parses a duration: a number of milliseconds, or text such as `500ms`, `30s`, `10m`, `1h`,
 * `2d` (npm `ms`). Returns null when the text is not a duration.
 */
export function parseDuration(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  const trimmed = value.trim();
  if (!/^\d+(\.\d+)?\s*[a-zA-Z]*$/.test(trimmed)) return null;
  const out = ms(trimmed as ms.StringValue);
  return typeof out === 'number' && Number.isFinite(out) && out >= 0 ? out : null;
}

/** 600000 → `10m`, for messages. */
export function formatDuration(msValue: number): string {
  return ms(msValue);
}
