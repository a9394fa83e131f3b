/** Column look-ups the kinds share: existence, type families, and the error for a missing one. */
import { quoteIdent } from '../db/identifiers.js';
import type { CatalogColumn, CheckScope, Evaluation } from './types.js';

/** Types outlier_check reads as numbers (cast to float8 in SQL). */
export const NUMERIC_TYPES = new Set([
  'smallint',
  'integer',
  'bigint',
  'numeric',
  'real',
  'double precision',
]);

export function findColumn(scope: CheckScope, name: string): CatalogColumn | undefined {
  return scope.info.columns.find((c) => c.name === name);
}

/** Names among `names` that the relation does not have. */
export function missingColumns(scope: CheckScope, names: readonly string[]): string[] {
  return names.filter((n) => !findColumn(scope, n));
}

/** The error result for configured columns that do not exist (never a silent pass: defect 4). */
export function missingColumnsError(
  scope: CheckScope,
  missing: string[],
  details: Record<string, unknown> = {},
): Evaluation {
  const list = missing.map((m) => JSON.stringify(m)).join(', ');
  return {
    status: 'error',
    message: `Column${missing.length > 1 ? 's' : ''} ${list} ${missing.length > 1 ? 'do' : 'does'} not exist in ${scope.viewKey}`,
    details: { ...details, missingColumns: missing },
  };
}

/** The pass of a check given nothing to check (seed behaviour). */
export function noColumns(): Evaluation {
  return { status: 'pass', message: 'No columns specified', details: { columns: [] } };
}

/** `"col"` */
export const col = quoteIdent;
