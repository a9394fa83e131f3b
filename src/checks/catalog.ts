import { formatQualified, type QualifiedName, quoteQualified } from '../db/identifiers.js';
import { MvwatchError } from '../errors.js';
import type { CatalogColumn, Exec, RelationInfo } from './types.js';

/** `(12,2)`, `(3)`: type modifiers as format_type prints them, anywhere in the name. */
const MODIFIERS = /\s*\(\s*\d+(?:\s*,\s*\d+)*\s*\)/g;

/** `numeric(12,2)` → `numeric`, `timestamp(3) with time zone` → `timestamp with time zone`. */
export function baseType(type: string): string {
  return type.replace(MODIFIERS, '').replace(/\s+/g, ' ').trim();
}

/** The modifiers of a type, normalised: `numeric(12, 2)` → `12,2`; none → ''. */
export function typeModifiers(type: string): string {
  return (type.match(MODIFIERS) ?? []).map((m) => m.replace(/[\s()]/g, '')).join(';');
}

/**
 * Columns, unique indexes and the canonical names of the expected types, in one round trip.
 * Unique indexes count only when valid, non-partial and on plain columns (INCLUDE columns are
 * not part of the key).
 */
const CATALOG_SQL = `
select
  (select coalesce(json_agg(json_build_object(
            'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'notNull', a.attnotnull)
          order by a.attnum), '[]')
     from pg_attribute a
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
  (select coalesce(json_agg(json_build_object(
            'columns', (select json_agg(a.attname order by k.ord)
                          from unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
                          join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
                         where k.ord <= i.indnkeyatts),
            -- to_jsonb: the column exists from PostgreSQL 15 on, and reads as null before.
            'nullsNotDistinct', coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false))), '[]')
     from pg_index i
    where i.indrelid = c.oid and i.indisunique and i.indisvalid and i.indpred is null and i.indexprs is null)
    as unique_indexes,
  (select coalesce(json_object_agg(t, format_type(to_regtype(t), null)), '{}')
     from unnest($2::text[]) t) as type_names
from pg_class c
where c.oid = to_regclass($1)`;

/**
 * Reads what the checks need to know about `view`. `typeNames` are type_check's expected
 * types; their modifiers are stripped before PostgreSQL resolves the name (to_regtype ignores
 * them). Throws MVW_NOT_FOUND when the relation does not exist.
 */
export async function loadRelationInfo(
  exec: Exec,
  view: QualifiedName,
  typeNames: string[],
): Promise<RelationInfo> {
  const bases = [...new Set(typeNames.map(baseType))];
  const { rows } = await exec<{
    columns: { name: string; type: string; notNull: boolean }[];
    unique_indexes: { columns: string[]; nullsNotDistinct: boolean }[];
    type_names: Record<string, string | null>;
  }>(CATALOG_SQL, [quoteQualified(view), bases]);
  const row = rows[0];
  if (!row) {
    throw new MvwatchError(
      'MVW_NOT_FOUND',
      `Cannot check ${formatQualified(view)}: the relation does not exist.`,
    );
  }
  const columns: CatalogColumn[] = row.columns.map((c) => ({ ...c, base: baseType(c.type) }));
  return { columns, uniqueIndexes: row.unique_indexes, typeNames: row.type_names };
}
