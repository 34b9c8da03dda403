// Row type of the imports log: one row per file that was loaded.
import type { Generated } from 'kysely';

export interface ImportLogTable {
  id: Generated<number>;
  kind: string;
  file_name: string;
  file_sha256: string;
  period: string | null;
  rows_read: Generated<number>;
  rows_loaded: Generated<number>;
  rows_skipped: Generated<number>;
  notes: string | null;
  imported_by: string;
  started_at: Date;
  finished_at: Date;
  /** 'loading' while an import of facts is between its two commits (see migration 0007). */
  state: Generated<'loading' | 'complete'>;
}
