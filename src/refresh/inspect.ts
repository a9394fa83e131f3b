import type pg from 'pg';
import type { QualifiedName } from '../db/identifiers.js';

/** What the catalog says about a relation, read in the refresh's own transaction. */
export interface ViewState {
  oid: number;
  /** `m` for a materialized view; anything else cannot be refreshed. */
  relkind: string;
  populated: boolean;
  /**
   * A valid unique index on plain columns with no predicate: what REFRESH ... CONCURRENTLY
   * needs to match old and new rows.
   */
  hasUniqueIndex: boolean;
  /** Whether this transaction won the per-view advisory lock. */
  locked: boolean;
}

/**
 * Advisory-lock class for refreshes: the first key of the two-key lock; the second is the
 * view's oid, so locks of different views never collide (unlike a hash of the name).
 */
export const REFRESH_LOCK_CLASS = 0x6d767772; // 'mvwr'

/**
 * Looks the view up and, in the same round trip, tries the per-view transaction-level
 * advisory lock (released by commit or rollback, so a crashed process never leaves it held).
 * Returns null when no relation has that name.
 */
export async function inspectAndLock(client: pg.ClientBase, view: QualifiedName): Promise<ViewState | null> {
  const { rows } = await client.query<ViewState>({
    // Once per refresh: a named statement is parsed and planned once per connection.
    name: 'mvwatch_inspect_and_lock',
    text: `select c.oid::int8 as oid,
            c.relkind::text as relkind,
            c.relispopulated as populated,
            exists (select 1 from pg_index i
                     where i.indrelid = c.oid and i.indisunique and i.indisvalid
                       and i.indpred is null and i.indexprs is null) as "hasUniqueIndex",
            case when c.relkind = 'm'
                 then pg_try_advisory_xact_lock($3::int4, c.oid::int4) else false end as locked
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1::text and c.relname = $2::text`,
    values: [view.schema, view.name, REFRESH_LOCK_CLASS],
  });
  return rows[0] ?? null;
}
