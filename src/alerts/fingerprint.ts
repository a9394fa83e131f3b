import { createHash } from 'node:crypto';
import type { AlertType } from '../types.js';

/**
 * The family an alert type belongs to for deduplication: a custom check's warning and error
 * types (`data_quality_warning` / `data_quality_error`) are one condition whose severity moved,
 * so they share an incident; every other type is its own family.
 */
export function alertFamily(type: AlertType): string {
  return type === 'data_quality_warning' || type === 'data_quality_error' ? 'data_quality' : type;
}

/**
 * Identity of an incident: view + alert family + check name (`null` for refresh and view-level
 * freshness alerts). A hash of those parts only, so it is the same across runs, processes and
 * restarts (Alertmanager's label fingerprint). 128 bits: collisions are not a practical concern.
 */
export function fingerprint(view: string, type: AlertType, check: string | null): string {
  return createHash('sha256')
    .update(JSON.stringify([view, alertFamily(type), check ?? '']))
    .digest('hex')
    .slice(0, 32);
}
