import {
  LOCK_NOT_AVAILABLE,
  messageOf,
  STATEMENT_TIMEOUT,
  sqlstateOf,
  UNDEFINED_TABLE,
} from '../db/sqlstate.js';
import type { RefreshErrorKind } from '../types.js';

/** A refresh failure as SPEC §5 reports it. */
export interface ClassifiedError {
  message: string;
  sqlstate?: string;
  kind: RefreshErrorKind;
}

/**
 * Decides the kind of a refresh failure by SQLSTATE. The seed's rule, "the message contains
 * 'timeout'", survives only as the fallback for errors without a SQLSTATE (a client-side
 * connection timeout, for instance).
 */
export function classifyRefreshError(e: unknown): ClassifiedError {
  const sqlstate = sqlstateOf(e);
  const message = messageOf(e);
  let kind: RefreshErrorKind = 'error';
  if (sqlstate === STATEMENT_TIMEOUT) kind = 'timeout';
  else if (sqlstate === LOCK_NOT_AVAILABLE) kind = 'lock_timeout';
  else if (sqlstate === UNDEFINED_TABLE) kind = 'missing';
  else if (!sqlstate && /timeout/i.test(message)) kind = 'timeout';
  return sqlstate ? { message, sqlstate, kind } : { message, kind };
}
