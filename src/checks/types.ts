import type pg from 'pg';
import type { QualifiedName } from '../db/identifiers.js';
import type { CheckStatus } from '../types.js';
import type { Binder, ScanPlan, ScanRow } from './planner.js';

/** One column of the checked relation, as schema_check records it. */
export interface ColumnInfo {
  name: string;
  /** `format_type(atttypid, atttypmod)`, e.g. `numeric(12,2)`, `timestamp with time zone`. */
  type: string;
}

/** A column with what the planner needs to know about it. */
export interface CatalogColumn extends ColumnInfo {
  /** Type without modifiers (`numeric`, `character varying[]`): what kinds branch on. */
  base: string;
  notNull: boolean;
}

/** A valid, non-partial unique index on plain columns: proof that its key has no duplicates. */
export interface UniqueIndex {
  columns: string[];
  /** NULLS NOT DISTINCT (PostgreSQL 15+): rows with null key parts cannot repeat either. */
  nullsNotDistinct: boolean;
}

/** What the catalog says about the checked relation, read in one round trip per run. */
export interface RelationInfo {
  columns: CatalogColumn[];
  uniqueIndexes: UniqueIndex[];
  /** Expected type as written in type_check → PostgreSQL's name for it; null when unknown. */
  typeNames: Record<string, string | null>;
}

/** Options of one guarded statement. */
export interface ExecOptions {
  /** `transaction_read_only = on` for this statement only. */
  readOnly?: boolean;
  /** `statement_timeout` in ms for this statement only. */
  timeoutMs?: number;
  /** Other planner settings for this statement only, e.g. `{ enable_hashagg: 'off' }`. */
  settings?: Record<string, string>;
}

/** Runs one statement so that its failure cannot abort the surrounding transaction. */
export type Exec = <R extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  params?: unknown[],
  options?: ExecOptions,
) => Promise<pg.QueryResult<R>>;

/** History the engine compares against (see engine.ts CheckInputs). */
export interface HistoryInputs {
  previousRowCount: number | null;
  history: { rowCount: number | null; durationMs: number }[];
  previousColumns: ColumnInfo[] | null;
}

/** Everything a kind may read while planning and evaluating one check. */
export interface CheckScope {
  view: QualifiedName;
  viewKey: string;
  /** The relation quoted for SQL. */
  relation: string;
  info: RelationInfo;
  inputs: HistoryInputs;
  refreshDurationMs?: number;
  now: Date;
  /** Columns that identify a row in sample keys. */
  keyColumns: string[];
  exec: Exec;
  /**
   * A second connection on the same snapshot, when the engine owns its transaction and has a
   * pool: statements started here run beside the main scan. Undefined inside the gate.
   */
  side?: Exec;
}

/** Rows to sample for a non-passing result; the keys land in `target.sampleKeys`. */
export interface SampleRequest {
  target: Record<string, unknown>;
  /** Predicate selecting the offending rows. */
  where: (b: Binder) => string;
  /** Extra values shown beside each key: label → SQL expression. */
  values?: Record<string, string>;
}

/** A check's outcome before it becomes a CheckResult. */
export interface Evaluation {
  status: CheckStatus;
  message: string;
  details: Record<string, unknown>;
  /** Asked for only when the status is not `pass`. */
  samples?: SampleRequest[];
}

/** A check whose aggregates are registered with the scan; `finish` reads the scan row. */
export interface PlannedCheck {
  finish(row: ScanRow): Promise<Evaluation> | Evaluation;
}

/** One check kind: a file under kinds/. */
export interface CheckKind<C> {
  readonly kind: string;
  /**
   * Validates the check against the catalog and registers its aggregates with `scan`; returns
   * an Evaluation directly when the outcome is known without scanning (missing column, ...),
   * or null when the check does not apply to this run (no result at all).
   */
  plan(check: C, scope: CheckScope, scan: ScanPlan): PlannedCheck | Evaluation | null;
}
