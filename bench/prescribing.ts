// Prescribing at national scale, in its own process so that its peak memory is its own:
//   node --import tsx bench/prescribing.ts <seeded data dir>
// Generates one synthetic EPD month for every open practice in England (2019-04, outside the demo's
// year), imports it, and reports the import's rate (rows per second, excluding the computation)
// and the computation of every measure and price-per-unit saving for the month.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/app/config.js';
import { systemActor } from '../src/platform/audit/audit.service.js';
import { openStore } from '../src/platform/db/database.js';
import { openFactStore } from '../src/platform/facts/fact-store.js';
import { runImport } from '../src/platform/imports/import-runner.js';
import { computeMonth } from '../src/prescribing/compute.service.js';
import { prescribingImporter } from '../src/prescribing/prescribing.import.js';
import { generatePrescribing } from '../src/prescribing/synthetic-prescribing.js';
import { peakRssMb } from './measure.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: bench/prescribing.ts <seeded data dir>');
const store = await openStore({ dataDir });
const facts = await openFactStore({ dataDir });
const out = mkdtempSync(path.join(os.tmpdir(), 'flock-bench-epd-'));
try {
  let started = performance.now();
  const generated = await generatePrescribing(store.db, facts, {
    sharedDataDir: loadConfig(process.env).sharedDataDir,
    outDir: out,
    months: ['2019-04'],
  });
  const month = generated.months[0]!;
  const gb = statSync(month.file).size / 1e9;
  console.log(
    `generate one national EPD month: ${month.rows} rows, ${month.practices} practices, ${gb.toFixed(2)} GB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  started = performance.now();
  const result = await runImport(store.db, prescribingImporter(), month.file, {
    actor: systemActor('bench'),
    facts,
  });
  const total = (performance.now() - started) / 1000;
  if (result.status !== 'imported') throw new Error('the month was already imported');
  const computeSeconds = Number(
    / in ([\d.]+) s$/.exec(result.notes.find((n) => n.includes('measures and')) ?? '')?.[1] ?? 0,
  );
  const importSeconds = total - computeSeconds;
  console.log(
    `import it (read, check, sum, store; SHA-256 included): ${importSeconds.toFixed(1)} s, ${Math.round(result.rowsRead / importSeconds).toLocaleString('en-GB')} rows/s  [target ≥ 300,000 rows/s]`,
  );
  console.log(
    `  every measure and price-per-unit saving for the month, within the import: ${computeSeconds.toFixed(1)} s  [target < 20 s]`,
  );
  started = performance.now();
  const again = await computeMonth(store.db, facts, '2019-04-01');
  console.log(
    `recompute the month alone (flock prescribing compute): ${((performance.now() - started) / 1000).toFixed(1)} s, ${again.ppuSavings} price-per-unit savings of £10 or more`,
  );
  console.log(`peak RSS of this process: ${peakRssMb().toFixed(0)} MB  [target < 4096 MB]`);
} finally {
  rmSync(out, { recursive: true, force: true });
  facts.close();
  await store.close();
}
