// Part of npm run bench: every variation indicator (standardised ratios with funnel significance, SPC
// charts) for the demo group from a seeded data folder, and for a generated national-size set.
//
//   node --import tsx bench/variation.ts group <seeded data dir>
//   node --import tsx bench/variation.ts national-generate <seeded data dir> <out dir>
//   node --import tsx bench/variation.ts national <out dir>
//
// Each mode runs in its own process so that its peak memory (VmHWM) is its own.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { peakRssMb } from './measure.js';
import { requireGroup } from '../src/organisations/group.service.js';
import { isoDate } from '../src/platform/clock.js';
import { openStore } from '../src/platform/db/database.js';
import { openFactStore, type FactValue } from '../src/platform/facts/fact-store.js';
import { ratioFunnelLimits } from '../src/stats/funnel.js';
import { normal, seededRandom } from '../src/stats/random.js';
import { variationIcon, xmrChart } from '../src/stats/spc.js';
import { pointOfDeliveryCodes } from '../src/variation/activity.js';
import {
  allPracticeSeries,
  practiceActivityMonths,
  practiceSpecialtyCounts,
} from '../src/variation/activity.repository.js';
import { needsAttention } from '../src/variation/attention.service.js';
import {
  aeChart,
  betweenGroups,
  groupActivityChart,
  groupActivityMeasures,
} from '../src/variation/group-variation.service.js';
import { groupPopulations } from '../src/variation/practice-population.service.js';
import {
  ALL_SPECIALTIES,
  practiceActivityChart,
  specialtyFunnel,
  standardisedCells,
  standardisedGrid,
} from '../src/variation/practice-variation.service.js';
import { mainAcuteProviders } from '../src/variation/providers.js';
import { recentSpecialCauses } from '../src/variation/signals.js';
import { expectedActivity, type PracticePopulation } from '../src/variation/synthetic-activity.js';
import { specialtyProfiles } from '../src/variation/specialty-profiles.js';

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(2);

const NATIONAL_PRACTICES = 6_500;
const NATIONAL_MONTHS = 36;
/** The 18 specialties of the demo's profiles and two more with flat age/sex rates: 20 in all. */
const nationalSpecialties = [...specialtyProfiles.map((p) => p.code), '361', '191'];

async function group(dataDir: string) {
  const store = await openStore({ dataDir });
  const facts = await openFactStore({ dataDir });
  const started = performance.now();
  const db = store.db;
  const demo = await requireGroup(db, '09G', isoDate(new Date()));
  const populations = await groupPopulations(db, demo);
  let ratios = 0;
  let funnels = 0;
  let charts = 0;
  for (const pod of pointOfDeliveryCodes) {
    const grid = await standardisedGrid(db, facts, demo, pod, undefined, populations).catch(
      () => null, // no practice activity for this point of delivery (A&E is not generated)
    );
    if (!grid) continue;
    const specialties = [ALL_SPECIALTIES, ...grid.specialties.map((s) => s.code)];
    ratios += grid.rows.length * specialties.length;
    for (const specialty of specialties) {
      specialtyFunnel(grid, specialty);
      funnels += 1;
      for (const practice of populations.practices) {
        await practiceActivityChart(facts, demo, practice, pod, specialty, undefined);
        charts += 1;
      }
    }
  }
  for (const measure of Object.keys(groupActivityMeasures)) {
    await groupActivityChart(facts, demo, measure, undefined);
    charts += 1;
  }
  for (const provider of mainAcuteProviders['09G'] ?? []) {
    await aeChart(db, facts, demo, provider, undefined);
    charts += 1;
  }
  await betweenGroups(db, facts, demo, undefined);
  const attention = await needsAttention(db, facts, demo);
  console.log(
    `  09G, every indicator (${populations.practices.length} practices; ${ratios} standardised ratios with funnel significance, ${funnels} funnels, ${charts} SPC charts, groups compared, needs attention with ${attention.items.length} items), computed cold, one chart per query as the pages do: ${seconds(started)} s, peak RSS ${peakRssMb().toFixed(0)} MB`,
  );
  facts.close();
  await store.close();
}

