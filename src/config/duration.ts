import ms from 'ms';
import { z } from 'zod';

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

/**
 * A duration as written in a config file (`30s`, `10m`, `2d`, or milliseconds), parsed to ms,
 * with a message that names what was expected. Shared by every section of the config.
 */
export const durationSchema = z
  .union([z.string(), z.number()], { error: 'expected a duration such as 30s, 10m, 2h or 1d' })
  .transform((v, ctx) => {
    const out = parseDuration(v);
    if (out === null) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration such as 30s, 10m, 2h or 1d, got ${JSON.stringify(v)}`,
      });
      return z.NEVER;
    }
    return out;
  });

/** A duration that must be more than zero (intervals, timeouts, windows). */
export const positiveDurationSchema = durationSchema.refine((v) => v > 0, {
  message: 'expected a positive duration',
});
