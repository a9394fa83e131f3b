import { formatQualified, parseQualifiedName } from '../db/identifiers.js';
import { MvwatchError } from '../errors.js';
import type { AlertSeverity, AlertType } from '../types.js';

/**
 * What a silence matches. Every given matcher must match (AND); each value is exact, or a glob
 * when it contains `*` (any run of characters, dots included) or `?` (one character).
 */
export interface SilenceMatchers {
  /** View name or glob, e.g. `analytics.*`; an exact name is canonicalised (`sales_mv` → `public.sales_mv`). */
  view?: string;
  type?: string;
  severity?: string;
  /** Label name → value or glob; the alert must carry every one. */
  labels?: Record<string, string>;
}

/** A stored silence. */
export interface Silence {
  id: number;
  matchers: SilenceMatchers;
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  createdAt: string;
}

/** What silences are matched against: an alert's identity at the moment it is raised. */
export interface SilenceTarget {
  view: string;
  type: AlertType;
  severity: AlertSeverity;
  labels: Record<string, string>;
}

const GLOB_CHARS = /[*?]/;

/** Glob → anchored RegExp: `*` any characters, `?` exactly one, everything else literal. */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  // `s`: a `*` also spans newlines, which quoted identifiers may contain.
  return new RegExp(`^${body}$`, 's');
}

/** True when `value` equals `pattern`, or matches it as a glob. */
export function matchValue(pattern: string, value: string): boolean {
  return GLOB_CHARS.test(pattern) ? globToRegExp(pattern).test(value) : pattern === value;
}

/** True when every matcher of `m` matches `t`. */
export function matchesSilence(m: SilenceMatchers, t: SilenceTarget): boolean {
  if (m.view !== undefined && !matchValue(m.view, t.view)) return false;
  if (m.type !== undefined && !matchValue(m.type, t.type)) return false;
  if (m.severity !== undefined && !matchValue(m.severity, t.severity)) return false;
  for (const [k, v] of Object.entries(m.labels ?? {})) {
    const actual = t.labels[k];
    if (actual === undefined || !matchValue(v, actual)) return false;
  }
  return true;
}

/** True while `now` lies in [startsAt, endsAt). */
export function isActive(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: Date): boolean {
  const t = now.getTime();
  return Date.parse(s.startsAt) <= t && t < Date.parse(s.endsAt);
}

/** The first active silence matching `t`, or undefined. */
export function findSilence(silences: readonly Silence[], t: SilenceTarget, now: Date): Silence | undefined {
  return silences.find((s) => isActive(s, now) && matchesSilence(s.matchers, t));
}

/**
 * Checks and normalises matchers for a new silence: at least one matcher (a silence of
 * everything is almost always a mistake), non-empty values, an exact view name canonicalised.
 */
export function normalizeMatchers(m: SilenceMatchers): SilenceMatchers {
  const out: SilenceMatchers = {};
  const bad = (what: string) =>
    new MvwatchError('MVW_INVALID_ARGUMENT', `Silence matcher ${what} is empty: give a value or a glob.`);
  if (m.view !== undefined) {
    if (!m.view.trim()) throw bad('--view');
    out.view = GLOB_CHARS.test(m.view) ? m.view : formatQualified(parseQualifiedName(m.view));
  }
  if (m.type !== undefined) {
    if (!m.type.trim()) throw bad('--type');
    out.type = m.type;
  }
  if (m.severity !== undefined) {
    if (!m.severity.trim()) throw bad('--severity');
    out.severity = m.severity;
  }
  const labels = Object.entries(m.labels ?? {});
  if (labels.length) {
    for (const [k, v] of labels) if (!k || !v) throw bad(`--label ${k}=${v}`);
    out.labels = Object.fromEntries(labels);
  }
  if (!Object.keys(out).length)
    throw new MvwatchError(
      'MVW_INVALID_ARGUMENT',
      'A silence needs at least one matcher (--view, --type, --severity or --label); to silence everything use --view "*".',
    );
  return out;
}
