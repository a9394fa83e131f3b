import { createDb, type Db } from './db.js';
import { ensureEmbedded } from './embedded.js';
import { validateIdentifier } from './identifiers.js';

export interface OpenDatabaseOptions {
  /** Connection string; when empty, `DATABASE_URL`, then the embedded server. */
  databaseUrl?: string;
  /** State schema (default `mvwatch`). Names needing quotes are allowed. */
  schema?: string;
  /** Folder of the embedded server (default `.mvwatch`). */
  embeddedDir?: string;
  /** Pool size (default 10). */
  max?: number;
  /** Receives the embedded server's log lines. */
  onEmbeddedLog?: (line: string) => void;
}

/**
 * Opens the database the way every command does: an explicit URL, else `DATABASE_URL`, else
 * the embedded PostgreSQL under `.mvwatch/` (started if needed, stopped on close when this
 * process started it). Does not migrate: call `migrate(db)`.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Db> {
  const schema = validateIdentifier(options.schema ?? 'mvwatch');
  const url = options.databaseUrl || process.env.DATABASE_URL || '';
  if (url) return createDb({ url, schema, max: options.max });
  const embedded = await ensureEmbedded({ dir: options.embeddedDir, onLog: options.onEmbeddedLog });
  return createDb({ url: embedded.url, schema, max: options.max, onClose: embedded.stop });
}
