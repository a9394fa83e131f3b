import { createHash } from 'node:crypto';
import pg from 'pg';
import { quoteIdent } from './identifiers.js';

/** int8 → number: counts and ids stay far below 2^53; strings would leak into every JSON shape. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (v: string) => Number.parseInt(v, 10);
    return pg.types.getTypeParser(oid, format);
  },
};

/** The database handle every part of mvwatch takes: one pool and the state schema, quoted once. */
export interface Db {
  readonly pool: pg.Pool;
  /** State schema as written in the catalog, e.g. `mvwatch`. */
  readonly schema: string;
  /** State schema quoted for SQL, e.g. `"mvwatch"`. Escaped once here, spliced everywhere. */
  readonly s: string;
  /** The connection string (may hold a password: never log it, see redactUrl). */
  readonly url: string;
  /** Runs one statement; `sql` may be a `prepared(text)` config to skip planning on hot paths. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string | PreparedText,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  /** Runs `fn` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  url: string;
  /** State schema (default `mvwatch`). */
  schema?: string;
  /** Pool size (default 10). */
  max?: number;
  /** Called once after the pool has ended (the embedded server stops here). */
  onClose?: () => Promise<void>;
}

/** Creates the pool-backed Db. Does not connect until the first query. */
export function createDb(options: CreateDbOptions): Db {
  const schema = options.schema ?? 'mvwatch';
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    types,
    application_name: 'mvwatch',
  });
  // An idle client that dies (server restart) must not crash the process; the pool drops it.
  pool.on('error', () => {});
  // A checked-out client whose connection dies emits 'error' too; without a listener that is an
  // uncaught exception. The query in flight still rejects, and release(err) discards the client.
  pool.on('connect', (client) => client.on('error', () => {}));
  let closed: Promise<void> | undefined;
  return {
    pool,
    schema,
    s: quoteIdent(schema),
    url: options.url,
    query: (sql, params) =>
      typeof sql === 'string'
        ? pool.query(sql, params as unknown[])
        : pool.query({ name: sql.name, text: sql.text, values: params as unknown[] }),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const out = await fn(client);
        await client.query('commit');
        client.release();
        return out;
      } catch (e) {
        await client.query('rollback').catch(() => {});
        client.release(isConnectionError(e) ? (e as Error) : undefined);
        throw e;
      }
    },
    close() {
      closed ??= (async () => {
        await pool.end();
        await options.onClose?.();
      })();
      return closed;
    },
  };
}

/** A statement text with a stable name: PostgreSQL parses and plans it once per connection. */
export interface PreparedText {
  name: string;
  text: string;
}

const preparedNames = new Map<string, PreparedText>();

/**
 * Names a hot statement (node-postgres prepares named statements once per connection). The name
 * is derived from the text, so two state schemas (different texts) never share a plan.
 */
export function prepared(text: string): PreparedText {
  let p = preparedNames.get(text);
  if (!p) {
    p = { name: `mvw_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`, text };
    preparedNames.set(text, p);
  }
  return p;
}

/** True for errors that mean the connection itself is gone (its client must be destroyed). */
export function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code ?? '';
  return (
    code.startsWith('08') ||
    code === '57P01' ||
    code === 'ECONNRESET' ||
    code === 'ECONNREFUSED' ||
    /Connection terminated|not queryable|ended unexpectedly/i.test((e as Error)?.message ?? '')
  );
}

/** A timestamp column as an ISO string in UTC (null stays null). */
export function iso(v: Date | string | null | undefined): string | null {
  if (v == null) return null;
  return (v instanceof Date ? v : new Date(v)).toISOString();
}
