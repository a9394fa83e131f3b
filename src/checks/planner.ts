/**
 * The single-scan planner: every aggregate of every check of a view becomes one column of one
 * SQL statement. Aggregates that need earlier results (outlier counts need the quartiles, MAD
 * needs the median) go into a later pass of the same statement:
 *
 *   with p1 as materialized (select <pass-1 aggregates> from view),
 *        d1 as materialized (select *, <values derived from pass 1> from p1),
 *        p2 as materialized (select <pass-2 aggregates> from view cross join d1),
 *        d2 as materialized (select *, <derived> from d1 cross join p2)
 *   select * from d2
 *
 * Each pass is one sequential scan; IQR and z-score need two, MAD three.
 */

/** A row of the scan's result: alias → value. */
export type ScanRow = Record<string, unknown>;

/** Numbered bind parameters of one statement: every value reaches SQL as `$n`. */
export class Binder {
  readonly values: unknown[] = [];
  /** `$n::cast` bound to `value`. */
  bind(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

interface Pass {
  aggs: Map<string, string>;
  derived: Map<string, string>;
}

/**
 * Collects aggregates for one relation and renders them as one statement. Identical
 * expressions in the same pass are computed once (two checks counting the same column's nulls
 * share `count(col)`).
 */
export class ScanPlan extends Binder {
  private readonly passes: Pass[] = [];
  private next = 0;

  constructor(readonly relation: string) {
    super();
  }

  private pass(n: number): Pass {
    while (this.passes.length < n) this.passes.push({ aggs: new Map(), derived: new Map() });
    return this.passes[n - 1]!;
  }

  private add(map: Map<string, string>, sql: string): string {
    const existing = map.get(sql);
    if (existing) return existing;
    // `$` keeps our aliases out of the way of the view's own column names.
    const alias = `mvw$${this.next++}`;
    map.set(sql, alias);
    return alias;
  }

  /**
   * An aggregate over every row of the relation, in scan `pass` (default 1). It may reference
   * aliases returned for earlier passes. Returns its alias in the result row.
   */
  agg(sql: string, pass = 1): string {
    return this.add(this.pass(pass).aggs, sql);
  }

  /** A value computed once after scan `pass` from its aggregates (bounds, for example). */
  derive(sql: string, pass = 1): string {
    return this.add(this.pass(pass).derived, sql);
  }

  /** Number of scans the statement makes. */
  get scans(): number {
    return this.passes.filter((p) => p.aggs.size > 0).length;
  }

  /** The statement, or null when nothing was registered. */
  toSql(): { text: string; values: unknown[] } | null {
    if (this.passes.every((p) => p.aggs.size === 0 && p.derived.size === 0)) return null;
    const ctes: string[] = [];
    let prev: string | null = null;
    this.passes.forEach((p, i) => {
      const n = i + 1;
      const sources: string[] = prev ? [prev] : [];
      if (p.aggs.size) {
        const cols = [...p.aggs].map(([sql, alias]) => `${sql} as ${alias}`).join(',\n    ');
        ctes.push(
          `p${n} as materialized (\n  select ${cols}\n  from ${this.relation}${prev ? ` cross join ${prev}` : ''})`,
        );
        sources.push(`p${n}`);
      }
      const derived = [...p.derived].map(([sql, alias]) => `, ${sql} as ${alias}`).join('');
      ctes.push(`d${n} as materialized (select *${derived} from ${sources.join(' cross join ')})`);
      prev = `d${n}`;
    });
    return { text: `with ${ctes.join(',\n')}\nselect * from ${prev}`, values: this.values };
  }
}

/** A numeric result as a JS number (bigint and numeric arrive as text from a plain pg client). */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isNaN(n) ? null : n;
}
