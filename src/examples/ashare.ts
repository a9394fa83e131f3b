/**
 * The A-share example: a small synthetic market-data set in the shape of the platform mvwatch
 * replaces (Tushare-style `rawdata` tables) and its four kinds of materialized views, with a few
 * planted defects for the checks in examples/ashare/mvwatch.yaml to find.
 */
import { MvwatchError } from '../errors.js';
import {
  ASHARE_VIEWS,
  type AshareParams,
  DROP_EMPTY_SCHEMAS_SQL,
  DROP_OBJECTS_SQL,
  seedSql,
} from './ashare-sql.js';

export { ASHARE_TABLES, ASHARE_VIEWS, PE_NULL_RATE } from './ashare-sql.js';

/** Anything with pg's `query`: a `pg.Client`, `pg.PoolClient`, `pg.Pool` or mvwatch's `Db`. */
export interface QueryClient {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Size and randomness of the generated data set. */
export interface AshareOptions {
  /** Number of stocks, 1–5000 (default 300). */
  stocks?: number;
  /** Number of trading days (weekdays), 1–2500 (default 120). */
  days?: number;
  /** Seed of the pseudo-random values: the same seed gives the same prices (default 42). */
  seed?: number;
  /**
   * Last trading day, `YYYY-MM-DD` (default: today on the server, so freshness checks pass).
   * Fix it for a data set that is identical on every run, dates included.
   */
  endDate?: string;
}

/** Defaults of {@link AshareOptions}: about 36 000 daily bars, seeded in well under a second. */
export const ASHARE_DEFAULTS = Object.freeze({ stocks: 300, days: 120, seed: 42 });

/** Caps keep every board inside its own code range (≤ 715 codes each) and the seed quick. */
const LIMITS = { stocks: 5000, days: 2500 } as const;

function integerOption(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new MvwatchError(
      'MVW_INVALID_ARGUMENT',
      `Option ${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

function endDateOption(value: unknown): string {
  if (value === undefined) return 'current_date';
  // Round-trips through Date so 2024-02-30 is refused, not silently rolled over.
  const ok =
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
  if (!ok) {
    throw new MvwatchError(
      'MVW_INVALID_ARGUMENT',
      `Option endDate must be a date written YYYY-MM-DD, got ${JSON.stringify(value)}.`,
    );
  }
  return `date '${value}'`;
}

/** Checks every option before any SQL is built: the numbers are spliced into the script. */
export function resolveAshareOptions(options: AshareOptions = {}): AshareParams {
  return {
    stocks: integerOption('stocks', options.stocks ?? ASHARE_DEFAULTS.stocks, 1, LIMITS.stocks),
    days: integerOption('days', options.days ?? ASHARE_DEFAULTS.days, 1, LIMITS.days),
    seed: integerOption(
      'seed',
      options.seed ?? ASHARE_DEFAULTS.seed,
      Number.MIN_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER,
    ),
    endDateSql: endDateOption(options.endDate),
  };
}

/**
 * Creates the example data set and its four materialized views (populated), replacing whatever
 * an earlier call created. It owns, and touches only, the tables `rawdata.{trade_cal, stock_basic,
 * daily, daily_basic, fina_indicator, index_member}` and the views in {@link ASHARE_VIEWS};
 * the schemas `rawdata` and `materialized_views` are created when missing.
 *
 * Runs as one script in one transaction: it either replaces everything or changes nothing.
 * Concurrent calls are serialized by an advisory lock. Planted defects: about 3 % of `pe_ttm`
 * values are NULL, and `max(2, stocks/100)` stocks each have extreme PE or PB values.
 *
 * @returns the views' names, `schema.name`, in dependency order.
 * @throws MvwatchError `MVW_INVALID_ARGUMENT` for an option out of range (before any SQL).
 */
export async function seedAshare(client: QueryClient, options?: AshareOptions): Promise<{ views: string[] }> {
  const params = resolveAshareOptions(options);
  // No bind parameters on purpose: only the simple query protocol runs several statements in
  // one round trip and one implicit transaction. Every spliced value was validated above.
  await client.query(seedSql(params));
  return { views: [...ASHARE_VIEWS] };
}

/**
 * Drops everything {@link seedAshare} created, then the schemas `materialized_views` and
 * `rawdata` if nothing else lives in them. Safe to call when nothing was seeded.
 */
export async function dropAshare(client: QueryClient): Promise<void> {
  await client.query(`${DROP_OBJECTS_SQL}${DROP_EMPTY_SCHEMAS_SQL}`);
}
