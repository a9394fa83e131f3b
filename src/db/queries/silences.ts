import type { Silence, SilenceMatchers } from '../../alerts/silences.js';
import type { Db } from '../db.js';
import { iso } from '../db.js';

type Q = Pick<Db, 'query' | 's'>;

const SILENCE_COLUMNS = 'id, matchers, starts_at, ends_at, created_by, comment, created_at';

// biome-ignore lint/suspicious/noExplicitAny: a row straight from pg (or from json_agg of one)
export function toSilence(r: any): Silence {
  return {
    id: r.id,
    matchers: r.matchers,
    startsAt: iso(r.starts_at)!,
    endsAt: iso(r.ends_at)!,
    createdBy: r.created_by,
    comment: r.comment,
    createdAt: iso(r.created_at)!,
  };
}

/** A new silence from `startsAt` (default now) for `durationMs`. */
export async function insertSilence(
  db: Q,
  s: { matchers: SilenceMatchers; durationMs: number; createdBy: string; comment: string; startsAt?: Date },
): Promise<Silence> {
  const { rows } = await db.query(
    `insert into ${db.s}.materialized_views_silences (matchers, starts_at, ends_at, created_by, comment)
     select $1::jsonb, st, st + make_interval(secs => $3::float8 / 1000), $4::text, $5::text
       from (select coalesce($2::timestamptz, now()) as st) x
     returning ${SILENCE_COLUMNS}`,
    [JSON.stringify(s.matchers), s.startsAt ?? null, s.durationMs, s.createdBy, s.comment],
  );
  return toSilence(rows[0]);
}

/** Silences, latest end first; by default only those not yet ended. */
export async function listSilences(db: Q, options: { all?: boolean } = {}): Promise<Silence[]> {
  const { rows } = await db.query(
    `select ${SILENCE_COLUMNS} from ${db.s}.materialized_views_silences
      where $1::bool or ends_at > now() order by ends_at desc, id desc`,
    [options.all ?? false],
  );
  return rows.map(toSilence);
}

/**
 * Ends a silence now (one that has not started ends at its start: an empty interval). Returns
 * it, or null when no silence has that id; a silence already over is returned unchanged.
 */
export async function expireSilence(db: Q, id: number): Promise<Silence | null> {
  const { rows } = await db.query(
    `update ${db.s}.materialized_views_silences set ends_at = greatest(starts_at, least(ends_at, now()))
      where id = $1::int8 returning ${SILENCE_COLUMNS}`,
    [id],
  );
  return rows[0] ? toSilence(rows[0]) : null;
}
