import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MvwatchError } from '../errors.js';
import { packageRoot } from '../paths.js';
import { redactUrl } from '../redact.js';
import { type Db, isConnectionError } from './db.js';

/** One forward-only migration: `sql/migrations/NNNNNN.sql`. */
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

/** Placeholder in migration files for the quoted state schema (graphile-worker's `:GRAPHILE_WORKER_SCHEMA`). */
export const SCHEMA_PLACEHOLDER = /:MVWATCH_SCHEMA\b/g;

function migrationsDir(): string {
  try {
    return join(packageRoot(), 'sql', 'migrations');
  } catch {
    throw new MvwatchError(
      'MVW_MIGRATION_FAILED',
      'The sql/migrations folder of the mvwatch package is missing.',
    );
  }
}

let cached: Migration[] | undefined;

/** Every migration shipped with this version, in order. */
export function loadMigrations(): Migration[] {
  if (cached) return cached;
  const dir = migrationsDir();
  cached = readdirSync(dir)
    .filter((f) => /^\d{6}\.sql$/.test(f))
    .sort()
    .map((f) => ({ id: Number.parseInt(f, 10), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
  return cached;
}

export interface MigrateResult {
  /** Schema version after the call (the highest applied migration id). */
  version: number;
  /** Ids applied by this call (empty when the schema was already current). */
  applied: number[];
}

/**
 * Applies every missing migration in one transaction under an advisory lock keyed on the
 * schema name, so any number of processes may call it at once: one applies, the others wait
 * and then find nothing to do. Each version row is inserted before its DDL runs, so even a
 * process that bypassed the lock would hit a unique violation rather than apply twice.
 */
export async function migrate(db: Db): Promise<MigrateResult> {
  const migrations = loadMigrations();
  try {
    return await db.transaction(async (client) => {
      await client.query(`select pg_advisory_xact_lock(hashtext('mvwatch.migrate'), hashtext($1))`, [
        db.schema,
      ]);
      await client.query(`create schema if not exists ${db.s}`);
      await client.query(
        `create table if not exists ${db.s}.migrations (
           id int primary key, name text not null, applied_at timestamptz not null default now())`,
      );
      const { rows } = await client.query<{ id: number }>(`select id from ${db.s}.migrations`);
      const done = new Set(rows.map((r) => r.id));
      const applied: number[] = [];
      // Every missing id, in order: a migration merged late below the highest applied one still runs.
      for (const m of migrations) {
        if (done.has(m.id)) continue;
        await client.query(`insert into ${db.s}.migrations (id, name) values ($1, $2)`, [m.id, m.name]);
        await client.query(m.sql.replace(SCHEMA_PLACEHOLDER, db.s));
        applied.push(m.id);
      }
      const current = Math.max(0, ...done);
      return { version: Math.max(current, ...applied), applied };
    });
  } catch (e) {
    if (e instanceof MvwatchError) throw e;
    if (cannotConnect(e)) {
      throw new MvwatchError(
        'MVW_DATABASE_UNAVAILABLE',
        `Cannot connect to PostgreSQL at ${redactUrl(db.url)}: ${(e as Error).message}. Check --database-url, DATABASE_URL or database: in the config, and that the server is running.`,
        { cause: e },
      );
    }
    throw new MvwatchError(
      'MVW_MIGRATION_FAILED',
      `Could not apply migrations to schema ${db.schema}: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
}

/** Connection refused, unknown host, bad credentials, no such database: the URL is wrong or the server down. */
function cannotConnect(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code ?? '';
  return (
    isConnectionError(e) ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code.startsWith('28') ||
    code === '3D000'
  );
}
