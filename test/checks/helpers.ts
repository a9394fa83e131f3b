import { after } from 'node:test';
import pg from 'pg';
import { checksSchema } from '../../src/checks/config.js';
import { type CheckInputs, type CheckRun, runChecks } from '../../src/checks/engine.js';
import { parseQualifiedName } from '../../src/db/identifiers.js';
import { freshDatabase, type TestDatabase } from '../helpers/db.js';

export interface CheckTestDb extends TestDatabase {
  /** A dedicated connection the checks run on. */
  client: pg.Client;
  /** Runs SQL on that connection. */
  sql(text: string, params?: unknown[]): Promise<pg.QueryResult>;
}

/** A fresh database plus one connection, both closed after the file's tests. */
export async function checkDatabase(): Promise<CheckTestDb> {
  let client: pg.Client | undefined;
  // Registered first so it runs before freshDatabase drops the database under the connection.
  after(() => client?.end());
  const t = await freshDatabase();
  client = new pg.Client({ connectionString: t.url });
  await client.connect();
  const c = client;
  return { ...t, client: c, sql: (text, params) => c.query(text, params) };
}

const NO_HISTORY: CheckInputs = { previousRowCount: null, history: [], previousColumns: null };

/** Validates `checks` as the config loader would, then runs them on `view`. */
export async function check(
  client: pg.ClientBase,
  view: string,
  checks: Record<string, unknown>,
  extra: Partial<CheckInputs> & { refreshDurationMs?: number; now?: Date } = {},
): Promise<CheckRun> {
  const name = parseQualifiedName(view);
  return runChecks({
    ...NO_HISTORY,
    ...extra,
    client,
    view: name,
    viewKey: view,
    checks: checksSchema.parse(checks),
  });
}

/** The result of check `name`. */
export function resultOf(run: CheckRun, name: string) {
  const r = run.results.find((x) => x.check === name);
  if (!r) throw new Error(`no result for ${name}: ${JSON.stringify(run.results)}`);
  return r;
}
