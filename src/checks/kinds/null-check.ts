import { col, missingColumns, missingColumnsError, noColumns } from '../columns.js';
import type { NullCheckConfig } from '../config.js';
import { num } from '../planner.js';
import { grade, percent, worst } from '../stats.js';
import type { CheckKind, SampleRequest } from '../types.js';

/** Seed `null_check`: a column's null fraction above `threshold` warns, above `errorThreshold` errors. */
export const nullCheck: CheckKind<NullCheckConfig> = {
  kind: 'null_check',
  plan(check, scope, scan) {
    if (check.columns.length === 0) return noColumns();
    const missing = missingColumns(scope, check.columns);
    if (missing.length) return missingColumnsError(scope, missing, { columns: check.columns });
    const total = scan.agg('count(*)');
    const nonNull = check.columns.map((c) => scan.agg(`count(${col(c)})`));
    return {
      finish(row) {
        const rowCount = num(row[total]) ?? 0;
        const samples: SampleRequest[] = [];
        const columns = check.columns.map((column, i) => {
          const nullCount = rowCount - (num(row[nonNull[i]!]) ?? 0);
          // An empty view has no nulls: 0, not NaN (the seed divided by zero here).
          const nullFraction = rowCount ? nullCount / rowCount : 0;
          const status = grade(nullFraction, check.threshold, check.errorThreshold);
          const entry: Record<string, unknown> = {
            column,
            nullCount,
            nullFraction,
            nullPercentage: percent(nullFraction),
            status,
          };
          if (status !== 'pass') samples.push({ target: entry, where: () => `${col(column)} is null` });
          return entry;
        });
        const failing = columns.filter((c) => c.status !== 'pass');
        const limit = `${percent(check.threshold)}%`;
        return {
          status: worst(columns.map((c) => c.status as 'pass')),
          message: failing.length
            ? `Null values above ${limit} in ${failing
                .map((c) => `${c.column} (${c.nullPercentage}%, ${c.nullCount} of ${rowCount})`)
                .join(', ')}`
            : `No column has more than ${limit} nulls (${check.columns.length} checked, ${rowCount} rows)`,
          details: {
            rowCount,
            threshold: check.threshold,
            errorThreshold: check.errorThreshold ?? null,
            columns,
          },
          samples,
        };
      },
    };
  },
};
