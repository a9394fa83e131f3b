import type { Db } from '../db/db.js';
import { formatQualified, parseQualifiedName } from '../db/identifiers.js';
import { listAlertEvents } from '../db/queries/alert-events.js';
import {
  incidentById,
  lockFingerprints,
  recoveredNotificationFailures,
  type Tx,
} from '../db/queries/alert-incidents.js';
import { type AlertFilter, countAlerts, listAlerts, publicAlert } from '../db/queries/alerts.js';
import { expireSilence, insertSilence, listSilences } from '../db/queries/silences.js';
import { MvwatchError } from '../errors.js';
import { loadDependencies } from '../refresh/dependencies.js';
import type { Alert, AlertSummary, CheckResult, CheckStatus, RefreshErrorKind } from '../types.js';
import { SEVERITIES } from '../types.js';
import { applySignals, commitSteps } from './apply.js';
import type { AlertEvent, TransitionHook } from './events.js';
import {
  checkSignal,
  clearedSignal,
  freshnessSignal,
  gateBlockedSignal,
  notificationFailedSignal,
  type RunObservation,
  refreshFailedSignal,
  type Signal,
  signalsForRun,
} from './observations.js';
import { type EscalationOptions, type EscalationPolicy, policyFor } from './policy.js';
import { releaseEndedSilences } from './release.js';
import { normalizeMatchers, type Silence, type SilenceMatchers } from './silences.js';
import { type TransitionInput, transition } from './transition.js';

export type { RunObservation } from './observations.js';

/** Extra context of a refresh failure, beyond the seed's arguments. */
export interface RefreshFailureContext {
  kind?: RefreshErrorKind;
  sqlstate?: string;
  runId?: number | null;
}

/** Options of {@link MaterializedViewAlerting}; every one is optional. */
export interface AlertingOptions extends EscalationOptions {
  /**
   * Called with every transition (firing, escalated, repeat, resolved) inside the transaction
   * that wrote it; the notification pipeline enqueues deliveries here. Throwing rolls back.
   */
  onTransitions?: TransitionHook;
  /** Upstream views declared in configuration (view → views it reads), added to the catalog's. */
  dependsOn?: Readonly<Record<string, readonly string[]>>;
  /** How long the catalog's dependency graph is reused (default 60 000 ms). */
  dependencyCacheMs?: number;
}

/** A new silence. */
export interface NewSilence {
  matchers: SilenceMatchers;
  /** How long it lasts from `startsAt`, in ms. */
  durationMs: number;
  createdBy: string;
  comment?: string;
  /** Default now. */
  startsAt?: Date;
}

// A DDL change that adds a matview-on-matview shows up within a minute.
const DEFAULT_DEPENDENCY_CACHE_MS = 60_000;

/**
 * Raises, lists, summarises and acknowledges alerts — every method of the seed's
 * MaterializedViewAlerting with the same mappings and messages — as incidents: one per
 * fingerprint while it fires, escalated, auto-resolved, silenced and inhibited (issue 4).
 */
export class MaterializedViewAlerting {
  private readonly options: AlertingOptions;
  private deps?: { at: number; graph: Promise<Map<string, string[]>> };

  constructor(
    private readonly db: Db,
    options: AlertingOptions = {},
  ) {
    const views = Object.fromEntries(Object.entries(options.views ?? {}).map(([v, o]) => [canonical(v), o]));
    this.options = { ...options, views };
  }

  /** The escalation policy of one view (its override over the global one over the defaults). */
  policyFor(view: string): EscalationPolicy {
    return policyFor(this.options, canonical(view));
  }

