/**
 * One error class with a stable string `code` from a catalog (Fastify's FST_ERR_* idea).
 * Codes are never renamed or reused: scripts and the HTTP API match on them.
 */
export const ERROR_CODES = {
  MVW_INVALID_VIEW_NAME: { exit: 2, http: 400 },
  MVW_INVALID_ARGUMENT: { exit: 2, http: 400 },
  MVW_INVALID_CONFIG: { exit: 2, http: 400 },
  MVW_CONFIG_NOT_FOUND: { exit: 2, http: 400 },
  MVW_VIEW_NOT_CONFIGURED: { exit: 2, http: 404 },
  MVW_ALERT_NOT_FOUND: { exit: 1, http: 404 },
  MVW_ALERT_NOT_FIRING: { exit: 1, http: 409 },
  MVW_DATABASE_UNAVAILABLE: { exit: 1, http: 503 },
  MVW_EMBEDDED_START_FAILED: { exit: 1, http: 503 },
  MVW_MIGRATION_FAILED: { exit: 1, http: 500 },
  MVW_NOT_FOUND: { exit: 1, http: 404 },
  MVW_CANCELLED: { exit: 1, http: 409 },
  MVW_SILENCE_NOT_FOUND: { exit: 1, http: 404 },
  /** The check engine could not run at all (aborted transaction, unreadable view). */
  MVW_CHECKS_FAILED: { exit: 1, http: 500 },
  /** `deliveries retry <id>` named no delivery. */
  MVW_DELIVERY_NOT_FOUND: { exit: 1, http: 404 },
  /** A delivery that already arrived cannot be retried. */
  MVW_DELIVERY_NOT_RETRYABLE: { exit: 1, http: 409 },
  /** `notify test <channel>` named a channel absent from notify.channels. */
  MVW_CHANNEL_NOT_CONFIGURED: { exit: 2, http: 404 },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The single error type mvwatch throws on purpose. `message` is one sentence fit for a user. */
export class MvwatchError extends Error {
  readonly code: ErrorCode;
  /** Process exit code the CLI uses for this error (SPEC §5: 1 failure, 2 usage/config). */
  readonly exitCode: number;
  /** HTTP status the API answers with for this error. */
  readonly statusCode: number;
  /** Structured extra information (for example every problem of an invalid config file). */
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MvwatchError';
    this.code = code;
    this.exitCode = ERROR_CODES[code].exit;
    this.statusCode = ERROR_CODES[code].http;
    this.details = options.details;
  }
}

/** True for errors mvwatch throws on purpose (they carry a stable `code`). */
export function isMvwatchError(e: unknown): e is MvwatchError {
  return e instanceof MvwatchError;
}
