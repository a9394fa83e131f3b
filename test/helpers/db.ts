import { createHash, randomBytes } from 'node:crypto';
import { after } from 'node:test';
import pg from 'pg';
import { createDb, type Db } from '../../src/db/db.js';
import { loadMigrations, migrate } from '../../src/db/migrate.js';

/**
 * The server the suite runs against: scripts/test.ts sets DATABASE_URL to the system server
 * (CI) or to the embedded one it started. Tests never run without a real PostgreSQL.
 */
export function adminUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error('DATABASE_URL is not set: run the suite with `npm test`, which provides a server.');
  return url;
}

/** URL of another database on the same server. */
export function urlForDatabase(name: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Template name changes whenever a migration changes, so a stale template is never reused. */
function templateName(): string {
  const h = createHash('sha256');
  for (const m of loadMigrations()) h.update(m.name).update(m.sql);
  return `mvwatch_tpl_${h.digest('hex').slice(0, 12)}`;
}

async function ensureTemplate(): Promise<string> {
  const tpl = templateName();
  await withAdmin(async (c) => {
    // Test files run in parallel processes: one builds the template, the others wait here.
    await c.query(`select pg_advisory_lock(hashtext('mvwatch.test-template'))`);
    try {
      const { rowCount } = await c.query('select 1 from pg_database where datname = $1', [tpl]);
      if (rowCount) return;
      const building = `${tpl}_build`;
      await c.query(`drop database if exists "${building}"`);
      await c.query(`create database "${building}"`);
      const db = createDb({ url: urlForDatabase(building), max: 1 });
      try {
        await migrate(db);
      } finally {
        await db.close();
      }
      await c.query(`alter database "${building}" rename to "${tpl}"`);
    } finally {
      await c.query(`select pg_advisory_unlock(hashtext('mvwatch.test-template'))`);
    }
  });
  return tpl;
}

export interface TestDatabase {
  /** Database name, for tests that open their own connections. */
  name: string;
  /** Connection string of this test file's own database. */
  url: string;
  /** A Db on it with the default state schema, already migrated. */
  db: Db;
}

/**
 * A fresh database for one test file: cloned from a migrated template, dropped when the file's
 * tests end. Tests in different files never see each other's rows.
 */
export async function freshDatabase(options: { schema?: string } = {}): Promise<TestDatabase> {
  const tpl = await ensureTemplate();
  const name = `mvwatch_t_${process.pid}_${randomBytes(3).toString('hex')}`;
  await withAdmin((c) => c.query(`create database "${name}" template "${tpl}"`));
  const url = urlForDatabase(name);
  const db = createDb({ url, schema: options.schema });
  if (options.schema && options.schema !== 'mvwatch') await migrate(db);
  after(async () => {
    await db.close();
    await withAdmin((c) => c.query(`drop database if exists "${name}" with (force)`));
  });
  return { name, url, db };
}