  /**
   * A failed refresh. Type `refresh_timeout` for statement/lock timeouts (by SQLSTATE; the
   * seed's "message contains timeout" as fallback), else `refresh_failed`; severity `error`,
   * `critical` from the policy's consecutive failure count. Returns the incident id.
   */
  async alertRefreshFailed(
    view: string,
    errorMessage: string,
    refreshStrategy: string,
    durationSeconds: number,
    additionalDetails: Record<string, unknown> = {},
    context: RefreshFailureContext = {},
  ): Promise<number> {
    const signal = refreshFailedSignal(
      canonical(view),
      errorMessage,
      refreshStrategy,
      durationSeconds,
      additionalDetails,
      context,
    );
    return (await this.apply([[signal]]))[0]![0]!;
  }

  /**
   * A data-quality finding with the seed's name → type and status → severity mappings. A
   * passing check resolves the check's firing incident, if any, and returns null; otherwise
   * returns the incident id.
   */
  async alertDataQualityIssue(
    view: string,
    checkName: string,
    checkStatus: CheckStatus,
    checkMessage: string,
    checkDetails: Record<string, unknown> = {},
    context: { kind?: string; runId?: number | null } = {},
  ): Promise<number | null> {
    const signal = checkSignal(canonical(view), checkName, checkStatus, checkMessage, checkDetails, context);
    return (await this.apply([[signal]]))[0]![0] ?? null;
  }

  /** The quality gate kept new contents unpublished: severity `critical`. Returns the incident id. */
  async alertQualityGateBlocked(
    view: string,
    checks: CheckResult[],
    runId: number | null = null,
  ): Promise<number> {
    return (await this.apply([[gateBlockedSignal(canonical(view), checks, runId)]]))[0]![0]!;
  }

  /**
   * Turns one run into incident transitions: a failed refresh raises `refresh_failed` or
   * `refresh_timeout` and inhibits the run's quality alerts; a blocked gate raises
   * `quality_gate_blocked`; a success resolves all three; each check raises or resolves its own
   * incident; a failing upstream view inhibits quality and `stale_data` alerts. Returns the ids of
   * the incidents raised or updated. Skipped runs change nothing.
   */
  async observeRun(obs: RunObservation): Promise<number[]> {
    return (await this.observeMany([obs]))[0]!;
  }

  /**
   * {@link observeRun} for many runs in one transaction and one write statement (the batch API:
   * far fewer round trips and commits). Runs apply in order; returns the ids per run.
   */
  async observeMany(observations: readonly RunObservation[]): Promise<number[][]> {
    return this.apply(
      observations.map((o) =>
        signalsForRun({ ...o, refresh: { ...o.refresh, view: canonical(o.refresh.view) } }),
      ),
    );
  }

  /**
   * Check results from a run without a refresh (`mvwatch check`): each non-passing check raises
   * or updates its incident, each pass resolves its own. Returns the ids raised or updated.
   */
  async observeChecks(
    view: string,
    checks: readonly CheckResult[],
    options: { labels?: Record<string, string> } = {},
  ): Promise<number[]> {
    const key = canonical(view);
    const labels = options.labels ?? {};
    const signals = checks.map((c) => ({
      ...checkSignal(key, c.check, c.status, c.message, c.details, { kind: c.kind }),
      labels,
    }));
    return (await this.apply([signals]))[0]!;
  }

  /**
   * A view-level freshness SLA: `stale_data` while the last success is older than `warnAfterMs`
   * (warning; error past `errorAfterMs`, critical past twice that), resolved once fresh.
   * Returns the incident id, or null when fresh.
   */
  async observeFreshness(
    view: string,
    sla: { lastSuccessAt: Date | null; warnAfterMs: number; errorAfterMs?: number },
    options: { labels?: Record<string, string>; now?: Date } = {},
  ): Promise<number | null> {
    const signal = freshnessSignal(canonical(view), sla, options.now ?? new Date());
    return (await this.apply([[{ ...signal, labels: options.labels ?? {} }]]))[0]![0] ?? null;
  }

