import type pg from 'pg';
import { type QualifiedName, quoteQualified } from '../db/identifiers.js';
import { messageOf, sqlstateOf } from '../db/sqlstate.js';
import { MvwatchError } from '../errors.js';
import type { CheckResult, CheckStatus } from '../types.js';
import { loadRelationInfo } from './catalog.js';
import { CHECK_DEFAULTS, type CheckConfig, type ChecksConfig } from './config.js';
import { num, ScanPlan, type ScanRow } from './planner.js';
import { kindOf } from './registry.js';
import { chooseKeyColumns, collectSamples } from './samples.js';
import { withCheckSession } from './session.js';
import { worst } from './stats.js';
import type {
  CheckScope,
  ColumnInfo,
  Evaluation,
  Exec,
  HistoryInputs,
  PlannedCheck,
  SampleRequest,
} from './types.js';

export { loadCheckInputs, saveColumns } from './state.js';
export type { ColumnInfo } from './types.js';

/** What the engine needs from history (loadCheckInputs reads it from the state tables). */
export interface CheckInputs extends HistoryInputs {
  /** Row count of the previous *successful* refresh; null when there is none. */
  previousRowCount: number | null;
  /** Recent successful runs, newest first. */
  history: { rowCount: number | null; durationMs: number }[];
  /** Last recorded column snapshot (schema_check); null when none. */
  previousColumns: ColumnInfo[] | null;
}

export interface CheckRunContext extends CheckInputs {
  /**
   * The connection to run on. Inside a transaction (the quality gate) the engine only uses
   * savepoints and leaves the transaction usable; on an idle connection it reads in a
   * read-only transaction of its own, rolled back at the end.
   */
  client: pg.ClientBase;
  view: QualifiedName;
  /** formatQualified(view): the key used in the state tables. */
  viewKey: string;
  checks: ChecksConfig;
  /** This run's refresh duration, for duration_anomaly (omitted: no duration result). */
  refreshDurationMs?: number;
  /** The clock freshness_check measures against (default: now). */
  now?: Date;
  /**
   * Where a second connection can be had (default none). When the engine owns its transaction
   * (an idle `client`), scans that cannot share the main statement — the duplicate sort — run
   * there at the same time, on the same snapshot. Ignored inside the caller's transaction.
   */
  pool?: pg.Pool;
}

export interface CheckRun {
  /** One result per configured check, in configuration order. */
  results: CheckResult[];
  /** The worst status of the results; `pass` when there are none. */
  status: CheckStatus;
  /** Rows in the view, from the same scan as the checks. */
  rowCount: number;
  /** The view's columns now (for saveColumns). */
  columns: ColumnInfo[];
}

interface Entry {
  name: string;
  check: CheckConfig;
  outcome: PlannedCheck | Evaluation | null;
}

function failure(e: unknown, what: string): Evaluation {
  return {
    status: 'error',
    message: `${what}: ${messageOf(e)}`,
    details: { error: messageOf(e), sqlstate: sqlstateOf(e) ?? null },
  };
}

function plan(entry: Omit<Entry, 'outcome'>, scope: CheckScope, scan: ScanPlan): Entry['outcome'] {
  try {
    return kindOf(entry.check).plan(entry.check, scope, scan);
  } catch (e) {
    return failure(e, `Check ${entry.name} could not be planned`);
  }
}

async function runScan(exec: Exec, scan: ScanPlan): Promise<ScanRow> {
  const sql = scan.toSql()!;
  const { rows } = await exec(sql.text, sql.values, { settings: { work_mem: CHECK_DEFAULTS.scanWorkMem } });
  return rows[0]!;
}

const isPlanned = (o: Entry['outcome']): o is PlannedCheck => o !== null && 'finish' in o;

async function finish(entry: Entry, row: ScanRow): Promise<Evaluation | null> {
  const o = entry.outcome;
  if (!isPlanned(o)) return o;
  try {
    return await o.finish(row);
  } catch (e) {
    return failure(e, `Check ${entry.name} failed`);
  }
}

/**
 * When the shared scan fails (an unexpected value, say), each check gets a scan of its own, so
 * one bad check becomes one error result instead of failing them all.
 */
async function isolate(entry: Entry, scope: CheckScope): Promise<Evaluation | null> {
  const own = new ScanPlan(scope.relation);
  own.agg('count(*)');
  const outcome = plan(entry, scope, own);
  if (!isPlanned(outcome)) return outcome;
  let row: ScanRow;
  try {
    row = await runScan(scope.exec, own);
  } catch (e) {
    return failure(e, `Check ${entry.name} failed`);
  }
  return finish({ ...entry, outcome }, row);
}

/**
 * Runs the checks of one view: a catalog read, one statement for every aggregate of every
 * check (one to three scans of the view), and extra statements only for what cannot be an
 * aggregate (sql_check, the exact count of suspected duplicates, sample keys of failures).
 * Checks never throw for bad data or bad SQL: those become `error` results. Throws only when
 * the view cannot be read at all (MVW_NOT_FOUND, MVW_CHECKS_FAILED).
 */
export async function runChecks(ctx: CheckRunContext): Promise<CheckRun> {
  return withCheckSession(
    ctx.client,
    async (exec, side) => {
      const entries = Object.entries(ctx.checks).map(([name, check]) => ({ name, check }));
      const typeNames = entries.flatMap(({ check }) =>
        check.kind === 'type_check' ? Object.values(check.columns) : [],
      );
      const info = await loadRelationInfo(exec, ctx.view, typeNames);
      const duplicateKey = entries.find(({ check }) => check.kind === 'duplicate_check')?.check as
        | { columns: string[] }
        | undefined;
      const scope: CheckScope = {
        view: ctx.view,
        viewKey: ctx.viewKey,
        relation: quoteQualified(ctx.view),
        info,
        inputs: ctx,
        refreshDurationMs: ctx.refreshDurationMs,
        now: ctx.now ?? new Date(),
        keyColumns: chooseKeyColumns(
          info.columns.map((c) => c.name),
          info.uniqueIndexes,
          duplicateKey?.columns,
        ),
        exec,
        side,
      };

      const scan = new ScanPlan(scope.relation);
      const total = scan.agg('count(*)');
      const planned: Entry[] = entries.map((e) => ({ ...e, outcome: plan(e, scope, scan) }));
      let row: ScanRow | null = null;
      let rowCount: number;
      try {
        row = await runScan(exec, scan);
        rowCount = num(row[total]) ?? 0;
      } catch {
        // The shared scan failed: count on its own, then isolate() gives each check its own scan.
        try {
          rowCount = num((await exec(`select count(*) as n from ${scope.relation}`)).rows[0]?.n) ?? 0;
        } catch (inner) {
          throw new MvwatchError('MVW_CHECKS_FAILED', `Cannot read ${ctx.viewKey}: ${messageOf(inner)}`, {
            cause: inner,
          });
        }
      }

      const results: CheckResult[] = [];
      const samples: SampleRequest[] = [];
      for (const entry of planned) {
        const evaluation = row ? await finish(entry, row) : await isolate(entry, scope);
        if (!evaluation) continue;
        if (evaluation.status !== 'pass') samples.push(...(evaluation.samples ?? []));
        results.push({
          check: entry.name,
          kind: entry.check.kind,
          status: evaluation.status,
          message: evaluation.message,
          details: evaluation.details,
        });
      }
      await collectSamples(scope, samples);
      return {
        results,
        status: worst(results.map((r) => r.status)),
        rowCount,
        columns: info.columns.map(({ name, type }) => ({ name, type })),
      };
    },
    { pool: ctx.pool },
  );
}