/** Poisson draw: multiplication below 30, the normal approximation above. */
function poisson(random: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = random();
    while (p > limit) {
      k += 1;
      p *= random();
    }
    return k;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
}

/**
 * A national-size set for GP referrals: 6,500 real practices (list sizes from the 2018-19 payments
 * file) each given the age/sex mix of a Sussex practice, 20 specialties, 36 months shaped like
 * England's real monthly referrals, with practice and practice × specialty over-dispersion.
 */
async function nationalGenerate(seededDir: string, outDir: string) {
  const started = performance.now();
  const store = await openStore({ dataDir: seededDir });
  const lists = (
    await sql<{ code: string; patients: number }>`
      SELECT o.code, p.registered_patients::float8 AS patients
      FROM gp_payment p JOIN organisation o ON o.id = p.practice_id
      WHERE p.financial_year = '2018-19' AND p.registered_patients > 500
      ORDER BY o.code LIMIT ${NATIONAL_PRACTICES}`.execute(store.db)
  ).rows;
  const mixes = (
    await sql<{ practice_id: number; sex: 'female' | 'male'; age_band: string; share: number }>`
      SELECT practice_id, sex, age_band,
             patients::float8 / sum(patients) OVER (PARTITION BY practice_id, extract_date) AS share
      FROM registered_population
      WHERE extract_date = (SELECT max(extract_date) FROM registered_population)`.execute(store.db)
  ).rows;
  await store.close();
  const seeded = await openFactStore({ dataDir: seededDir });
  const england = await seeded.all<{ value: number }>(
    `SELECT value FROM commissioner_activity
     WHERE commissioner_code = 'ENG' AND measure = 'gp-referrals-made-all'
       AND month BETWEEN DATE '2016-04-01' AND DATE '2019-03-01' ORDER BY month`,
  );
  seeded.close();
  const meanMonth = england.reduce((s, r) => s + r.value, 0) / england.length;
  const season = england.map((r) => r.value / meanMonth);
  const months = season.slice(0, NATIONAL_MONTHS).map((_, i) => {
    const index = 2016 * 12 + 3 + i;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
  });

  const byPractice = new Map<number, { sex: 'female' | 'male'; band: string; share: number }[]>();
  for (const m of mixes) {
    const list = byPractice.get(m.practice_id) ?? [];
    list.push({ sex: m.sex, band: m.age_band, share: m.share });
    byPractice.set(m.practice_id, list);
  }
  const profiles = [...byPractice.values()];
  const random = seededRandom(20160401);
  const populations: PracticePopulation[] = lists.map((l) => ({
    code: l.code,
    bands: profiles[Math.floor(random() * profiles.length)]!.map((b) => ({
      sex: b.sex,
      band: b.band,
      patients: Math.round(b.share * l.patients),
    })),
  }));
  writeFileSync(path.join(outDir, 'populations.json'), JSON.stringify(populations));

  // Referrals per person per month (about 270 per 1,000 a year), split by specialty share and by
  // each practice's age/sex-expected rate relative to the national average.
  const perPersonMonth = 0.0225;
  const shareOf = (code: string) =>
    specialtyProfiles.find((p) => p.code === code)?.share['gp-referral'] ?? 0.03;
  const shareTotal = nationalSpecialties.reduce((s, c) => s + shareOf(c), 0);
  const listSizes = populations.map((p) => p.bands.reduce((s, b) => s + b.patients, 0));
  const totalList = listSizes.reduce((s, n) => s + n, 0);
  const relative = nationalSpecialties.map((code) => {
    const raw = populations.map((p) => expectedActivity(p, 'gp-referral', code));
    const average = raw.reduce((s, e) => s + e, 0) / totalList;
    return raw.map((e, i) => (listSizes[i] ? e / listSizes[i]! / average : 0));
  });

  const facts = await openFactStore({ dataDir: outDir });
  const types = ['varchar', 'date', 'varchar', 'varchar', 'integer', 'boolean', 'integer'] as const;
  let batch: FactValue[][] = [];
  let rows = 0;
  const flush = async () => {
    await facts.transaction((tx) => tx.append('practice_activity', types, batch));
    rows += batch.length;
    batch = [];
  };
  for (const [i, practice] of populations.entries()) {
    const practiceEffect = Math.exp(0.1 * normal(random));
    nationalSpecialties.forEach((code, s) => {
      const mean =
        listSizes[i]! *
        perPersonMonth *
        (shareOf(code) / shareTotal) *
        relative[s]![i]! *
        practiceEffect *
        Math.exp(0.1 * normal(random));
      months.forEach((month, m) => {
        batch.push([
          practice.code,
          month,
          'gp-referral',
          code,
          poisson(random, mean * season[m]!),
          true,
          0,
        ]);
      });
    });
    if (batch.length >= 360_000) await flush();
  }
  if (batch.length) await flush();
  facts.close();
  console.log(
    `  national set generated: ${populations.length} practices × ${nationalSpecialties.length} specialties × ${months.length} months = ${rows.toLocaleString('en-GB')} rows in ${seconds(started)} s (not part of the target)`,
  );
}

