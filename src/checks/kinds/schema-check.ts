import type { SchemaCheckConfig } from '../config.js';
import type { CheckKind, ColumnInfo } from '../types.js';

export interface SchemaDiff {
  added: ColumnInfo[];
  removed: ColumnInfo[];
  retyped: { name: string; from: string; to: string }[];
}

/** Columns added, removed or retyped between two snapshots, matched by name. */
export function diffColumns(
  before: ColumnInfo[],
  after: ColumnInfo[],
  ignore: readonly string[] = [],
): SchemaDiff {
  const skip = new Set(ignore);
  const old = new Map(before.filter((c) => !skip.has(c.name)).map((c) => [c.name, c.type]));
  const now = new Map(after.filter((c) => !skip.has(c.name)).map((c) => [c.name, c.type]));
  return {
    added: after.filter((c) => !skip.has(c.name) && !old.has(c.name)),
    removed: before.filter((c) => !skip.has(c.name) && !now.has(c.name)),
    retyped: [...now]
      .filter(([name, type]) => old.has(name) && old.get(name) !== type)
      .map(([name, to]) => ({ name, from: old.get(name)!, to })),
  };
}

/**
 * Ours: the columns against the last recorded snapshot (alert `schema_changed`). The first run
 * passes; the caller records the snapshot with saveColumns. Needs no scan.
 */
export const schemaCheck: CheckKind<SchemaCheckConfig> = {
  kind: 'schema_check',
  plan(check, scope) {
    const columns = scope.info.columns.map(({ name, type }) => ({ name, type }));
    const previous = scope.inputs.previousColumns;
    if (!previous) {
      return {
        status: 'pass',
        message: `First run: ${columns.length} columns recorded as the baseline`,
        details: { columns: columns.length, added: [], removed: [], retyped: [], baseline: false },
      };
    }
    const diff = diffColumns(previous, columns, check.ignore);
    const changes = [
      ...diff.added.map((c) => `added ${c.name} ${c.type}`),
      ...diff.removed.map((c) => `removed ${c.name}`),
      ...diff.retyped.map((c) => `${c.name} ${c.from} → ${c.to}`),
    ];
    const isError = check.errorOn.some((k) => diff[k].length > 0);
    return {
      status: changes.length === 0 ? 'pass' : isError ? 'error' : 'warning',
      message: changes.length
        ? `Schema changed: ${changes.join('; ')}`
        : `Schema unchanged (${columns.length} columns)`,
      details: { columns: columns.length, ...diff, errorOn: check.errorOn, baseline: true },
    };
  },
};
