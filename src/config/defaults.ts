import type { RefreshStrategy } from '../types.js';

/** Every default of the configuration, in one place (STYLE §12). */
export const DEFAULTS = Object.freeze({
  /** State schema. */
  schema: 'mvwatch',
  /** Refresh strategy when a view does not name one. */
  strategy: 'auto' as RefreshStrategy,
  /** statement_timeout of one refresh: long enough for big views, short enough to notice a hang. */
  timeoutMs: 10 * 60_000,
  /** lock_timeout of one refresh: a reader holding the view for 30 s is worth an alert. */
  lockTimeoutMs: 30_000,
  /** Publish new contents only after the checks pass (opt-in: it holds the refresh lock during checks). */
  gate: false,
  /** Default config file looked for in the working directory. */
  configFile: 'mvwatch.yaml',
  /** Folder of the embedded PostgreSQL. */
  embeddedDir: '.mvwatch',
});
