import { messageOf } from '../db/sqlstate.js';
import { col } from './columns.js';
import { CHECK_DEFAULTS } from './config.js';
import { Binder } from './planner.js';
import type { CheckScope, SampleRequest } from './types.js';

/**
 * Fills `sampleKeys` of every request's target with up to 10 keys of offending rows, in one
 * statement of LIMIT-ed branches (each stops at its tenth row, so common defects cost little).
 * Runs only for non-passing results. A failure leaves the results as they are, with the reason.
 */
export async function collectSamples(scope: CheckScope, requests: SampleRequest[]): Promise<void> {
  if (requests.length === 0 || scope.keyColumns.length === 0) return;
  const b = new Binder();
  const branches = requests.map((r, i) => {
    const fields = [
      ...scope.keyColumns.map((k) => `${b.bind(k, 'text')}, ${col(k)}`),
      ...Object.entries(r.values ?? {}).map(([label, expr]) => `${b.bind(label, 'text')}, ${expr}`),
    ];
    return `(select ${i} as "mvw$i", json_build_object(${fields.join(', ')}) as "mvw$key"
   from ${scope.relation} where ${r.where(b)} limit ${b.bind(CHECK_DEFAULTS.sampleLimit, 'int')})`;
  });
  for (const r of requests) r.target.sampleKeys = [];
  try {
    const { rows } = await scope.exec<{ mvw$i: number; mvw$key: unknown }>(
      `select * from (\n${branches.join('\nunion all\n')}\n) s`,
      b.values,
    );
    for (const row of rows) (requests[row['mvw$i']]!.target.sampleKeys as unknown[]).push(row['mvw$key']);
  } catch (e) {
    for (const r of requests) r.target.sampleError = messageOf(e);
  }
}

/**
 * Columns that identify a row in samples: the first duplicate_check's key, else the view's
 * first unique index, else its first three columns.
 */
export function chooseKeyColumns(
  columns: string[],
  uniqueIndexes: { columns: string[] }[],
  duplicateKey: string[] | undefined,
): string[] {
  if (duplicateKey?.length && duplicateKey.every((k) => columns.includes(k))) return duplicateKey;
  if (uniqueIndexes[0]) return uniqueIndexes[0].columns;
  // Three columns usually name a row (entity, date, category) without flooding the details.
  return columns.slice(0, 3);
}
