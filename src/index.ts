/** mvwatch's public API. Everything exported here is documented and kept stable. */
export {
  type AlertingOptions,
  MaterializedViewAlerting,
  type RefreshFailureContext,
  type RunObservation,
} from './alerts/alerting.js';
export { alertingOptionsFromConfig } from './alerts/config.js';
export type {
  AlertEvent,
  AlertEventKind,
  AlertTransition,
  AlertTransitionEvent,
  TransitionHook,
} from './alerts/events.js';
export { alertTypeForCheck, alertTypeForRefreshFailure, severityForCheck } from './alerts/mapping.js';
export type { Silence, SilenceMatchers } from './alerts/silences.js';
export { type ChecksConfig, checksSchema } from './checks/config.js';
export {
  type CheckInputs,
  type CheckRun,
  type CheckRunContext,
  loadCheckInputs,
  runChecks,
  saveColumns,
} from './checks/engine.js';
export { buildConfig, type Config, loadConfig, type ViewConfig } from './config/load.js';
export { type OpenDatabaseOptions, openDatabase } from './db/connect.js';
export { type CreateDbOptions, createDb, type Db } from './db/db.js';
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
export { TASKS as NOTIFY_TASKS } from './jobs/queue.js';
export { type NotifyTaskContext, notifyTasks } from './jobs/tasks.js';
export { type StartWorkerOptions, startWorker, type WorkerHandle } from './jobs/worker.js';
export { createLogger, type Logger, type LogLevel } from './log.js';
export { MaterializedViewMonitor } from './monitor/monitor.js';
export { type DeliveryOptions, deliveryOptions } from './notify/delivery-options.js';
export { createNotifier, type Notifier, type NotifierOptions } from './notify/notifier.js';
export {
  type Delivery,
  type DeliveryAttempt,
  type DeliveryFilter,
  type DeliveryStatus,
  listAttempts,
  listDeliveries,
} from './notify/queries/deliveries.js';
export { PLATFORM_LIMITS, type RateLimit } from './notify/rate-limit.js';
export { retryDelivery } from './notify/retry.js';
export { NOTIFY_DEFAULTS } from './notify/route-config.js';
export { type Route, resolveRoutes, routesFor } from './notify/routing.js';
export type { Channel, Notification, NotifiedAlert, SendResult, Transition } from './notify/types.js';
export { createAlerting, createCheckStepFactory } from './pipeline.js';
export { redactUrl } from './redact.js';
export { dependencyOrder, loadDependencies } from './refresh/dependencies.js';
export { MaterializedViewRefresh, type PublishDecision, type RefreshOptions } from './refresh/refresh.js';
export { type CheckStepFactory, type RunOverrides, taskFor, viewSettings } from './task/from-config.js';
export { type RunManyOptions, runViews } from './task/run-many.js';
export {
  type CheckOutcome,
  type CheckStep,
  MaterializedViewTask,
  type TaskOptions,
  type TaskResult,
} from './task/task.js';
export * from './types.js';
