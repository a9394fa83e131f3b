import type { Db } from '../db/db.js';
import { formatQualified } from '../db/identifiers.js';

/**
 * Upstream graph from PostgreSQL's catalog: for each materialized view (canonical name), the
 * views and materialized views its query reads (pg_depend through pg_rewrite), plus any
 * `extra` edges declared in configuration. Plain views are looked through, so a matview that
 * reads a view over another matview depends on that matview.
 */
export async function loadDependencies(
  db: Pick<Db, 'query'>,
  extra: Readonly<Record<string, readonly string[]>> = {},
): Promise<Map<string, string[]>> {
  const { rows } = await db.query<{ vs: string; vn: string; us: string; un: string; ukind: string }>(
    `select distinct vn.nspname as vs, v.relname as vn, un.nspname as us, u.relname as un, u.relkind::text as ukind
       from pg_rewrite r
       join pg_class v on v.oid = r.ev_class and v.relkind in ('m', 'v')
       join pg_namespace vn on vn.oid = v.relnamespace
       join pg_depend d on d.objid = r.oid and d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass
       join pg_class u on u.oid = d.refobjid and u.oid <> v.oid and u.relkind in ('m', 'v')
       join pg_namespace un on un.oid = u.relnamespace
      where vn.nspname not in ('pg_catalog', 'information_schema')`,
  );
  const direct = new Map<string, { name: string; matview: boolean }[]>();
  const kinds = new Map<string, boolean>();
  for (const r of rows) {
    const v = formatQualified({ schema: r.vs, name: r.vn });
    const u = formatQualified({ schema: r.us, name: r.un });
    kinds.set(u, r.ukind === 'm');
    direct.set(v, [...(direct.get(v) ?? []), { name: u, matview: r.ukind === 'm' }]);
  }
  // Resolve through plain views to the matviews behind them.
  const resolve = (name: string, seen: Set<string>): string[] => {
    const out: string[] = [];
    for (const u of direct.get(name) ?? []) {
      if (seen.has(u.name)) continue;
      seen.add(u.name);
      if (u.matview) out.push(u.name);
      else out.push(...resolve(u.name, seen));
    }
    return out;
  };
  const graph = new Map<string, string[]>();
  for (const v of direct.keys()) {
    const ups = resolve(v, new Set([v]));
    if (ups.length) graph.set(v, [...new Set(ups)].sort());
  }
  for (const [v, ups] of Object.entries(extra)) {
    graph.set(v, [...new Set([...(graph.get(v) ?? []), ...ups])].sort());
  }
  return graph;
}

/**
 * Orders views so every view comes after its upstream views (Kahn's algorithm; otherwise the
 * input order is kept). Views in a cycle keep their input order at the end.
 */
export function dependencyOrder(
  views: readonly string[],
  upstream: ReadonlyMap<string, readonly string[]>,
): string[] {
  const wanted = new Set(views);
  const pending = new Map(
    views.map((v) => [v, (upstream.get(v) ?? []).filter((u) => wanted.has(u) && u !== v).length]),
  );
  const order: string[] = [];
  const position = new Map(views.map((v, i) => [v, i]));
  const byInput = (a: string, b: string) => position.get(a)! - position.get(b)!;
  const ready = views.filter((v) => pending.get(v) === 0);
  while (ready.length) {
    const v = ready.shift()!;
    order.push(v);
    for (const w of views) {
      if (!(upstream.get(w) ?? []).includes(v) || !pending.has(w)) continue;
      const n = pending.get(w)! - 1;
      pending.set(w, n);
      if (n === 0) {
        ready.push(w);
        ready.sort(byInput);
      }
    }
    pending.delete(v);
  }
  for (const v of views) if (!order.includes(v)) order.push(v);
  return order;
}