  /**
   * Firing incidents that were recorded silenced and that no active silence matches any more
   * (the silence expired or ended): marks them unsilenced and reports each as `firing` through
   * `onTransitions`, so they are notified now. Call it periodically (the scheduler does);
   * returns the incidents released.
   */
  releaseEndedSilences(): Promise<Alert[]> {
    return releaseEndedSilences(this.db, (view) => this.policyFor(view), this.options.onTransitions);
  }

  /**
   * A notification about `view` that could not be delivered to `channel` (issue 5): one
   * `notification_failed` incident per view (severity `error`), repeated while deliveries keep
   * dying. Never inhibited; `labels` are the view's (routing). Returns the incident id.
   */
  async alertNotificationFailed(
    view: string,
    channel: string,
    errorMessage: string,
    details: Record<string, unknown> = {},
    labels: Record<string, string> = {},
  ): Promise<number> {
    const signal = notificationFailedSignal(canonical(view), channel, errorMessage, details, labels);
    return (await this.apply([[signal]]))[0]![0]!;
  }

  /**
   * Resolves each firing `notification_failed` incident whose channel works again: a later message
   * about the same view reached the channel the incident names. Run by the worker's maintenance
   * loop, off the delivery path. Incidents naming a channel that has not delivered since stay.
   * Returns the views resolved.
   */
  async resolveRecoveredNotificationFailures(): Promise<string[]> {
    const recovered = await recoveredNotificationFailures({ client: this.db.pool, s: this.db.s });
    if (!recovered.length) return [];
    await this.apply([
      recovered.map((r) =>
        clearedSignal(
          r.view,
          'notification_failed',
          `Notifications about ${r.view} reach ${r.channel} again`,
        ),
      ),
    ]);
    return recovered.map((r) => r.view);
  }

  /** Incidents, newest first by creation, with equality filters and paging (default limit 100). */
  getAlertHistory(filter: AlertFilter = {}): Promise<Alert[]> {
    return listAlerts(this.db, { ...filter, view: filter.view && canonical(filter.view) });
  }

  /** Incidents nobody acknowledged yet, newest first. */
  getUnacknowledgedAlerts(
    filter: Pick<AlertFilter, 'view' | 'limit' | 'offset' | 'status'> = {},
  ): Promise<Alert[]> {
    return this.getAlertHistory({ ...filter, unacked: true });
  }

  /** Incidents active in the last `days` days (default 7), by severity and by type. */
  async getAlertSummary(options: { view?: string; days?: number } = {}): Promise<AlertSummary> {
    const days = options.days ?? 7;
    const view = options.view && canonical(options.view);
    const rows = await countAlerts(this.db, days, view);
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as AlertSummary['bySeverity'];
    const byType: AlertSummary['byType'] = {};
    let total = 0;
    for (const r of rows) {
      total += r.n;
      bySeverity[r.severity as keyof typeof bySeverity] += r.n;
      byType[r.type as keyof typeof byType] = (byType[r.type as keyof typeof byType] ?? 0) + r.n;
    }
    return { total, bySeverity, byType, days, ...(view ? { view } : {}), ...bySeverity };
  }

  /**
   * Acknowledges a firing incident (the seed's fields: by, at, notes). It still escalates and
   * resolves; only repeats stop being notified. Unknown id: MVW_ALERT_NOT_FOUND; resolved:
   * MVW_ALERT_NOT_FIRING.
   */
  acknowledgeAlert(alertId: number, acknowledgedBy: string, notes = ''): Promise<Alert> {
    return this.changeIncident(alertId, { kind: 'ack', by: acknowledgedBy, notes });
  }

  /** Takes an acknowledgement back (repeats are notified again). Same errors as acknowledgeAlert. */
  unacknowledgeAlert(alertId: number, by?: string): Promise<Alert> {
    return this.changeIncident(alertId, { kind: 'unack', ...(by ? { by } : {}) });
  }

  /** One incident by id; an unknown id is an error. */
  async getAlert(alertId: number): Promise<Alert> {
    const incident = await incidentById({ client: this.db.pool, s: this.db.s }, alertId);
    if (!incident) throw notFound(alertId);
    return publicAlert(incident);
  }

