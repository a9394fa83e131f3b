import type { Db } from '../db/db.js';
import { formatQualified, parseQualifiedName } from '../db/identifiers.js';
import { ensureMetadata, getMetadata, neverRefreshed, type ViewStatus } from '../db/queries/metadata.js';
import { insertChecks, listChecks, type QualityCheckRecord } from '../db/queries/quality-checks.js';
import { insertRun, listRuns, type RefreshRun } from '../db/queries/refresh-runs.js';
import type { CheckResult, CheckStatus, RefreshResult } from '../types.js';

/** Options of recordRefreshMetadata. */
export interface RecordRefreshOptions {
  /** Tables the view reads (the seed's `source_tables`). */
  sourceTables?: string[];
  /** What started the refresh: `cli`, `schedule`, `api`, `upstream` (default `api`). */
  trigger?: string;
}

/**
 * Records refreshes and check results and reads them back: the seed's monitor, with real
 * history (one row per run) and a failed refresh that no longer zeroes the row count.
 */
export class MaterializedViewMonitor {
  constructor(private readonly db: Db) {}

  /** Records a refresh result (run row + metadata upsert); returns the run id. */
  async recordRefreshMetadata(result: RefreshResult, options: RecordRefreshOptions = {}): Promise<number> {
    const name = parseQualifiedName(result.view);
    return insertRun(this.db, result, {
      viewSchema: name.schema,
      viewRelname: name.name,
      sourceTables: options.sourceTables,
      trigger: options.trigger,
    });
  }

  /** Refresh runs of a view, newest first (default 10). */
  getRefreshHistory(view: string, limit = 10, offset = 0): Promise<RefreshRun[]> {
    return listRuns(this.db, canonical(view), limit, offset);
  }

  /** The view's latest state; `status: 'never_refreshed'` when mvwatch has no record of it. */
  async getLatestRefreshStatus(view: string): Promise<ViewStatus> {
    const name = parseQualifiedName(view);
    return (
      (await getMetadata(this.db, formatQualified(name))) ??
      neverRefreshed(formatQualified(name), name.schema)
    );
  }

  /** Records one check result (the seed's signature); returns its id. */
  async recordQualityCheck(
    view: string,
    checkName: string,
    checkStatus: CheckStatus,
    checkMessage: string,
    checkDetails: Record<string, unknown> = {},
    options: { kind?: string; runId?: number | null } = {},
  ): Promise<number> {
    const [id] = await this.recordQualityChecks(
      view,
      [
        {
          check: checkName,
          kind: options.kind ?? checkName,
          status: checkStatus,
          message: checkMessage,
          details: checkDetails,
        },
      ],
      options.runId ?? null,
    );
    return id!;
  }

  /** Records several check results of one run in one statement; returns their ids. */
  async recordQualityChecks(
    view: string,
    results: CheckResult[],
    runId: number | null = null,
  ): Promise<number[]> {
    const name = parseQualifiedName(view);
    const key = formatQualified(name);
    await ensureMetadata(this.db, key, name.schema, name.name);
    return insertChecks(this.db, key, results, runId);
  }

  /** Check results of a view, newest first (default 10). */
  getQualityCheckHistory(view: string, limit = 10, offset = 0): Promise<QualityCheckRecord[]> {
    return listChecks(this.db, canonical(view), limit, offset);
  }
}

function canonical(view: string): string {
  return formatQualified(parseQualifiedName(view));
}
