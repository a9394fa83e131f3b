import { col, findColumn, missingColumns, missingColumnsError, noColumns } from '../columns.js';
import { CHECK_DEFAULTS, type DuplicateCheckConfig } from '../config.js';
import { Binder, num, ScanPlan } from '../planner.js';
import { grade, percent } from '../stats.js';
import { TUNING } from '../tuning.js';
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

/** Text keys hash by hashtextextended, about twice as fast as through a record. */
const TEXT = new Set(['text', 'character varying']);
/** Types with min/max, which tell in one sort whether a hash group holds a single key. */
const ORDERED = new Set([...HASHABLE].filter((t) => !['uuid', 'boolean', 'bytea', 'jsonb'].includes(t)));

/**
 * A 64-bit hash of the key; NULL parts hash alike, just as GROUP BY puts them in one group
 * (a NULL text part hashes like '': a collision, resolved exactly like any other).
 */
export function keyHash(scope: CheckScope, columns: string[]): string {
  const base = (c: string) => findColumn(scope, c)!.base;
  let h = '0';
  for (const c of columns.filter((c) => TEXT.has(base(c))))
    h = `hashtextextended(coalesce(${col(c)}, ''), ${h})`;
  const rest = columns
    .filter((c) => !TEXT.has(base(c)))
    .map((c) => (HASHABLE.has(base(c)) ? col(c) : `${col(c)}::text`));
  if (rest.length) h = `hash_record_extended(row(${rest.join(', ')}), ${h})`;
  // Fewer bits only in tests, to force collisions: the count must stay exact regardless.
  return TUNING.hashBits >= 64 ? h : `(${h} & ${(2n ** BigInt(TUNING.hashBits) - 1n).toString()}::int8)`;
}

/**
 * Registers the duplicate screen with the scan, in the same statement: one sort of the key
 * hashes finds the hashes seen twice, and per hash group whether it holds a single key (every
 * part all-null, or non-null everywhere with min = max). Those are exact duplicate groups.
 * Groups mixing keys (hash collisions) are re-grouped by their real key in a fallback that
 * reads the view again only when there is such a group. Returns aliases of pass 2.
 */
function screen(scan: ScanPlan, scope: CheckScope, columns: string[]) {
  const hash = keyHash(scope, columns);
  const keyAs = columns.map((_, i) => `"mvw$k${i}"`);
  const single = columns
    .map((c) => {
      const v = ORDERED.has(findColumn(scope, c)!.base) ? col(c) : `${col(c)}::text`;
      return `(count(${col(c)}) = 0 or (count(${col(c)}) = count(*) and min(${v}) = max(${v})))`;
    })
    .join(' and ');
  // One value of the key: min where it exists, else any (the group holds a single key anyway).
  const firsts = columns.map((c, i) =>
    ORDERED.has(findColumn(scope, c)!.base)
      ? `min(${col(c)}) as ${keyAs[i]}`
      : `(array_agg(${col(c)}))[1] as ${keyAs[i]}`,
  );
  const twice = scan.cte(
    () => `select ${hash} as "mvw$h", count(*) as "mvw$n", ${single} as "mvw$one", ${firsts.join(', ')}
  from ${scope.relation} group by 1 having count(*) > 1`,
  );
  const collided = scan.derive(`exists (select from ${twice} where not "mvw$one")`);
  const keys = columns.map(col).join(', ');
  const exact = scan.cte(
    () => `select ${columns.map((c, i) => `${col(c)} as ${keyAs[i]}`).join(', ')}, count(*) as "mvw$n"
  from ${scope.relation}
  where (select ${collided} from ${ScanPlan.valuesOf(1)}) and ${hash} in (select "mvw$h" from ${twice} where not "mvw$one")
  group by ${keys} having count(*) > 1`,
    1,
  );
  const found = `(select ${keyAs.join(', ')}, "mvw$n" from ${twice} where "mvw$one" union all select * from ${exact})`;
  const sample = columns.map((c, i) => `${scan.bind(c, 'text')}, ${keyAs[i]}`).join(', ');
  return {
    groups: scan.derive(`(select count(*) from ${found} f)`, 2),
    rows: scan.derive(`(select coalesce(sum("mvw$n"), 0) from ${found} f)`, 2),
    samples: scan.derive(
      `(select coalesce(json_agg(json_build_object(${sample}, 'count', "mvw$n") order by "mvw$n" desc), '[]')
          from (select * from ${found} f order by "mvw$n" desc limit ${scan.bind(CHECK_DEFAULTS.sampleLimit, 'int')}) s)`,
      2,
    ),
  };
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
 * The exact count of duplicates among rows with a null key part (a unique index lets those
 * repeat), in a statement of its own that reads only when such rows exist. Hashes seen
 * twice are found by sorting 8-byte integers (hash aggregation of millions of distinct keys is
 * several times slower), then only rows with such a hash are grouped by their real key, which
 * also rules out hash collisions.
 */
async function findDuplicates(
  scope: CheckScope,
  columns: string[],
  onlyNullKeys: string | null,
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
  const { rows } = await scope.exec(sql, b.values, {
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
    const found = screen(scan, scope, check.columns);
    // Hash aggregation of millions of distinct hashes is several times slower than sorting them.
    scan.settings.enable_hashagg = 'off';
    // Workers would each sort a third, then funnel every hash through one merge: slower than one sort.
    scan.settings.max_parallel_workers_per_gather = '0';
    // The sort holds ~64 bytes per row (hash, key, sort overhead): 2M rows need ~130MB in memory.
    scan.settings.work_mem = CHECK_DEFAULTS.duplicateWorkMem;
    return {
      finish: (row) =>
        evaluate(
          check,
          num(row[total]) ?? 0,
          {
            groups: num(row[found.groups]) ?? 0,
            rows: num(row[found.rows]) ?? 0,
            samples: row[found.samples] as Record<string, unknown>[],
          },
          'scan',
        ),
    };
  },
};
