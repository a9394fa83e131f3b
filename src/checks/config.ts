import { z } from 'zod';
import { durationSchema } from '../config/duration.js';

/** Every default of the check kinds, in one place (STYLE §12). Seed values are marked. */
export const CHECK_DEFAULTS = Object.freeze({
  /** null_check: a null fraction above 0 warns (seed). */
  nullThreshold: 0,
  /** outlier_check: the seed's method and multiplier. */
  outlierMethod: 'iqr' as const,
  outlierThreshold: 3,
  /** outlier_check: share of outliers allowed; 0 keeps the seed's "any outlier warns". */
  outlierTolerance: 0,
  /** row_count_change: |cur − prev| / prev above 0.5 warns (seed). */
  rowCountThreshold: 0.5,
  /** History anomalies: three spreads from the centre is the usual control-chart limit. */
  historyThreshold: 3,
  /** Fewer runs than this give no usable spread: the check passes until it has them. */
  minHistory: 5,
  /** Successful runs looked at: about a month of daily refreshes. */
  historyWindow: 30,
  /** Row-count spread floor: a view that never changed must not flag a one-row change. */
  rowCountFloor: 1,
  rowCountFloorRatio: 0.01,
  /** Duration spread floor: refresh times jitter by about a second and by ~10 % on a busy server. */
  durationFloorMs: 1000,
  durationFloorRatio: 0.1,
  /** sql_check statement_timeout: a check query must never hold the refresh for long. */
  sqlTimeoutMs: 30_000,
  /** Sample keys / rows kept in a result's details. */
  sampleLimit: 10,
  /**
   * work_mem of the scan statements (SET LOCAL, reverted by the savepoint): quantiles and the
   * duplicate screen sort whole columns, and the server's 4MB default spills them to disk.
   */
  scanWorkMem: '64MB',
});

const FRACTION = 'expected a number between 0 and 1';
const fraction = () => z.number({ error: FRACTION }).min(0, { error: FRACTION }).max(1, { error: FRACTION });
const nonNegative = () =>
  z.number({ error: 'expected a number ≥ 0' }).min(0, { error: 'expected a number ≥ 0' });
const positive = () =>
  z.number({ error: 'expected a number > 0' }).positive({ error: 'expected a number > 0' });
const count = (min: number) =>
  z
    .number({ error: `expected a whole number ≥ ${min}` })
    .int({ error: `expected a whole number ≥ ${min}` })
    .min(min, { error: `expected a whole number ≥ ${min}` });
const columnName = () =>
  z.string({ error: 'expected a column name' }).min(1, { error: 'expected a column name' });
const columns = () => z.array(columnName(), { error: 'expected a list of column names' }).default([]);
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: () => `expected one of ${values.join(', ')}` });

/** A duration (`30s`, `2d`, or milliseconds) parsed to ms. */
const duration = () => durationSchema;

/** `numeric(12,2)`, `timestamp(3) with time zone`, `int[]`, `"My Type"`: checked by PostgreSQL at run time. */
const TYPE_NAME = /^[A-Za-z_"][\w ."$]*(\(\s*\d+(\s*,\s*\d+)?\s*\))?[\w ]*(\[\])*$/;
const typeName = () =>
  z.string({ error: 'expected a PostgreSQL type name' }).regex(TYPE_NAME, {
    error: 'expected a PostgreSQL type name such as integer, numeric(12,2) or timestamptz',
  });

/** Keys every check accepts; unknown keys are errors, so a typo never disables a setting. */
function checkObject<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(
    { kind: z.string().optional(), description: z.string().optional(), ...shape },
    {
      error: (iss) =>
        iss.code === 'unrecognized_keys'
          ? `unknown key${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => JSON.stringify(k)).join(', ')}`
          : iss.code === 'invalid_type'
            ? 'expected a mapping of settings'
            : undefined,
    },
  );
}

/** errorX must not be below x: otherwise the warning band would be empty and the setting a typo. */
function ordered(
  ctx: z.RefinementCtx,
  low: number | undefined,
  high: number | undefined,
  highKey: string,
  lowKey: string,
) {
  if (low !== undefined && high !== undefined && high < low) {
    ctx.addIssue({ code: 'custom', path: [highKey], message: `expected a value ≥ ${lowKey} (${low})` });
  }
}

