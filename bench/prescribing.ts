// Prescribing at national scale, each step in its own process so that its peak memory is its own:
//   node --import tsx bench/prescribing.ts generate <seeded data dir> <out dir>
//   node --import tsx bench/prescribing.ts engine <seeded data dir> <out dir>
//   node --import tsx bench/prescribing.ts import <seeded data dir> <out dir>
// Generates one synthetic EPD month for every open practice in England (2019-04, outside the demo's
// year), imports it, and reports the import's rate (rows per second, excluding the computation)
// and the computation of every measure and price-per-unit saving for the month. `engine` times what
// DuckDB alone does with the same file (read it and sum by practice and presentation), the yardstick
// the import is measured against: each prints a line starting "seconds=" for bench/run.ts's ratio.
import { readdirSync, statSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';
import { loadConfig } from '../src/app/config.js';
import { systemActor } from '../src/platform/audit/audit.service.js';
import { openStore } from '../src/platform/db/database.js';
import { migrate } from '../src/platform/db/migrate.js';
import { DEFAULT_FACTS_MEMORY, openFactStore } from '../src/platform/facts/fact-store.js';
import { runImport } from '../src/platform/imports/import-runner.js';
import { computeMonth } from '../src/prescribing/compute.service.js';
import { prescribingImporter } from '../src/prescribing/prescribing.import.js';
import { generatePrescribing } from '../src/prescribing/synthetic-prescribing.js';
import { peakRssMb } from './measure.js';

const [mode, dataDir, out] = process.argv.slice(2);
if (!dataDir || !out || !['generate', 'engine', 'import'].includes(mode ?? ''))
  throw new Error('usage: bench/prescribing.ts generate|engine|import <seeded data dir> <out dir>');
const monthFile = () =>
  path.join(
    out,
    readdirSync(out).find((f) => f.endsWith('.csv'))!,
  );

if (mode === 'engine') {
  // DuckDB by itself, with the import's memory limit: read the file, sum by practice and presentation.
  const engine = await DuckDBInstance.create(':memory:', {
    memory_limit: process.env.FLOCK_FACTS_MEMORY ?? DEFAULT_FACTS_MEMORY,
    temp_directory: path.join(out, 'engine-spill'),
  });
  const connection = await engine.connect();
  const started = performance.now();
  await connection.run(
    `CREATE TEMP TABLE summed AS
     SELECT PRACTICE_CODE, BNF_CODE, sum(ITEMS) AS items, sum(TOTAL_QUANTITY) AS quantity,
       sum(NIC) AS nic, sum(ACTUAL_COST) AS actual_cost
     FROM read_csv(?) GROUP BY ALL`,
    [monthFile()],
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `DuckDB alone on the same file (read_csv, sum by practice and presentation): ${seconds.toFixed(1)} s, peak RSS ${peakRssMb().toFixed(0)} MB`,
  );
  console.log(`seconds=${seconds.toFixed(2)}`);
  connection.closeSync();
  engine.closeSync();
  process.exit(0);
}
const store = await openStore({ dataDir });
await migrate(store);
const facts = await openFactStore({ dataDir });
try {
  if (mode === 'generate') {
    const started = performance.now();
    const generated = await generatePrescribing(store.db, facts, {
      sharedDataDir: loadConfig(process.env).sharedDataDir,
      outDir: out,
      months: ['2019-04'],
    });
    const month = generated.months[0]!;
    const gb = statSync(month.file).size / 1e9;
    console.log(
      `generate one national EPD month: ${month.rows.toLocaleString('en-GB')} rows, ${month.practices} practices, ${gb.toFixed(2)} GB in ${((performance.now() - started) / 1000).toFixed(1)} s, peak RSS ${peakRssMb().toFixed(0)} MB (not part of the target)`,
    );
  } else {
    const file = monthFile();
    let started = performance.now();
    const result = await runImport(store.db, prescribingImporter(), file, {
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
      `import it (read, check, sum, store; SHA-256 included): ${result.rowsRead.toLocaleString('en-GB')} rows in ${importSeconds.toFixed(1)} s, ${Math.round(result.rowsRead / importSeconds).toLocaleString('en-GB')} rows/s  [target ≥ 300,000 rows/s]`,
    );
    const phases = / read, checked and summed in ([\d.]+) s; stored in ([\d.]+) s/.exec(
      result.notes.join(' '),
    );
    if (phases)
      console.log(
        `  of which reading, checking and summing the file: ${phases[1]} s; storing the totals sorted: ${phases[2]} s`,
      );
    console.log(`stage=${phases?.[1] ?? ''}`);
    console.log(
      `  every measure and price-per-unit saving for the month, within the import: ${computeSeconds.toFixed(1)} s  [target < 20 s]`,
    );
    console.log(
      `  the whole import, measures included: ${total.toFixed(1)} s; peak RSS of the importing process: ${peakRssMb().toFixed(0)} MB  [target ≤ 2048 MB]`,
    );
    console.log(`seconds=${total.toFixed(2)}`);
    started = performance.now();
    const again = await computeMonth(store.db, facts, '2019-04-01');
    console.log(
      `recompute the month alone (flock prescribing compute, replacing what is there): ${((performance.now() - started) / 1000).toFixed(1)} s, ${again.ppuSavings.toLocaleString('en-GB')} price-per-unit savings of £10 or more; peak RSS ${peakRssMb().toFixed(0)} MB`,
    );
  }
} finally {
  facts.close();
  await store.close();
}
