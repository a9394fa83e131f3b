/**
 * Exact quantiles in one pass instead of a sort of the whole column. A block sample (pass 0)
 * estimates a bracket around each quantile; the main pass counts the values below each
 * bracket and collects the few inside it; the quantile is then read off by rank, exactly as
 * percentile_cont computes it. When a bracket misses, a fallback pass (skipped otherwise)
 * runs percentile_cont over every value, so the result never depends on the sample.
 */
import { col } from './columns.js';
import type { ScanPlan } from './planner.js';
import { TUNING } from './tuning.js';

/** How a column is compared per row, and how a float8 bracket edge becomes comparable. */
export interface Comparable {
  /** The per-row expression compared against edges. */
  v: string;
  /** A float8 edge as a value of `v`'s type (null when it has no such value). */
  edge(e: string): string;
  /** An edge of `v`'s type back as float8, to check it against an exact float8 bound. */
  f8(e: string): string;
  /** The float8 value of a column value, as the checks define it. */
  float(x: string): string;
}

/**
 * NUMERIC is compared natively: its cast to float8 goes through text in PostgreSQL ≤ 15 and
 * costs several times the scan. Other numeric types are cheap to cast and compared as float8.
 */
export function comparable(column: string, base: string): Comparable {
  const c = col(column);
  if (base === 'numeric') {
    return {
      v: c,
      // NUMERIC has no infinities before PostgreSQL 14, and NaN is no useful edge: null misses.
      edge: (e) => `(case when abs(${e}) < 'Infinity'::float8 then (${e})::numeric end)`,
      f8: (e) => `${e}::float8`,
      float: (x) => `${x}::float8`,
    };
  }
  return { v: `${c}::float8`, edge: (e) => e, f8: (e) => e, float: (x) => `${x}::float8` };
}

/** Aliases of an exact-quantile plan. */
export interface QuantilePlan {
  /** count(column), pass 1. */
  nonNull: string;
  /** The exact percentile_cont value per fraction (float8), derived after pass 2. */
  values: string[];
  /** True when a bracket missed and the fallback pass sorted the whole column. */
  missed: string;
  /** Sample estimates per fraction, as [lowEdge, highEdge] float8 aliases of pass 0. */
  estimates: [string, string][];
}

/**
 * Registers exact `percentile_cont(fractions) within group (order by column::float8)` with the
 * scan: pass 0 estimates, pass 1 counts and collects, pass 2 falls back on a miss.
 */
export function exactQuantiles(
  scan: ScanPlan,
  column: string,
  cmp: Comparable,
  fractions: number[],
): QuantilePlan {
  const c = col(column);
  const delta = scan.bind(TUNING.bracket, 'float8');
  // Two sample quantiles per fraction: the bracket [p − δ, p + δ] in rank.
  const wanted = fractions.flatMap((p) => [`greatest(0, ${p} - ${delta})`, `least(1, ${p} + ${delta})`]);
  const sample = scan.agg(
    `percentile_cont(array[${wanted.join(', ')}]::float8[]) within group (order by ${cmp.float(c)})`,
    0,
  );
  const nonNull = scan.agg(`count(${c})`);
  const estimates: [string, string][] = [];
  const exact: string[] = [];
  const hits: string[] = [];
  fractions.forEach((p, i) => {
    const lowEst = scan.derive(`${sample}[${2 * i + 1}]`, 0);
    const highEst = scan.derive(`${sample}[${2 * i + 2}]`, 0);
    estimates.push([lowEst, highEst]);
    const lo = scan.derive(cmp.edge(lowEst), 0);
    const hi = scan.derive(cmp.edge(highEst), 0);
    const below = scan.agg(`count(*) filter (where ${cmp.v} < ${lo})`);
    const inside = scan.agg(`array_agg(${c}) filter (where ${cmp.v} >= ${lo} and ${cmp.v} <= ${hi})`);
    // percentile_cont's arithmetic, operation for operation, so the result is bit-identical.
    const pos = scan.derive(`${p}::float8 * (${nonNull} - 1)`);
    const first = scan.derive(`floor(${pos})::bigint - ${below}`);
    const second = scan.derive(`ceil(${pos})::bigint - ${below}`);
    const hit = scan.derive(
      `${nonNull} > 0 and ${first} >= 0 and ${second} < coalesce(cardinality(${inside}), 0)`,
    );
    // Only the bracket's values are sorted; native order is float8 order (the cast is monotonic).
    const sorted = scan.derive(
      `case when ${hit} then (select array_agg(${cmp.float('x')} order by x) from unnest(${inside}) x) end`,
    );
    const a = `${sorted}[${first} + 1]`;
    const b = `${sorted}[${second} + 1]`;
    exact.push(
      scan.derive(
        `case when ${first} = ${second} then ${a} else ${a} + ((${pos} - floor(${pos})) * (${b} - ${a})) end`,
      ),
    );
    hits.push(hit);
  });
  // An empty column has no quantiles and nothing to fall back to.
  const missed = scan.derive(
    `${nonNull} > 0 and not (${hits.map((h) => `coalesce(${h}, false)`).join(' and ')})`,
  );
  const fallback = scan.agg(
    `percentile_cont(array[${fractions.join(', ')}]::float8[]) within group (order by ${cmp.float(c)}) filter (where ${missed})`,
    2,
    missed,
  );
  const values = exact.map((e, i) =>
    scan.derive(`case when ${missed} then ${fallback}[${i + 1}] else ${e} end`, 2),
  );
  return { nonNull, values, missed, estimates };
}