const nullCheck = checkObject({
  columns: columns(),
  /** Null fraction above which a column warns (default 0: any null). */
  threshold: fraction().default(CHECK_DEFAULTS.nullThreshold),
  /** Null fraction above which it is an error (default: never). */
  errorThreshold: fraction().optional(),
}).superRefine((c, ctx) => ordered(ctx, c.threshold, c.errorThreshold, 'errorThreshold', 'threshold'));

const outlierCheck = checkObject({
  columns: columns(),
  method: oneOf(['iqr', 'zscore', 'mad'] as const).default(CHECK_DEFAULTS.outlierMethod),
  /** iqr: IQR multiplier; zscore: |z| limit; mad: modified-z limit (default 3). */
  threshold: positive().default(CHECK_DEFAULTS.outlierThreshold),
  /** Share of non-null values allowed outside the bounds before warning (default 0). */
  tolerance: fraction().default(CHECK_DEFAULTS.outlierTolerance),
  /** Share above which it is an error (default: never). */
  errorTolerance: fraction().optional(),
}).superRefine((c, ctx) => ordered(ctx, c.tolerance, c.errorTolerance, 'errorTolerance', 'tolerance'));

/** Settings of a history score (row_count_change `method: history`, duration_anomaly). */
const historyShape = (floor: z.ZodType<number, unknown>) => ({
  /** zscore: |x − mean| / sd; mad: |x − median| / (1.4826·MAD). */
  score: oneOf(['zscore', 'mad'] as const).default('zscore'),
  minHistory: count(2).default(CHECK_DEFAULTS.minHistory),
  window: count(2).default(CHECK_DEFAULTS.historyWindow),
  /** Absolute floor of the spread, so a perfectly stable history does not turn noise into an anomaly. */
  floor,
  /** Floor of the spread relative to the centre (default 0.01 rows, 0.1 duration). */
  floorRatio: fraction().optional(),
});

const rowCountChange = checkObject({
  /** change: against the previous successful run (seed); history: score against the last `window` runs. */
  method: oneOf(['change', 'history'] as const).default('change'),
  /** change: relative change (default 0.5); history: score (default 3). */
  threshold: nonNegative().optional(),
  errorThreshold: nonNegative().optional(),
  /** Static bounds: fewer or more rows is an error whatever the history. */
  min: count(0).optional(),
  max: count(0).optional(),
  ...historyShape(nonNegative().default(CHECK_DEFAULTS.rowCountFloor)),
})
  .superRefine((c, ctx) => {
    ordered(ctx, c.threshold, c.errorThreshold, 'errorThreshold', 'threshold');
    ordered(ctx, c.min, c.max, 'max', 'min');
  })
  .transform((c) => ({
    ...c,
    threshold:
      c.threshold ??
      (c.method === 'change' ? CHECK_DEFAULTS.rowCountThreshold : CHECK_DEFAULTS.historyThreshold),
    floorRatio: c.floorRatio ?? CHECK_DEFAULTS.rowCountFloorRatio,
  }));

const duplicateCheck = checkObject({
  columns: columns(),
  /** Share of rows in duplicate groups above which it warns (default 0). */
  threshold: fraction().default(0),
  /** Share above which it is an error (default: the threshold, so any duplicate errors as in the seed). */
  errorThreshold: fraction().optional(),
})
  .superRefine((c, ctx) => ordered(ctx, c.threshold, c.errorThreshold, 'errorThreshold', 'threshold'))
  .transform((c) => ({ ...c, errorThreshold: c.errorThreshold ?? c.threshold }));

const typeCheck = checkObject({
  /** column → expected type; aliases (int, int4, varchar, timestamptz, ...) as PostgreSQL accepts them. */
  columns: z.record(columnName(), typeName(), { error: 'expected a mapping of column to type' }).default({}),
});

const freshnessCheck = checkObject({
  /** A date, timestamp, timestamptz, or YYYYMMDD text/integer column. */
  column: columnName(),
  warnAfter: duration(),
  /** Default: never an error. */
  errorAfter: duration().optional(),
}).superRefine((c, ctx) => ordered(ctx, c.warnAfter, c.errorAfter, 'errorAfter', 'warnAfter'));

const schemaCheck = checkObject({
  /** Changes that are errors (default none: a changed schema warns, and the new snapshot becomes the baseline). */
  errorOn: z.array(oneOf(['added', 'removed', 'retyped'] as const)).default([]),
  /** Columns whose changes are not reported. */
  ignore: z.array(columnName()).default([]),
});

