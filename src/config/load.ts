import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { DEFAULT_ESCALATION, type EscalationPolicy } from '../alerts/policy.js';
import type { ChecksConfig } from '../checks/config.js';
import { formatQualified, parseQualifiedName, type QualifiedName } from '../db/identifiers.js';
import { MvwatchError } from '../errors.js';
import type { NotifyConfig } from '../notify/config.js';
import type { RefreshStrategy } from '../types.js';
import { DEFAULTS } from './defaults.js';
import { type InterpolationProblem, interpolate } from './interpolate.js';
import { configSchema, type RawConfig } from './schema.js';

/** One view's settings with every default applied. */
export interface ViewConfig {
  /** Parsed name, for SQL. */
  name: QualifiedName;
  /** Canonical `schema.name`, the key used in every table and message. */
  view: string;
  schedule?: string;
  strategy: RefreshStrategy;
  timeoutMs: number;
  lockTimeoutMs: number;
  gate: boolean;
  freshness?: { warnAfterMs: number; errorAfterMs?: number };
  labels: Record<string, string>;
  checks: ChecksConfig;
  dependsOn: string[];
  sourceTables: string[];
  /**
   * Alert lifecycle settings: the view's `alerts:` over the top-level one over the defaults
   * (always set for configured views; absent for an unconfigured view, which uses the top level).
   */
  alerts?: { escalation: EscalationPolicy };
}

/** The validated, frozen configuration. */
export interface Config {
  /** File it came from; null for the built-in defaults. */
  path: string | null;
  database?: string;
  schema: string;
  defaults: { strategy: RefreshStrategy; timeoutMs: number; lockTimeoutMs: number; gate: boolean };
  views: ViewConfig[];
  notify: NotifyConfig;
  server: Record<string, unknown>;
  /** Top-level `alerts:` with defaults applied (escalation: 3 consecutive failures → critical). */
  alerts: { escalation: EscalationPolicy };
  /** The view's settings, or undefined when it is not configured. */
  view(name: string): ViewConfig | undefined;
}

/** `['views', 2, 'checks', 'null_check']` → `views[2].checks.null_check`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

function invalid(where: string, problems: string[]): MvwatchError {
  return new MvwatchError(
    'MVW_INVALID_CONFIG',
    `Invalid configuration ${where}:\n  ${problems.join('\n  ')}`,
    {
      details: problems,
    },
  );
}

/** Validates an already-parsed config object (the file's contents) and applies defaults. */
export function buildConfig(
  input: unknown,
  options: { path?: string | null; env?: NodeJS.ProcessEnv } = {},
): Config {
  const where = options.path ?? '(inline)';
  const missing: InterpolationProblem[] = [];
  const interpolated = interpolate(input ?? {}, options.env ?? process.env, missing);
  const problems = missing
    // `database: ${DATABASE_URL}` unset means "use the embedded server", not an error.
    .filter((m) => !(m.path.length === 1 && m.path[0] === 'database'))
    .map((m) => `${formatPath(m.path)}: environment variable ${m.variable} is not set`);
  const parsed = configSchema.safeParse(interpolated);
  if (!parsed.success)
    problems.push(...parsed.error.issues.map((i: z.core.$ZodIssue) => `${formatPath(i.path)}: ${i.message}`));
  if (problems.length || !parsed.success) throw invalid(where, problems);
  return freezeConfig(parsed.data, options.path ?? null, problems);
}

function freezeConfig(raw: RawConfig, path: string | null, problems: string[]): Config {
  const defaults = {
    strategy: (raw.defaults.strategy ?? DEFAULTS.strategy) as RefreshStrategy,
    timeoutMs: raw.defaults.timeout ?? DEFAULTS.timeoutMs,
    lockTimeoutMs: raw.defaults.lockTimeout ?? DEFAULTS.lockTimeoutMs,
    gate: raw.defaults.gate ?? DEFAULTS.gate,
  };
  const alerts = { escalation: { ...DEFAULT_ESCALATION, ...raw.alerts?.escalation } };
  const views: ViewConfig[] = raw.views.map((v) => {
    const name = parseQualifiedName(v.name);
    return {
      name,
      view: formatQualified(name),
      schedule: v.schedule,
      strategy: (v.strategy ?? defaults.strategy) as RefreshStrategy,
      timeoutMs: v.timeout ?? defaults.timeoutMs,
      lockTimeoutMs: v.lockTimeout ?? defaults.lockTimeoutMs,
      gate: v.gate ?? defaults.gate,
      freshness: v.freshness && { warnAfterMs: v.freshness.warnAfter, errorAfterMs: v.freshness.errorAfter },
      labels: v.labels,
      checks: v.checks,
      dependsOn: v.dependsOn.map((d) => formatQualified(parseQualifiedName(d))),
      sourceTables: v.sourceTables,
      alerts: { escalation: { ...alerts.escalation, ...v.alerts?.escalation } },
    };
  });
  const seen = new Map<string, number>();
  views.forEach((v, i) => {
    if (seen.has(v.view))
      problems.push(`views[${i}].name: ${v.view} is already configured at views[${seen.get(v.view)}]`);
    seen.set(v.view, i);
  });
  if (problems.length) throw invalid(path ?? '(inline)', problems);
  const byName = new Map(views.map((v) => [v.view, v]));
  const config: Config = {
    path,
    database: raw.database || undefined,
    schema: raw.schema ?? DEFAULTS.schema,
    defaults,
    views,
    notify: raw.notify ?? { channels: {}, routes: [] },
    server: raw.server ?? {},
    alerts,
    view: (name: string) => byName.get(formatQualified(parseQualifiedName(name))),
  };
  return deepFreeze(config);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

/**
 * Loads `path` (or `./mvwatch.yaml` when it exists; built-in defaults otherwise), interpolates
 * `${VAR}`, validates and freezes. Every problem is reported at once, by its path in the file.
 */
export function loadConfig(options: { path?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const path = options.path ? resolve(cwd, options.path) : resolve(cwd, DEFAULTS.configFile);
  if (!existsSync(path)) {
    if (options.path) {
      throw new MvwatchError(
        'MVW_CONFIG_NOT_FOUND',
        `Config file ${options.path} does not exist. Check the --config path.`,
      );
    }
    return buildConfig({}, { path: null, env: options.env });
  }
  const doc = parseDocument(readFileSync(path, 'utf8'), { prettyErrors: true });
  if (doc.errors.length) {
    throw invalid(
      path,
      doc.errors.map((e) => `line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`),
    );
  }
  return buildConfig(doc.toJS(), { path, env: options.env });
}
