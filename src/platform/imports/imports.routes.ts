// The public log of imported files: what data Flock holds, from which file, and when it was loaded.
import type { Hono } from 'hono';
import type { BackgroundWork } from '../background.js';
import type { Db } from '../db/schema.js';
import { toCsv } from '../http/csv.js';
import type { AppEnv } from '../http/http.types.js';
import { sendCsv, sendJson } from '../http/json.js';
import type { PageRenderer } from '../http/pages.js';

/** Imports private to one group (its finance ledger): listed on that group's own pages, not here. */
const privateKinds = ['ledger'];

async function listImports(db: Db) {
  const rows = await db
    .selectFrom('import_log')
    .select([
      'id',
      'kind',
      'file_name',
      'file_sha256',
      'period',
      'rows_read',
      'rows_loaded',
      'rows_skipped',
      'notes',
      'finished_at',
    ])
    .where('kind', 'not in', privateKinds)
    .where('state', '=', 'complete')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    fileName: r.file_name,
    sha256: r.file_sha256,
    period: r.period,
    rowsRead: r.rows_read,
    rowsLoaded: r.rows_loaded,
    rowsSkipped: r.rows_skipped,
    notes: r.notes,
    finishedAt: r.finished_at.toISOString(),
  }));
}

export function registerImportRoutes(
  app: Hono<AppEnv>,
  { db, page, background }: { db: Db; page: PageRenderer; background?: BackgroundWork | undefined },
) {
  // What the server is still loading in the background (first start), with how far it has got.
  const loading = () => (background?.list() ?? []).filter((t) => t.state !== 'done');
  app.get('/data-sources', async (c) =>
    page(c, 'imports.njk', {
      title: 'Data sources',
      imports: await listImports(db),
      loading: loading(),
    }),
  );
  app.get('/api/v1/imports', async (c) =>
    sendJson(c, { loading: loading(), imports: await listImports(db) }),
  );
  app.get('/data-sources.csv', async (c) =>
    sendCsv(
      c,
      'imports.csv',
      toCsv(
        [
          { header: 'id', value: (r) => r.id },
          { header: 'kind', value: (r) => r.kind },
          { header: 'file_name', value: (r) => r.fileName },
          { header: 'sha256', value: (r) => r.sha256 },
          { header: 'period', value: (r) => r.period },
          { header: 'rows_read', value: (r) => r.rowsRead },
          { header: 'rows_loaded', value: (r) => r.rowsLoaded },
          { header: 'rows_skipped', value: (r) => r.rowsSkipped },
          { header: 'notes', value: (r) => r.notes },
          { header: 'imported_at_utc', value: (r) => r.finishedAt },
        ],
        await listImports(db),
      ),
    ),
  );
}
