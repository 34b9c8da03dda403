// Part of npm run bench: runs every seed importer on its real file, then generates and imports the demo
// group's synthetic practice activity, printing time, rows and peak memory.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { peakRssMb } from './measure.js';
import { importers } from '../src/app/importers.js';
import { sharedDataPath } from '../src/app/config.js';
import { seedDemoActivity, seedFiles } from '../src/app/seed.js';
import { systemActor } from '../src/platform/audit/audit.service.js';
import { isoDate } from '../src/platform/clock.js';
import { openStore } from '../src/platform/db/database.js';
import { migrate } from '../src/platform/db/migrate.js';
import { openFactStore } from '../src/platform/facts/fact-store.js';
import { runImport, type ImportResult } from '../src/platform/imports/import-runner.js';

const report = (kind: string, file: string, result: ImportResult | undefined, seconds: number) => {
  const rows = result?.status === 'imported' ? result.rowsRead : 0;
  console.log(
    `  ${kind.padEnd(20)} ${path.basename(file).padEnd(44)} ${String(rows).padStart(7)} rows ${seconds.toFixed(2).padStart(6)} s ` +
      `${(rows / seconds).toFixed(0).padStart(7)} rows/s  peak RSS so far ${peakRssMb().toFixed(0)} MB`,
  );
};

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flock-bench-import-'));
const store = await openStore({ dataDir });
await migrate(store);
const facts = await openFactStore({ dataDir });
const shared = sharedDataPath();
for (const { kind, file } of seedFiles) {
  const started = performance.now();
  const result = await runImport(store.db, importers[kind]!(), path.join(shared, file), {
    actor: systemActor('bench'),
    facts,
  });
  report(kind, file, result, (performance.now() - started) / 1000);
}
const started = performance.now();
const synthetic = await seedDemoActivity(
  store.db,
  facts,
  path.join(dataDir, 'generated'),
  isoDate(new Date()),
);
report(
  'practice-activity',
  'generated 09G synthetic (generate + import)',
  synthetic,
  (performance.now() - started) / 1000,
);
facts.close();
await store.close();
rmSync(dataDir, { recursive: true, force: true });
