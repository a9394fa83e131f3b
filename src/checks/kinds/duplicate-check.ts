import { col, findColumn, missingColumns, missingColumnsError, noColumns } from '../columns.js';
import { CHECK_DEFAULTS, type DuplicateCheckConfig } from '../config.js';
import { Binder, num } from '../planner.js';
import { grade, percent } from '../stats.js';
import type { CheckKind, CheckScope, Evaluation, UniqueIndex } from '../types.js';

/** Types with an extended hash function; others are hashed through their text form. */
const HASHABLE = new Set([
  'smallint',
  'integer',
  'bigint',
  'numeric',
  'real',
  'double precision',
  'text',
  'character varying',
  'character',
  'date',
  'timestamp without time zone',
  'timestamp with time zone',
  'time without time zone',
  'uuid',
  'boolean',
  'bytea',
  'jsonb',
  'interval',
  'inet',
  'name',
  'oid',
]);

/** A 64-bit hash of the key; NULL parts hash alike, just as GROUP BY puts them in one group. */
function keyHash(scope: CheckScope, columns: string[]): string {
  const parts = columns.map((c) => (HASHABLE.has(findColumn(scope, c)!.base) ? col(c) : `${col(c)}::text`));
  return `hash_record_extended(row(${parts.join(', ')}), 0)`;
}

/** A unique index on exactly these columns (in any order). */
function uniqueIndexOn(scope: CheckScope, columns: string[]): UniqueIndex | undefined {
  const want = new Set(columns);
  return scope.info.uniqueIndexes.find(
    (i) => i.columns.length === want.size && i.columns.every((c) => want.has(c)),
  );
}

interface Found {
  groups: number;
  rows: number;
  samples: Record<string, unknown>[];
}

/**
 * The exact count, in one statement of its own. Hashes seen
 * twice are found by sorting 8-byte integers (hash aggregation of millions of distinct keys is
 * several times slower), then only rows with such a hash are grouped by their real key, which
 * also rules out hash collisions.
 */
async function findDuplicates(
  scope: CheckScope,
  columns: string[],
  onlyNullKeys: string | null,
  exec = scope.exec,
): Promise<Found> {
  const b = new Binder();
  const keys = columns.map(col).join(', ');
  const hash = keyHash(scope, columns);
  const filter = onlyNullKeys ? `${onlyNullKeys} and ` : '';
  const sample = columns.map((c) => `${b.bind(c, 'text')}, ${col(c)}`).join(', ');
  // mvw$ names cannot clash with the view's own columns.
  const sql = `
with twice as materialized (
  select "mvw$h" from (select ${hash} as "mvw$h" from ${scope.relation}${onlyNullKeys ? ` where ${onlyNullKeys}` : ''}) s
  group by "mvw$h" having count(*) > 1),
dups as materialized (
  select ${keys}, count(*) as "mvw$n" from ${scope.relation}
  where ${filter}${hash} in (select "mvw$h" from twice)
  group by ${keys} having count(*) > 1)
select (select count(*) from dups) as groups,
       (select coalesce(sum("mvw$n"), 0) from dups) as rows,
       (select coalesce(json_agg(json_build_object(${sample}, 'count', "mvw$n") order by "mvw$n" desc), '[]')
          from (select * from dups order by "mvw$n" desc limit ${b.bind(CHECK_DEFAULTS.sampleLimit, 'int')}) s) as samples`;
  const { rows } = await exec(sql, b.values, {
    settings: { enable_hashagg: 'off', work_mem: CHECK_DEFAULTS.scanWorkMem },
  });
  const r = rows[0]!;
  return {
    groups: num(r.groups) ?? 0,
    rows: num(r.rows) ?? 0,
    samples: r.samples as Record<string, unknown>[],
  };
}

function evaluate(check: DuplicateCheckConfig, rowCount: number, found: Found, method: string): Evaluation {
  const fraction = rowCount ? found.rows / rowCount : 0;
  const status = grade(fraction, check.threshold, check.errorThreshold);
  const key = `(${check.columns.join(', ')})`;
  return {
    status,
    message: found.groups
      ? `${found.groups} duplicate key${found.groups > 1 ? 's' : ''} on ${key}: ${found.rows} of ${rowCount} rows (${percent(fraction)}%)`
      : `No duplicate keys on ${key} (${rowCount} rows)`,
    details: {
      columns: check.columns,
      method,
      rowCount,
      duplicateGroups: found.groups,
      duplicateRows: found.rows,
      duplicateFraction: fraction,
      duplicatePercentage: percent(fraction),
      threshold: check.threshold,
      errorThreshold: check.errorThreshold,
      sampleKeys: found.samples,
    },
  };
}

const NONE: Found = { groups: 0, rows: 0, samples: [] };

/** A promise that never rejects (an early start must not become an unhandled rejection). */
function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error) => ({ ok: false as const, error }),
  );
}

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (r.ok) return r.value;
  throw r.error;
}

/** Seed `duplicate_check`: every row of a group sharing its key counts; free when a unique index proves it. */
export const duplicateCheck: CheckKind<DuplicateCheckConfig> = {
  kind: 'duplicate_check',
  plan(check, scope, scan) {
    if (check.columns.length === 0) return noColumns();
    const missing = missingColumns(scope, check.columns);
    if (missing.length) return missingColumnsError(scope, missing, { columns: check.columns });
    const total = scan.agg('count(*)');
    const index = uniqueIndexOn(scope, check.columns);
    const nullable = check.columns.filter((c) => !findColumn(scope, c)!.notNull);
    if (index && (index.nullsNotDistinct || nullable.length === 0)) {
      return { finish: (row) => evaluate(check, num(row[total]) ?? 0, NONE, 'unique_index') };
    }
    if (index) {
      // A unique index lets rows with a null key part repeat: only those need looking at.
      const nullKey = `(${nullable.map((c) => `${col(c)} is null`).join(' or ')})`;
      const nullKeyRows = scan.agg(`count(*) filter (where ${nullKey})`);
      return {
        async finish(row) {
          const rowCount = num(row[total]) ?? 0;
          if (!num(row[nullKeyRows])) return evaluate(check, rowCount, NONE, 'unique_index');
          return evaluate(
            check,
            rowCount,
            await findDuplicates(scope, check.columns, nullKey),
            'unique_index+nulls',
          );
        },
      };
    }
    // No count(distinct hash) in the shared scan: it would sort every hash once there and, when
    // duplicates exist, again in findDuplicates. One sort of 8-byte hashes answers both.
    // With a second connection on the same snapshot, the sort starts now and runs while the
    // main scan does: the two largest costs of a typical view's checks overlap.
    const early = scope.side ? settle(findDuplicates(scope, check.columns, null, scope.side)) : undefined;
    return {
      async finish(row) {
        const rowCount = num(row[total]) ?? 0;
        const found = early
          ? unwrap(await early)
          : rowCount > 1
            ? await findDuplicates(scope, check.columns, null)
            : NONE;
        return evaluate(check, rowCount, found, 'scan');
      },
    };
  },
};
