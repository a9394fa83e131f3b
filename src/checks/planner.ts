/**
 * The single-scan planner: every aggregate of every check of a view becomes one column of one
 * SQL statement. Aggregates that need earlier results go into a later pass of that statement:
 *
 *   with p0 as materialized (select <estimates> from view tablesample system (pct) repeatable (0)),
 *        d0 as materialized (select * from p0 cross join lateral (select <derived> ...) ...),
 *        <side CTEs: grouped queries such as the duplicate screen>,
 *        p1 as materialized (select <pass-1 aggregates> from view cross join d0),
 *        d1 as materialized (select * from d0 cross join p1 cross join lateral ...),
 *        p2 as materialized (select <pass-2 aggregates> from view cross join d1
 *                            where (select <guard> from d1)),
 *        ...
 *   select * from dN
 *
 * Pass 0 reads a block sample (a few hundred pages) for estimates only; exactness never rests
 * on it. A pass with a guard is a fallback: its WHERE is an uncorrelated subquery, so PostgreSQL
 * evaluates it once (a One-Time Filter) and never scans the view when it is false.
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
  /** Fallback conditions: the pass runs when any is true; null once anything needs it always. */
  guards: string[] | null;
  /** Materialized CTEs placed right after this pass's derived values. */
  sides: string[];
}

/**
 * Collects aggregates for one relation and renders them as one statement. Identical
 * expressions in the same pass are computed once (two checks counting the same column's nulls
 * share `count(col)`).
 */
export class ScanPlan extends Binder {
  private readonly passes: Pass[] = [];
  private next = 0;
  /** Planner settings for the statement (SET LOCAL), e.g. `enable_hashagg`. */
  readonly settings: Record<string, string> = {};

  /**
   * @param relation the quoted relation
   * @param samplePercent TABLESAMPLE SYSTEM percentage for pass 0; null when the relation
   *   cannot be sampled (a plain view), and then kinds must not register pass-0 aggregates.
   */
  constructor(
    readonly relation: string,
    readonly samplePercent: number | null = null,
  ) {
    super();
  }

  private pass(n: number): Pass {
    while (this.passes.length <= n)
      this.passes.push({ aggs: new Map(), derived: new Map(), guards: [], sides: [] });
    return this.passes[n]!;
  }

  private alias(): string {
    // `$` keeps our aliases out of the way of the view's own column names.
    return `mvw$${this.next++}`;
  }

  private add(map: Map<string, string>, sql: string): string {
    const existing = map.get(sql);
    if (existing) return existing;
    const alias = this.alias();
    map.set(sql, alias);
    return alias;
  }

  /**
   * An aggregate over every row of the relation, in scan `pass` (default 1; 0 is the block
   * sample). It may reference aliases of earlier passes. With `guard` (a boolean over earlier
   * aliases) it is a fallback: the pass scans only when one of its guards is true, and the
   * aggregate then reads as its empty-input value (0 or null) when the guard was false.
   * Returns its alias in the result row.
   */
  agg(sql: string, pass = 1, guard?: string): string {
    if (pass === 0 && this.samplePercent === null) throw new Error('this relation cannot be sampled');
    const p = this.pass(pass);
    if (guard === undefined || pass <= 1) p.guards = null;
    else if (p.guards && !p.guards.includes(guard)) p.guards.push(guard);
    return this.add(p.aggs, sql);
  }

  /**
   * A value computed once after scan `pass` from its aggregates (bounds, for example). It may
   * reference every alias of earlier passes and every value derived before it.
   */
  derive(sql: string, pass = 1): string {
    return this.add(this.pass(pass).derived, sql);
  }

  /**
   * A materialized CTE placed after the values derived from pass `after` (so it may reference
   * them through `(select alias from d<after>)`); `body` receives the CTE's name. Returns the
   * name, for scalar subqueries in later derived values.
   */
  cte(body: (name: string) => string, after = 0): string {
    const name = this.alias();
    this.pass(after).sides.push(`${name} as materialized (${body(name)})`);
    return name;
  }

  private sampleRef: string | null = null;

  /** The bound sample percentage, bound once however often the statement is rendered. */
  private sampleParam(): string {
    this.sampleRef ??= this.bind(this.samplePercent, 'float4');
    return this.sampleRef;
  }

  /** `d<n>`: the CTE holding every value up to pass n. */
  static valuesOf(pass: number): string {
    return `d${pass}`;
  }

  /** Full scans the statement always makes (the block sample and guarded fallbacks excluded). */
  get scans(): number {
    return this.passes.filter((p, i) => i > 0 && p.aggs.size > 0 && p.guards === null).length;
  }

  /** The statement, or null when nothing was registered. */
  toSql(): { text: string; values: unknown[] } | null {
    if (this.passes.every((p) => p.aggs.size === 0 && p.derived.size === 0 && p.sides.length === 0))
      return null;
    const ctes: string[] = [];
    let prev: string | null = null;
    this.passes.forEach((p, n) => {
      if (p.aggs.size === 0 && p.derived.size === 0) {
        ctes.push(...p.sides);
        return;
      }
      const sources: string[] = prev ? [prev] : [];
      if (p.aggs.size) {
        const cols = [...p.aggs].map(([sql, alias]) => `${sql} as ${alias}`).join(',\n    ');
        const from =
          n === 0
            ? `${this.relation} tablesample system (${this.sampleParam()}) repeatable (0)`
            : `${this.relation}${prev ? ` cross join ${prev}` : ''}`;
        // An uncorrelated subquery: evaluated once, so a false guard skips the scan entirely.
        const guard = p.guards?.length
          ? `\n  where (select ${p.guards.map((g) => `(${g})`).join(' or ')} from ${prev})`
          : '';
        ctes.push(`p${n} as materialized (\n  select ${cols}\n  from ${from}${guard})`);
        sources.push(`p${n}`);
      }
      // Laterals in order: each derived value may name the ones before it. `offset 0` keeps
      // the planner from inlining a value (and re-running its subqueries) at every use.
      const laterals = [...p.derived].map(
        ([sql, alias], i) => ` cross join lateral (select ${sql} as ${alias} offset 0) l${i}`,
      );
      const base = sources.length ? sources.join(' cross join ') : '(select) e';
      ctes.push(`d${n} as materialized (select * from ${base}${laterals.join('')})`);
      prev = `d${n}`;
      ctes.push(...p.sides);
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
