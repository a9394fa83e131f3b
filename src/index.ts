/** mvwatch's public API. Everything exported here is documented and kept stable. */
export { MaterializedViewAlerting, type RunObservation } from './alerts/alerting.js';
export { alertTypeForCheck, alertTypeForRefreshFailure, severityForCheck } from './alerts/mapping.js';
export { buildConfig, type Config, loadConfig, type ViewConfig } from './config/load.js';
export { type OpenDatabaseOptions, openDatabase } from './db/connect.js';
export { type CreateDbOptions, createDb, type Db, redactUrl } from './db/db.js';
export { type EmbeddedOptions, type EmbeddedServer, ensureEmbedded } from './db/embedded.js';
export {
  formatQualified,
  parseQualifiedName,
  type QualifiedName,
  quoteIdent,
  quoteQualified,
} from './db/identifiers.js';
export { type MigrateResult, migrate } from './db/migrate.js';
export type { ViewStatus } from './db/queries/metadata.js';
export type { QualityCheckRecord } from './db/queries/quality-checks.js';
export type { RefreshRun } from './db/queries/refresh-runs.js';
export { ERROR_CODES, type ErrorCode, isMvwatchError, MvwatchError } from './errors.js';
export { MaterializedViewMonitor } from './monitor/monitor.js';
export { dependencyOrder, loadDependencies } from './refresh/dependencies.js';
export { MaterializedViewRefresh, type PublishDecision, type RefreshOptions } from './refresh/refresh.js';
export { runViews } from './task/run-many.js';
export {
  type CheckOutcome,
  type CheckStep,
  MaterializedViewTask,
  type TaskOptions,
  type TaskResult,
} from './task/task.js';
export * from './types.js';
