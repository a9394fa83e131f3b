/** Refresh results as the pipeline reports them, for tests that feed the alerting directly. */
import type { RefreshResult } from '../../src/types.js';

/**
 * A refresh of `view` with `status`: strategy full, no fallback, started and finished now, 1 ms,
 * no run id; a success has 1 row, a failure none and the error `boom`. `over` replaces any field.
 */
export function refreshResult(
  view: string,
  status: RefreshResult['status'],
  over: Partial<RefreshResult> = {},
): RefreshResult {
  const at = new Date().toISOString();
  return {
    view,
    status,
    strategy: 'full',
    usedStrategy: 'full',
    fallback: false,
    startedAt: at,
    finishedAt: at,
    durationMs: 1,
    rowCount: status === 'success' ? 1 : null,
    runId: null,
    ...(status === 'failed' ? { error: { message: 'boom', kind: 'error' as const } } : {}),
    ...over,
  };
}
