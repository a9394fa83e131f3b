import { z } from 'zod';

/**
 * Schema of a view's `checks:` map: check name → its settings. The check engine owns the
 * per-kind schemas; until they are registered every check is a free-form object.
 */
export const checksSchema = z.record(z.string(), z.record(z.string(), z.unknown()));
export type ChecksConfig = z.infer<typeof checksSchema>;
