/**
 * Exact IQR outlier counts in the same pass as the quartiles. The sample's quartile brackets
 * bound where the IQR fences can fall; the main pass counts the values surely beyond those
 * ranges and collects the few inside them, which are tested against the exact fences once the
 * quartiles are known. When a fence lands outside its range (a bracket missed), a fallback pass
 * (skipped otherwise) counts over every value.
 */
import { col } from './columns.js';
import type { ScanPlan } from './planner.js';
import { type Comparable, exactQuantiles } from './quantiles.js';

/** Aliases the outlier check reads for one column. */
export interface IqrPlan {
  nonNull: string;
  lower: string;
  upper: string;
  outliers: string;
  stats: Record<string, string>;
}

/** Registers an exact IQR outlier count for `column`: sample pass 0, pass 1, fallbacks 2 and 3. */
export function planIqrExact(scan: ScanPlan, column: string, cmp: Comparable, threshold: string): IqrPlan {
  const c = col(column);
  const t = threshold;
  const q = exactQuantiles(scan, column, cmp, [0.25, 0.5, 0.75]);
  const [q1, median, q3] = q.values as [string, string, string];
  const [[q1lo, q1hi], , [q3lo, q3hi]] = q.estimates as [[string, string], unknown, [string, string]];
  // If the quartiles lie in their brackets, the fences lie in these ranges (t > 0, iqr ≥ 0).
  const iqrMin = scan.derive(`greatest(0, ${q3lo} - ${q1hi})`, 0);
  const iqrMax = scan.derive(`${q3hi} - ${q1lo}`, 0);
  const edges = [
    `${q1lo} - ${t} * ${iqrMax}`,
    `${q1hi} - ${t} * ${iqrMin}`,
    `${q3lo} + ${t} * ${iqrMin}`,
    `${q3hi} + ${t} * ${iqrMax}`,
  ].map((e) => scan.derive(cmp.edge(e), 0));
  const [lowA, lowB, highA, highB] = edges as [string, string, string, string];
  const surelyLow = scan.agg(`count(*) filter (where ${cmp.v} < ${lowA})`);
  const nearLow = scan.agg(`array_agg(${c}) filter (where ${cmp.v} >= ${lowA} and ${cmp.v} <= ${lowB})`);
  const surelyHigh = scan.agg(`count(*) filter (where ${cmp.v} > ${highB})`);
  const nearHigh = scan.agg(`array_agg(${c}) filter (where ${cmp.v} >= ${highA} and ${cmp.v} <= ${highB})`);
  // The fences exactly as the two-pass plan computes them.
  const lower = scan.derive(`${q1} - ${t} * (${q3} - ${q1})`, 2);
  const upper = scan.derive(`${q3} + ${t} * (${q3} - ${q1})`, 2);
  // Below lowA means below the fence only if lowA (as float8) is below it, and so on.
  const fits = scan.derive(
    `${q.nonNull} = 0 or coalesce(${cmp.f8(lowA)} < ${lower} and ${cmp.f8(lowB)} >= ${lower}
       and ${cmp.f8(highA)} <= ${upper} and ${cmp.f8(highB)} > ${upper}, false)`,
    2,
  );
  const fast = scan.derive(
    `${surelyLow} + ${surelyHigh}
     + (select count(*) from unnest(${nearLow}) x where ${cmp.float('x')} < ${lower})
     + (select count(*) from unnest(${nearHigh}) x where ${cmp.float('x')} > ${upper})`,
    2,
  );
  const x = cmp.float(c);
  const fallback = scan.agg(
    `count(*) filter (where not ${fits} and (${x} < ${lower} or ${x} > ${upper}))`,
    3,
    `not ${fits}`,
  );
  const outliers = scan.derive(`case when ${fits} then ${fast} else ${fallback} end`, 3);
  return {
    nonNull: q.nonNull,
    lower,
    upper,
    outliers,
    stats: { q1, median, q3, iqr: scan.derive(`${q3} - ${q1}`, 2) },
  };
}
