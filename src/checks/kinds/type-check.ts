import { baseType, typeModifiers } from '../catalog.js';
import { findColumn, noColumns } from '../columns.js';
import type { TypeCheckConfig } from '../config.js';
import type { CheckKind, CheckScope } from '../types.js';

interface Verdict {
  column: string;
  expected: string;
  actual: string | null;
  status: 'pass' | 'error';
  problem?: string;
}

/**
 * `int`, `int4` and `integer` are one type: PostgreSQL names the expected type (to_regtype,
 * read with the catalog) and it is compared with format_type of the column. Modifiers are
 * compared only when the expectation has them: `numeric` accepts `numeric(12,2)`.
 */
function judge(scope: CheckScope, column: string, expected: string): Verdict {
  const actual = findColumn(scope, column);
  if (!actual)
    return { column, expected, actual: null, status: 'error', problem: `column "${column}" does not exist` };
  const canonical = scope.info.typeNames[baseType(expected)] ?? null;
  if (canonical === null) {
    return { column, expected, actual: actual.type, status: 'error', problem: `unknown type "${expected}"` };
  }
  const modifiers = typeModifiers(expected);
  const same = canonical === actual.base && (modifiers === '' || modifiers === typeModifiers(actual.type));
  return same
    ? { column, expected, actual: actual.type, status: 'pass' }
    : {
        column,
        expected,
        actual: actual.type,
        status: 'error',
        problem: `${column} is ${actual.type}, expected ${expected}`,
      };
}

/** Seed `type_check`: a mismatch or a missing column is an error. Needs no scan. */
export const typeCheck: CheckKind<TypeCheckConfig> = {
  kind: 'type_check',
  plan(check, scope) {
    const entries = Object.entries(check.columns);
    if (entries.length === 0) return noColumns();
    const columns = entries.map(([c, t]) => judge(scope, c, t));
    const problems = columns.filter((c) => c.status === 'error');
    return {
      status: problems.length ? 'error' : 'pass',
      message: problems.length
        ? `Type mismatch: ${problems.map((p) => p.problem).join('; ')}`
        : `All ${columns.length} columns have the expected types`,
      details: {
        columns,
        mismatches: problems.length,
        missingColumns: problems.filter((p) => p.actual === null).map((p) => p.column),
      },
    };
  },
};
