import type { CheckConfig, CheckKindName } from './config.js';
import { duplicateCheck } from './kinds/duplicate-check.js';
import { durationAnomaly } from './kinds/duration-anomaly.js';
import { freshnessCheck } from './kinds/freshness-check.js';
import { nullCheck } from './kinds/null-check.js';
import { outlierCheck } from './kinds/outlier-check.js';
import { rowCountChange } from './kinds/row-count-change.js';
import { schemaCheck } from './kinds/schema-check.js';
import { sqlCheck } from './kinds/sql-check.js';
import { typeCheck } from './kinds/type-check.js';
import type { CheckKind } from './types.js';

/** Every check kind by name; config.ts holds their settings' schemas under the same names. */
export const REGISTRY: { [K in CheckKindName]: CheckKind<Extract<CheckConfig, { kind: K }>> } = {
  null_check: nullCheck,
  outlier_check: outlierCheck,
  row_count_change: rowCountChange,
  duplicate_check: duplicateCheck,
  type_check: typeCheck,
  freshness_check: freshnessCheck,
  schema_check: schemaCheck,
  sql_check: sqlCheck,
  duration_anomaly: durationAnomaly,
};

/** The kind implementing a validated check. */
export function kindOf(check: CheckConfig): CheckKind<CheckConfig> {
  return REGISTRY[check.kind] as CheckKind<CheckConfig>;
}