/** Every indicator for every practice in the national set, through the same queries and functions as the pages. */
async function national(outDir: string) {
  const populations = JSON.parse(
    readFileSync(path.join(outDir, 'populations.json'), 'utf8'),
  ) as PracticePopulation[];
  const facts = await openFactStore({ dataDir: outDir });
  const started = performance.now();
  const codes = populations.map((p) => p.code);
  const months = await practiceActivityMonths(facts, codes);
  const from = months[months.length - 12]!;
  const to = months.at(-1)!;
  const counts = await practiceSpecialtyCounts(facts, codes, 'gp-referral', from, to);
  const observed = new Map(
    counts.map((c) => [`${c.practice_code} ${c.treatment_function}`, c.observed]),
  );
  const specialties = [...new Set(counts.map((c) => c.treatment_function))].sort();
  const cells = standardisedCells(populations, observed, 'gp-referral', specialties);
  let outliers = 0;
  for (const row of cells)
    for (const cell of Object.values(row)) if (cell.signal.endsWith('99.8')) outliers += 1;
  // Funnel curves for each specialty and for all together, as each funnel page draws them.
  for (let f = 0; f <= specialties.length; f++) {
    for (let i = 0; i <= 80; i++) ratioFunnelLimits(Math.max(1, Math.round(5000 ** (i / 80))));
  }
  const ratioSeconds = seconds(started);

  const spcStarted = performance.now();
  const series = await allPracticeSeries(facts, 'gp-referral');
  const totals = new Map<string, number[]>();
  let charts = 0;
  let recent = 0;
  const chart = (values: number[]) => {
    const result = xmrChart(values, { improvementDirection: 'neutral' });
    variationIcon(result);
    if (recentSpecialCauses(result, months).length) recent += 1;
    charts += 1;
  };
  for (const s of series) {
    const values = Array.from(s.values);
    chart(values);
    const total = totals.get(s.practice_code) ?? new Array<number>(values.length).fill(0);
    values.forEach((v, i) => (total[i]! += v));
    totals.set(s.practice_code, total);
  }
  for (const total of totals.values()) chart(total);
  console.log(
    `  national set, every indicator: ${cells.length} practices × ${specialties.length + 1} standardised ratios with funnel significance (${outliers} beyond 99.8%) in ${ratioSeconds} s; ${charts.toLocaleString('en-GB')} SPC charts of ${months.length} months (${recent.toLocaleString('en-GB')} with a special cause in the last 6) in ${seconds(spcStarted)} s; total ${seconds(started)} s, peak RSS ${peakRssMb().toFixed(0)} MB  [target < 10 s, < 2048 MB]`,
  );
  facts.close();
}

const [mode, first, second] = process.argv.slice(2);
if (mode === 'group' && first) await group(first);
else if (mode === 'national-generate' && first && second) await nationalGenerate(first, second);
else if (mode === 'national' && first) await national(first);
else {
  console.error(
    'usage: variation.ts group <dir> | national-generate <seeded dir> <out dir> | national <dir>',
  );
  process.exit(2);
}