const sqlCheck = checkObject({
  /** A SELECT returning the violating rows; `{{view}}` is replaced by the checked view's quoted name. */
  query: z.string({ error: 'expected an SQL query' }).trim().min(1, { error: 'expected an SQL query' }),
  timeout: duration().default(CHECK_DEFAULTS.sqlTimeoutMs),
  /** Violating rows allowed before warning (default 0). */
  threshold: count(0).default(0),
  /** Rows above which it is an error (default: the threshold, so any violating row errors). */
  errorThreshold: count(0).optional(),
})
  .superRefine((c, ctx) => ordered(ctx, c.threshold, c.errorThreshold, 'errorThreshold', 'threshold'))
  .transform((c) => ({ ...c, errorThreshold: c.errorThreshold ?? c.threshold }));

const durationAnomaly = checkObject({
  threshold: nonNegative().default(CHECK_DEFAULTS.historyThreshold),
  errorThreshold: nonNegative().optional(),
  ...historyShape(duration().default(CHECK_DEFAULTS.durationFloorMs)),
})
  .superRefine((c, ctx) => ordered(ctx, c.threshold, c.errorThreshold, 'errorThreshold', 'threshold'))
  .transform((c) => ({ ...c, floorRatio: c.floorRatio ?? CHECK_DEFAULTS.durationFloorRatio }));

/** Schema of each check kind's settings. */
export const KIND_SCHEMAS = {
  null_check: nullCheck,
  outlier_check: outlierCheck,
  row_count_change: rowCountChange,
  duplicate_check: duplicateCheck,
  type_check: typeCheck,
  freshness_check: freshnessCheck,
  schema_check: schemaCheck,
  sql_check: sqlCheck,
  duration_anomaly: durationAnomaly,
} as const;

export type CheckKindName = keyof typeof KIND_SCHEMAS;
export const CHECK_KINDS = Object.keys(KIND_SCHEMAS) as CheckKindName[];

type Configured<K extends CheckKindName> = Omit<z.output<(typeof KIND_SCHEMAS)[K]>, 'kind'> & { kind: K };
export type NullCheckConfig = Configured<'null_check'>;
export type OutlierCheckConfig = Configured<'outlier_check'>;
export type RowCountChangeConfig = Configured<'row_count_change'>;
export type DuplicateCheckConfig = Configured<'duplicate_check'>;
export type TypeCheckConfig = Configured<'type_check'>;
export type FreshnessCheckConfig = Configured<'freshness_check'>;
export type SchemaCheckConfig = Configured<'schema_check'>;
export type SqlCheckConfig = Configured<'sql_check'>;
export type DurationAnomalyConfig = Configured<'duration_anomaly'>;
/** One validated check; `kind` is always set (from `kind:` or from the check's name). */
export type CheckConfig = { [K in CheckKindName]: Configured<K> }[CheckKindName];

function isKind(k: string): k is CheckKindName {
  return Object.hasOwn(KIND_SCHEMAS, k);
}

/**
 * Schema of a view's `checks:` map: check name → settings. The kind is `kind:` or else the
 * name itself, so `null_check: {...}` and `nulls_strict: { kind: null_check, ... }` both work.
 * An empty entry (`schema_check:`) means the kind's defaults.
 */
export const checksSchema = z.record(z.string(), z.unknown()).transform((map, ctx) => {
  const out: Record<string, CheckConfig> = {};
  for (const [name, raw] of Object.entries(map)) {
    const value = raw ?? {};
    const declared = value && typeof value === 'object' ? (value as { kind?: unknown }).kind : undefined;
    const kind = declared ?? name;
    if (typeof kind !== 'string' || !isKind(kind)) {
      ctx.addIssue({
        code: 'custom',
        path: declared === undefined ? [name] : [name, 'kind'],
        message: `unknown check kind ${JSON.stringify(kind)}: expected one of ${CHECK_KINDS.join(', ')}${declared === undefined ? ' (or set kind:)' : ''}`,
      });
      continue;
    }
    const parsed = KIND_SCHEMAS[kind].safeParse(value);
    if (!parsed.success) {
      for (const i of parsed.error.issues)
        ctx.addIssue({ code: 'custom', message: i.message, path: [name, ...i.path] });
      continue;
    }
    out[name] = { ...parsed.data, kind } as CheckConfig;
  }
  return out;
});
export type ChecksConfig = z.infer<typeof checksSchema>;
