import { formatDuration } from '../../config/duration.js';
import { messageOf, STATEMENT_TIMEOUT, sqlstateOf } from '../../db/sqlstate.js';
import { CHECK_DEFAULTS, type SqlCheckConfig } from '../config.js';
import { Binder, num } from '../planner.js';
import { grade } from '../stats.js';
import type { CheckKind, CheckScope, Evaluation } from '../types.js';

/**
 * The user's query as a subquery: a second statement or a data-modifying WITH cannot hide in
 * it, and one round trip returns both the number of violating rows and the first ten of them.
 * The newline before `)` ends a trailing `--` comment.
 */
export function wrapQuery(query: string, relation: string, b: Binder): string {
  const body = query.replaceAll('{{view}}', relation).replace(/[\s;]+$/, '');
  return `select row_to_json(q) as "mvw$row", count(*) over () as "mvw$total"
from (
${body}
) q
limit ${b.bind(CHECK_DEFAULTS.sampleLimit, 'int')}`;
}

async function run(check: SqlCheckConfig, scope: CheckScope): Promise<Evaluation> {
  const limits = {
    threshold: check.threshold,
    errorThreshold: check.errorThreshold,
    timeoutMs: check.timeout,
  };
  const b = new Binder();
  let rows: Record<string, unknown>[];
  try {
    // Read-only and time-limited even inside the refresh transaction (savepoint + SET LOCAL).
    ({ rows } = await scope.exec(wrapQuery(check.query, scope.relation, b), b.values, {
      readOnly: true,
      timeoutMs: check.timeout,
    }));
  } catch (e) {
    const sqlstate = sqlstateOf(e);
    return {
      status: 'error',
      message:
        sqlstate === STATEMENT_TIMEOUT
          ? `sql_check query timed out after ${formatDuration(check.timeout)}`
          : `sql_check query failed: ${messageOf(e)}`,
      details: { ...limits, sqlstate: sqlstate ?? null, violatingRows: null },
    };
  }
  const total = num(rows[0]?.['mvw$total']) ?? 0;
  const status = grade(total, check.threshold, check.errorThreshold);
  return {
    status,
    message: total ? `${total} violating row${total > 1 ? 's' : ''}` : 'No violating rows',
    details: { ...limits, violatingRows: total, samples: rows.map((r) => r['mvw$row']) },
  };
}

/** Ours: a named query returning violating rows, run read-only with a timeout. */
export const sqlCheck: CheckKind<SqlCheckConfig> = {
  kind: 'sql_check',
  plan(check, scope) {
    return { finish: () => run(check, scope) };
  },
};