  /** An incident's occurrence log, oldest first; an unknown id is an error. */
  async getAlertEvents(alertId: number): Promise<AlertEvent[]> {
    await this.getAlert(alertId);
    return listAlertEvents(this.db, alertId);
  }

  /** Creates a silence; alerts it matches are recorded `silenced` and not notified. */
  createSilence(s: NewSilence): Promise<Silence> {
    if (!(s.durationMs > 0))
      throw new MvwatchError('MVW_INVALID_ARGUMENT', 'A silence needs a positive duration, such as 2h.');
    if (!s.createdBy.trim())
      throw new MvwatchError('MVW_INVALID_ARGUMENT', 'A silence needs an author: pass --by NAME.');
    return insertSilence(this.db, {
      matchers: normalizeMatchers(s.matchers),
      durationMs: s.durationMs,
      createdBy: s.createdBy,
      comment: s.comment ?? '',
      startsAt: s.startsAt,
    });
  }

  /** Silences not yet ended (`all`: every silence), latest end first. */
  listSilences(options: { all?: boolean } = {}): Promise<Silence[]> {
    return listSilences(this.db, options);
  }

  /**
   * Ends a silence now; incidents it silenced are notified by the next
   * {@link releaseEndedSilences}. Unknown id: MVW_SILENCE_NOT_FOUND.
   */
  async expireSilence(id: number): Promise<Silence> {
    const s = await expireSilence(this.db, id);
    if (!s)
      throw new MvwatchError(
        'MVW_SILENCE_NOT_FOUND',
        `No silence has id ${id}. List silences with \`mvwatch silence list\`.`,
      );
    return s;
  }

  private apply(groups: Signal[][]): Promise<number[][]> {
    return applySignals(this.db, groups, {
      policyFor: (view) => policyFor(this.options, view),
      dependencies: () => this.dependencies(),
      onTransitions: this.options.onTransitions,
    });
  }

  private dependencies(): Promise<Map<string, string[]>> {
    const ttl = this.options.dependencyCacheMs ?? DEFAULT_DEPENDENCY_CACHE_MS;
    if (!this.deps || Date.now() - this.deps.at > ttl) {
      const extra = Object.fromEntries(
        Object.entries(this.options.dependsOn ?? {}).map(([v, ups]) => [canonical(v), ups.map(canonical)]),
      );
      const graph = loadDependencies(this.db, extra);
      // A failed catalog read is retried next time rather than cached.
      graph.catch(() => {
        this.deps = undefined;
      });
      this.deps = { at: Date.now(), graph };
    }
    return this.deps.graph;
  }

  /** Acknowledge / unacknowledge under the incident's lock, through the same transition function. */
  private changeIncident(alertId: number, input: TransitionInput): Promise<Alert> {
    return this.db.transaction(async (client) => {
      const tx: Tx = { client, s: this.db.s };
      const seen = await incidentById(tx, alertId);
      if (!seen) throw notFound(alertId);
      const now = await lockFingerprints(tx, [seen.fingerprint]);
      const current = (await incidentById(tx, alertId))!;
      const out = transition(current, input, this.policyFor(current.view), now);
      if (out.kind === 'error')
        throw new MvwatchError(
          out.code,
          out.code === 'MVW_ALERT_NOT_FOUND' ? notFound(alertId).message : out.message,
        );
      if (out.kind === 'none') return publicAlert(current);
      await commitSteps(tx, [{ incident: out.next, isNew: false, event: out.event }], now);
      return publicAlert(out.next);
    });
  }
}

function notFound(alertId: number): MvwatchError {
  return new MvwatchError(
    'MVW_ALERT_NOT_FOUND',
    `No alert has id ${alertId}. List alerts with \`mvwatch alerts\`.`,
  );
}

function canonical(view: string): string {
  return formatQualified(parseQualifiedName(view));
}
