/**
 * SQLSTATE sets with names: decisions are made on these codes, never on message text
 * (the seed's "contains 'timeout'" test survives only as a fallback in refresh/classify-error).
 */

/** statement_timeout fired (query_canceled). */
export const STATEMENT_TIMEOUT = '57014';
/** lock_timeout fired (lock_not_available). */
export const LOCK_NOT_AVAILABLE = '55P03';
/** The relation disappeared between lookup and refresh. */
export const UNDEFINED_TABLE = '42P01';
/** CONCURRENTLY needs a unique index on plain columns covering all rows. */
export const OBJECT_NOT_IN_PREREQUISITE_STATE = '55000';
/** CONCURRENTLY cannot refresh a view that was never populated. */
export const FEATURE_NOT_SUPPORTED = '0A000';

/** Errors that mean "CONCURRENTLY is impossible for this view": the only ones retried as FULL. */
export const CONCURRENT_NOT_POSSIBLE_CODES: ReadonlySet<string> = new Set([
  OBJECT_NOT_IN_PREREQUISITE_STATE,
  FEATURE_NOT_SUPPORTED,
]);

/** Extracts the SQLSTATE of a node-postgres error, if it has one. */
export function sqlstateOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The message of anything thrown. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}
