// Prescribing end to end on the real EPD samples: import, bad input, measures, percentiles, price-per-unit savings.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/platform/audit/audit.service.js';
import { ImportError } from '../../src/platform/errors.js';
import { runImport } from '../../src/platform/imports/import-runner.js';
import {
  findMeasure,
  splitFilters,
  unitScale,
  type CodeSet,
} from '../../src/prescribing/measures.js';
import { groupMeasures } from '../../src/prescribing/prescribing.service.js';
import { requireGroup } from '../../src/organisations/group.service.js';
import { listMembers } from '../../src/organisations/group.repository.js';
import { latestListSizes } from '../../src/population/population.repository.js';
import { prescribingImporter } from '../../src/prescribing/prescribing.import.js';
import { createHash } from 'node:crypto';
import { generatePrescribing } from '../../src/prescribing/synthetic-prescribing.js';
import { AppClient } from '../support/app-client.js';
import { PASSWORD, seededApp, type Seeded } from '../support/seeded.js';
import { engines } from '../support/stores.js';
import { sharedDataDir } from '../support/subset-data.js';

const samples = path.join(sharedDataDir, 'prescribing-samples');
const readCsv = (file: string) =>
  parse(readFileSync(file), { columns: true, bom: true }) as Record<string, string>[];
const september = readCsv(path.join(samples, 'epd_201709_4practices.csv'));

/** OpenPrescribing's filters: % any run, a full-length code exactly, anything else a prefix. */
const matches = (filter: string) => (code: string) =>
  filter.includes('%')
    ? new RegExp(`^${filter.split('%').join('.*')}$`).test(code)
    : filter.length === 15
      ? code === filter
      : code.startsWith(filter);
const inSet = (set: CodeSet) => {
  const { include, exclude } = splitFilters(set);
  return (code: string) =>
    include.some((f) => matches(f)(code)) && !exclude.some((f) => matches(f)(code));
};

/** Linear-interpolation quantile, as R type 7 and DuckDB quantile_cont. */
function quantile(sorted: number[], p: number) {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return (
    sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? 0) - sorted[lo]!)
  );
}

describe.each(engines())('prescribing on %s', (engine) => {
  let seeded: Seeded;
  let dir: string;
  beforeAll(async () => {
    seeded = await seededApp(engine);
    dir = mkdtempSync(path.join(os.tmpdir(), 'flock-rx-'));
  });
  afterAll(() => seeded.close());

  const importFile = (name: string, lines: string[]) => {
    const file = path.join(dir, name);
    writeFileSync(file, lines.join('\n') + '\n');
    return runImport(seeded.store.db, prescribingImporter(), file, {
      actor: systemActor('test'),
      facts: seeded.facts,
    });
  };
  const header = readFileSync(path.join(samples, 'epd_201709_4practices.csv'), 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/, 1)[0]!;
  const row = (over: Record<string, string> = {}) => {
    const base: Record<string, string> = {
      YEAR_MONTH: '201711',
      PRACTICE_CODE: 'B85054',
      BNF_CODE: '0501013K0AAAJAJ',
      BNF_DESCRIPTION: 'Co-amoxiclav_Tab 500mg/125mg',
      QUANTITY: '21',
      ITEMS: '3',
      TOTAL_QUANTITY: '63',
      NIC: '7.50',
      ACTUAL_COST: '7.01234',
      ...over,
    };
    return header
      .split(',')
      .map((c) => base[c] ?? '')
      .join(',');
  };
  const storedRows = async () =>
    (await seeded.facts.all<{ n: number }>('SELECT count(*) AS n FROM prescribing'))[0]!.n;

  it('holds the real EPD samples to the penny, summed by practice and presentation', async () => {
    const expected = new Map<string, { items: number; pence: number }>();
    for (const r of september) {
      const e = expected.get(r.PRACTICE_CODE!) ?? { items: 0, pence: 0 };
      e.items += Number(r.ITEMS);
      e.pence += Math.round(Number(r.NIC) * 100);
      expected.set(r.PRACTICE_CODE!, e);
    }
    const stored = await seeded.facts.all<{ practice_code: string; items: number; pence: number }>(
      `SELECT practice_code, sum(items) AS items, (sum(nic) * 100)::BIGINT AS pence FROM prescribing
       WHERE month = DATE '2017-09-01' GROUP BY 1 ORDER BY 1`,
    );
    expect(stored).toEqual(
      [...expected].sort().map(([practice_code, e]) => ({ practice_code, ...e })),
    );
    // The provenance's totals for Sep 2017: B85054 18,241 items and £125,802 actual cost.
    const [colne] = await seeded.facts.all<{ items: number; cost: string }>(
      `SELECT sum(items) AS items, round(sum(actual_cost))::VARCHAR AS cost FROM prescribing
       WHERE month = DATE '2017-09-01' AND practice_code = 'B85054'`,
    );
    expect(colne).toEqual({ items: 18241, cost: '125802' });
  });

  it('imports the older PDPI layout with its padded cells and trailing comma', async () => {
    const result = await runImport(
      seeded.store.db,
      prescribingImporter(),
      path.join(samples, 'pdpi_201410_sample.csv'),
      { actor: systemActor('test'), facts: seeded.facts },
    );
    expect(result.status).toBe('imported');
    const pdpi = readCsv(path.join(samples, 'pdpi_201410_sample.csv'));
    const items = pdpi.reduce((s, r) => s + Number(r['ITEMS  ']), 0);
    const [stored] = await seeded.facts.all<{ items: number }>(
      `SELECT sum(items) AS items FROM prescribing WHERE month = DATE '2014-10-01'`,
    );
    expect(stored!.items).toBe(items);
  });

  it('refuses bad files with the line, column and problem, and keeps what was there', async () => {
    const before = await storedRows();
    const refused = async (
      name: string,
      lines: string[],
      match: Partial<Pick<ImportError, 'row' | 'column'>> & { reason?: unknown },
    ) => {
      const error = await importFile(name, lines).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportError);
      expect(error).toMatchObject(match);
      expect(await storedRows()).toBe(before);
    };
    await refused('negative.csv', [header, row(), row({ QUANTITY: '28', TOTAL_QUANTITY: '-28' })], {
      row: 3,
      column: 'TOTAL_QUANTITY',
      reason: expect.stringContaining('must not be negative'),
    });
    await refused('words.csv', [header, row(), row(), row({ QUANTITY: '7', ITEMS: 'three' })], {
      row: 4,
      column: 'ITEMS',
    });
    await refused('codes.csv', [header, row(), row({ QUANTITY: '7', PRACTICE_CODE: 'b85-054' })], {
      row: 3,
      column: 'PRACTICE_CODE',
      reason: expect.stringContaining('expected a practice code'),
    });
    await refused('bnf.csv', [header, row({ BNF_CODE: '05.01' })], {
      row: 2,
      column: 'BNF_CODE',
    });
    await refused('month.csv', [header, row({ YEAR_MONTH: '2017-13' })], {
      row: 2,
      column: 'YEAR_MONTH',
    });
    await refused('inf.csv', [header, row(), row({ QUANTITY: '28', TOTAL_QUANTITY: 'inf' })], {
      row: 3,
      column: 'TOTAL_QUANTITY',
    });
    // A blank line does not throw the count off.
    await refused('blank.csv', [header, row(), '', row({ QUANTITY: '7', NIC: '-1.00' })], {
      row: 4,
      column: 'NIC',
    });
    await refused(
      'ragged.csv',
      [header, row(), row({ QUANTITY: '7' }).split(',').slice(0, 10).join(',')],
      {
        row: 3,
        reason: expect.stringContaining('CSV'),
      },
    );
    await refused('header-only.csv', [header], {
      reason: expect.stringContaining('no rows'),
    });
    await refused('dupe.csv', [header, row(), row({ BNF_CODE: '0501013K0AAAKAK' }), row()], {
      row: 4,
      reason: expect.stringContaining('duplicate row'),
    });
    // Three rows of one presentation, two with the same quantity per item.
    await refused(
      'dupe-of-three.csv',
      [header, row(), row({ QUANTITY: '28' }), row({ QUANTITY: '7' }), row({ QUANTITY: '28' })],
      { row: 5, reason: expect.stringContaining('QUANTITY 28 appears twice') },
    );
    await refused('epd_201712.csv', [header, row()], {
      column: 'YEAR_MONTH',
      reason: expect.stringContaining('wrong month'),
    });
    await refused('two-months.csv', [header, row(), row({ YEAR_MONTH: '201712' })], {
      row: 3,
      reason: expect.stringContaining('one month'),
    });
  });

  it('keeps and reports BNF codes it does not know, and a repeat import changes nothing', async () => {
    const lines = [header, row(), row({ BNF_CODE: '0199999ZZAAAAAA', BNF_DESCRIPTION: 'Mystery' })];
    const result = await importFile('unknown-code.csv', lines);
    expect(result.status).toBe('imported');
    if (result.status !== 'imported') return;
    expect(result.notes.join(' ')).toMatch(
      /1 BNF code is not in the BNF code list.*0199999ZZAAAAAA/,
    );
    const [unknown] = await seeded.facts.all<{ items: number }>(
      `SELECT items FROM prescribing_unknown_code WHERE bnf_code = '0199999ZZAAAAAA'`,
    );
    expect(unknown).toEqual({ items: 3 });
    const precise = await importFile('precise.csv', [
      header,
      row({ NIC: '7.505', PRACTICE_CODE: 'B85010' }),
      row({ ACTUAL_COST: '7.012345', PRACTICE_CODE: 'B85010', QUANTITY: '7' }),
    ]);
    expect(precise.status === 'imported' && precise.notes.join(' ')).toMatch(
      /2 rows gave NIC to more than 2 or actual cost to more than 5 decimal places; rounded to them/,
    );
    expect((await importFile('unknown-code.csv', lines)).status).toBe('unchanged');
    // Under a new name the file is hashed while it loads; the load is rolled back once it is known.
    const before = await storedRows();
    const renamed = await importFile('renamed-copy.csv', lines);
    expect(renamed).toMatchObject({ status: 'unchanged', previousImportId: result.importId });
    expect(await storedRows()).toBe(before);
  });

  it('computes each practice’s measure from the file’s own rows, with national percentiles and deciles', async () => {
    const measure = findMeasure('broad_spectrum_antibiotics')!;
    const num = inSet(measure.numerator as CodeSet);
    const den = inSet(measure.denominator as CodeSet);
    const byPractice = new Map<string, { n: number; d: number }>();
    for (const r of september) {
      const v = byPractice.get(r.PRACTICE_CODE!) ?? { n: 0, d: 0 };
      if (num(r.BNF_CODE!)) v.n += Number(r.ITEMS);
      if (den(r.BNF_CODE!)) v.d += Number(r.ITEMS);
      byPractice.set(r.PRACTICE_CODE!, v);
    }
    const stored = await seeded.facts.all<{
      practice_code: string;
      numerator: number;
      denominator: number;
      ratio: number;
      percentile: number;
    }>(
      `SELECT practice_code, numerator, denominator, ratio, percentile FROM measure_value
       WHERE measure = 'broad_spectrum_antibiotics' AND month = DATE '2017-09-01' ORDER BY ratio`,
    );
    expect(stored).toHaveLength(4);
    stored.forEach((s, i) => {
      const v = byPractice.get(s.practice_code)!;
      expect([s.numerator, s.denominator]).toEqual([v.n, v.d]);
      expect(s.ratio).toBeCloseTo((100 * v.n) / v.d, 10);
      expect(s.percentile).toBeCloseTo((100 * i) / 3, 10);
    });
    const ratios = stored.map((s) => s.ratio);
    const [deciles] = await seeded.facts.all<Record<string, number>>(
      `SELECT compared, p10, p50, p90 FROM measure_decile
       WHERE measure = 'broad_spectrum_antibiotics' AND month = DATE '2017-09-01' AND level = 'practice'`,
    );
    expect(deciles!.compared).toBe(4);
    expect(deciles!.p10).toBeCloseTo(quantile(ratios, 0.1), 10);
    expect(deciles!.p50).toBeCloseTo(quantile(ratios, 0.5), 10);
    expect(deciles!.p90).toBeCloseTo(quantile(ratios, 0.9), 10);
    expect(unitScale(measure)).toBe(100);
  });

  it('prices cost measures at the 10th percentile and each substitution set against its 10th percentile price', async () => {
    const costs = await seeded.facts.all<{
      numerator: number;
      denominator: number;
      saving_pence: number;
      p10: number;
    }>(
      `SELECT v.numerator, v.denominator, v.saving_pence, d.p10 FROM measure_value v
       JOIN measure_decile d ON d.measure = v.measure AND d.month = v.month AND d.level = 'practice'
       WHERE v.measure = 'ppi_cost_per_star_pu' AND v.month = DATE '2017-09-01'`,
    );
    expect(costs).toHaveLength(4);
    for (const c of costs)
      expect(c.saving_pence).toBe(Math.round(100 * (c.numerator - (c.p10 / 1000) * c.denominator)));

    // One substitution set by hand: each practice's net cost ÷ quantity over the set's presentations.
    const [set] = await seeded.facts.all<{ set_code: string }>(
      `SELECT set_code FROM ppu_saving WHERE month = DATE '2017-09-01' GROUP BY 1 ORDER BY sum(saving_pence) DESC LIMIT 1`,
    );
    const codes = new Set(
      (
        await seeded.facts.all<{ bnf_code: string }>(
          `SELECT bnf_code FROM ppu_set_code WHERE month = DATE '2017-09-01' AND set_code = ?`,
          [set!.set_code],
        )
      ).map((r) => r.bnf_code),
    );
    const byPractice = new Map<string, { pence: number; quantity: number }>();
    for (const r of september) {
      if (!codes.has(r.BNF_CODE!)) continue;
      const v = byPractice.get(r.PRACTICE_CODE!) ?? { pence: 0, quantity: 0 };
      v.pence += Math.round(Number(r.NIC) * 100);
      v.quantity += Number(r.TOTAL_QUANTITY);
      byPractice.set(r.PRACTICE_CODE!, v);
    }
    const target = quantile(
      [...byPractice.values()].map((v) => v.pence / v.quantity).sort((a, b) => a - b),
      0.1,
    );
    const [stored] = await seeded.facts.all<{ target_pence_per_unit: number }>(
      `SELECT target_pence_per_unit FROM ppu_target WHERE month = DATE '2017-09-01' AND set_code = ?`,
      [set!.set_code],
    );
    expect(stored!.target_pence_per_unit).toBeCloseTo(target, 10);
    const savings = await seeded.facts.all<{ practice_code: string; saving_pence: number }>(
      `SELECT practice_code, saving_pence FROM ppu_saving WHERE month = DATE '2017-09-01' AND set_code = ?`,
      [set!.set_code],
    );
    expect(savings.length).toBeGreaterThan(0);
    for (const s of savings) {
      const v = byPractice.get(s.practice_code)!;
      expect(s.saving_pence).toBe(Math.round(v.pence - v.quantity * target));
    }
  });

  it('generates EPD-format months calibrated to Coastal West Sussex, the same for the same seed, labelled synthetic', async () => {
    const members = (
      await seeded.store.db
        .selectFrom('organisation as p')
        .innerJoin('organisation_relationship as r', 'r.child_id', 'p.id')
        .innerJoin('organisation as g', 'g.id', 'r.parent_id')
        .select('p.code')
        .where('g.code', '=', '09G')
        .where('r.kind', '=', 'member_of_group')
        .execute()
    ).map((r) => r.code);
    const out = path.join(dir, 'generated');
    // The generator reads the real samples and West Sussex series from the shared data.
    const generate = () =>
      generatePrescribing(seeded.store.db, seeded.facts, {
        sharedDataDir,
        outDir: out,
        months: ['2018-04'],
        practiceCodes: members,
      });
    const first = await generate();
    const file = first.months[0]!.file;
    const hash = () => createHash('sha256').update(readFileSync(file)).digest('hex');
    const before = hash();
    await generate();
    expect(hash()).toBe(before);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n', 1)[0]).toBe(`${header},SYNTHETIC`);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.every((r) => r.SYNTHETIC === 'Y' && r.YEAR_MONTH === '201804')).toBe(true);
    const bySection = new Map<string, number>();
    for (const r of rows)
      bySection.set(
        r.BNF_CODE!.slice(0, 4),
        (bySection.get(r.BNF_CODE!.slice(0, 4)) ?? 0) + Number(r.ITEMS),
      );
    const real = readCsv(path.join(samples, 'westsussex_Prescribing_201819FY.csv')).filter(
      (r) => r.Area === 'NHS Coastal West Sussex CCG' && r.date === '2018-04-01',
    );
    let realTotal = 0;
    let generatedTotal = 0;
    for (const r of real) {
      const got = bySection.get(r.BNF_Section_Code!) ?? 0;
      if (got === 0) continue; // a section the four sample practices never prescribed
      realTotal += Number(r.items);
      generatedTotal += got;
      if (Number(r.items) >= 2000)
        expect(Math.abs(got / Number(r.items) - 1), r.BNF_Section_Code).toBeLessThan(0.06);
    }
    expect(Math.abs(generatedTotal / realTotal - 1)).toBeLessThan(0.02);

    const imported = await runImport(seeded.store.db, prescribingImporter(), file, {
      actor: systemActor('test'),
      facts: seeded.facts,
    });
    expect(imported.status === 'imported' && imported.notes.join(' ')).toMatch(/synthetic/);
  });

  it('ranks every practice with a list size in a national month (no prescribing counts as 0) and compares groups among groups', async () => {
    const open = await seeded.store.db
      .selectFrom('organisation')
      .select(['id', 'code'])
      .where('type', '=', 'practice')
      .where((eb) => eb.or([eb('close_date', 'is', null), eb('close_date', '>', '2018-05-31')]))
      .execute();
    const sizes = new Map(
      (
        await latestListSizes(
          seeded.store.db,
          open.map((o) => o.id),
        )
      ).map((l) => [l.practice_id, l.patients]),
    );
    const withList = open.filter((o) => (sizes.get(o.id) ?? 0) > 0);
    // Leave out 09G's smallest practice: the month stays national (over 90% of practices) and 09G's
    // files still cover 95% of its patients.
    const group = await requireGroup(seeded.store.db, '09G', '2026-11-22');
    const members = await listMembers(seeded.store.db, group.id, '2018-05-01');
    const absent = members
      .filter((m) => (sizes.get(m.id) ?? 0) > 0)
      .sort((a, b) => sizes.get(a.id)! - sizes.get(b.id)!)[0]!;
    const generated = await generatePrescribing(seeded.store.db, seeded.facts, {
      sharedDataDir,
      outDir: path.join(dir, 'national'),
      months: ['2018-05'],
      practiceCodes: withList.map((o) => o.code).filter((c) => c !== absent.code),
    });
    const imported = await runImport(
      seeded.store.db,
      prescribingImporter(),
      generated.months[0]!.file,
      {
        actor: systemActor('test'),
        facts: seeded.facts,
      },
    );
    expect(imported.status === 'imported' && imported.notes.join(' ')).toMatch(/a national month/);
    const value = async (measure: string, practice: string) =>
      (
        await seeded.facts.all<{
          numerator: number;
          ratio: number | null;
          percentile: number | null;
        }>(
          `SELECT numerator, ratio, percentile FROM measure_value WHERE month = DATE '2018-05-01' AND measure = ? AND practice_code = ?`,
          [measure, practice],
        )
      )[0];
    // Per 1,000 patients: no prescribing is a value of 0, ranked lowest; a share of items has no value.
    expect(await value('opioids_per_1000', absent.code)).toEqual({
      numerator: 0,
      ratio: 0,
      percentile: 0,
    });
    expect((await value('trimethoprim_vs_nitrofurantoin', absent.code))!.ratio).toBeNull();

    // A group's value is the sum of its practices' numerators over the sum of their denominators.
    const stored = await seeded.facts.all<{
      group_code: string;
      numerator: number;
      denominator: number;
      ratio: number;
    }>(
      `SELECT group_code, numerator, denominator, ratio FROM measure_group_value
       WHERE month = DATE '2018-05-01' AND measure = 'lidocaine_plasters_cost_per_1000' ORDER BY group_code`,
    );
    expect(stored.map((g) => g.group_code)).toEqual(expect.arrayContaining(['09D', '09G']));
    const own = stored.find((g) => g.group_code === '09G')!;
    const [sum] = await seeded.facts.all<{ numerator: number; denominator: number }>(
      `SELECT sum(numerator) AS numerator, sum(denominator) AS denominator FROM measure_value
       WHERE month = DATE '2018-05-01' AND measure = 'lidocaine_plasters_cost_per_1000'
         AND practice_code IN (${members.map((m) => `'${m.code}'`).join(', ')})`,
    );
    expect(own.numerator).toBeCloseTo(sum!.numerator, 6);
    expect(own.denominator).toBe(sum!.denominator);
    expect(own.ratio).toBeCloseTo((1000 * sum!.numerator) / sum!.denominator, 9);
    const [groupDeciles] = await seeded.facts.all<{ compared: number; p10: number }>(
      `SELECT compared, p10 FROM measure_decile WHERE month = DATE '2018-05-01'
         AND measure = 'lidocaine_plasters_cost_per_1000' AND level = 'group'`,
    );
    expect(groupDeciles!.compared).toBe(stored.length);
    expect(groupDeciles!.p10).toBeCloseTo(
      quantile(
        stored.map((g) => g.ratio).sort((a, b) => a - b),
        0.1,
      ),
      9,
    );
    // The page ranks the group among the others and prices it at the groups' 10th percentile.
    const dashboard = await groupMeasures(seeded.store.db, seeded.facts, group, '2018-05', {
      minGroups: 2,
    });
    const lidocaine = dashboard.measures.find((m) => m.id === 'lidocaine_plasters_cost_per_1000')!;
    const others = stored.filter((g) => g.group_code !== '09G').map((g) => g.ratio);
    expect(lidocaine.latest!.comparedWith).toBe('groups');
    expect(lidocaine.latest!.groupPercentile).toBeCloseTo(
      (100 * others.filter((o) => o < lidocaine.latest!.groupValue!).length) / others.length,
      9,
    );
    const [cost] = await seeded.facts.all<{ cost: number }>(
      `SELECT sum(numerator_cost)::DOUBLE AS cost FROM measure_value WHERE month = DATE '2018-05-01'
         AND measure = 'lidocaine_plasters_cost_per_1000' AND practice_code IN (${dashboard.codes.map((c) => `'${c}'`).join(', ')})`,
    );
    const [den] = await seeded.facts.all<{ d: number }>(
      `SELECT sum(denominator) AS d FROM measure_value WHERE month = DATE '2018-05-01' AND denominator > 0
         AND measure = 'lidocaine_plasters_cost_per_1000' AND practice_code IN (${dashboard.codes.map((c) => `'${c}'`).join(', ')})`,
    );
    expect(lidocaine.latest!.savingPence).toBe(
      Math.max(0, Math.round(100 * (cost!.cost - (groupDeciles!.p10 / 1000) * den!.d))),
    );
    // With the usual threshold, two handfuls of groups are too few: the page compares with practices.
    const usual = await groupMeasures(seeded.store.db, seeded.facts, group, '2018-05');
    expect(
      usual.measures.find((m) => m.id === 'lidocaine_plasters_cost_per_1000')!.latest!.comparedWith,
    ).toBe('practices');
  });

  it('serves the dashboard, a measure, a practice and price-per-unit savings as pages, JSON and CSV, to the group only', async () => {
    const gp = new AppClient(seeded.app);
    await gp.signIn('gp.coastal@example.nhs.uk', PASSWORD);
    const json = async (url: string) => {
      const response = await gp.get(url);
      expect(response.status, url).toBe(200);
      return (await response.json()) as Record<string, unknown>;
    };
    const dashboard = (await json('/api/v1/groups/09G/prescribing?month=2018-04')) as {
      dataStatus: string;
      measures: { id: string; latest: { groupValue: number | null } }[];
    };
    expect(dashboard.dataStatus).toBe('synthetic');
    expect(dashboard.measures.length).toBeGreaterThanOrEqual(15);
    const measure = (await json(
      '/api/v1/groups/09G/prescribing/measures/ppi_cost_per_star_pu?month=2018-04',
    )) as {
      practices: { numerator: number; denominator: number; savingPence: number | null }[];
      savingTotalPence: number;
    };
    expect(measure.practices.length).toBeGreaterThan(10);
    expect(measure.savingTotalPence).toBe(
      measure.practices.reduce((s, p) => s + Math.max(0, p.savingPence ?? 0), 0),
    );
    const summary = dashboard.measures.find((m) => m.id === 'ppi_cost_per_star_pu')!;
    const num = measure.practices.reduce((s, p) => s + p.numerator, 0);
    const den = measure.practices.reduce((s, p) => s + p.denominator, 0);
    expect(summary.latest.groupValue).toBeCloseTo((1000 * num) / den, 9);
    const ppu = (await json('/api/v1/groups/09G/prescribing/price-per-unit?month=2018-04')) as {
      totalPence: number;
      rows: { saving_pence: number }[];
    };
    expect(ppu.rows.length).toBeGreaterThan(0);
    expect(ppu.totalPence).toBe(ppu.rows.reduce((s, r) => s + r.saving_pence, 0));
    const practice = (await json(
      '/api/v1/groups/09G/prescribing/practices/H82006?month=2018-04',
    )) as {
      pricePerUnit: { totalPence: number; rows: { saving_pence: number }[] };
    };
    expect(practice.pricePerUnit.totalPence).toBe(
      practice.pricePerUnit.rows.reduce((s, r) => s + r.saving_pence, 0),
    );
    for (const url of [
      '/groups/09G/prescribing',
      '/groups/09G/prescribing/measures/broad_spectrum_antibiotics',
      '/groups/09G/prescribing/practices/H82006',
      '/groups/09G/prescribing/price-per-unit',
    ]) {
      const page = await gp.get(url);
      expect(page.status, url).toBe(200);
      expect(await page.text()).toContain('Synthetic data');
    }
    for (const url of [
      '/groups/09G/prescribing/measures/broad_spectrum_antibiotics/practices.csv',
      '/groups/09G/prescribing/price-per-unit.csv',
      '/groups/09G/prescribing/practices/H82006/measures.csv',
      '/groups/09G/prescribing/practices/H82006/chapters.csv',
      '/groups/09G/prescribing/practices/H82006/price-per-unit.csv',
    ]) {
      const response = await gp.get(`${url}?month=2018-04`);
      expect(response.status, url).toBe(200);
      const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
      expect(rows.length, url).toBeGreaterThan(0);
      expect(rows[0]!.data, url).toBe('synthetic');
    }
    const csv = await gp.get('/groups/09G/prescribing/measures.csv?month=2018-04');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const csvRows = parse(await csv.text(), { columns: true }) as Record<string, string>[];
    expect(new Set(csvRows.map((r) => r.measure)).size).toBeGreaterThanOrEqual(15);
    expect(csvRows.every((r) => r.data === 'synthetic')).toBe(true);

    expect((await gp.get('/api/v1/groups/09G/prescribing?month=2018-13')).status).toBe(400);
    expect((await gp.get('/api/v1/groups/09G/prescribing?month=2020-01')).status).toBe(404);
    expect((await gp.get('/api/v1/groups/09G/prescribing/measures/nope')).status).toBe(404);
    expect((await gp.get('/api/v1/groups/09G/prescribing/practices/B85054')).status).toBe(404);
    const other = new AppClient(seeded.app);
    await other.signIn('gp.brighton@example.nhs.uk', PASSWORD);
    expect((await other.get('/api/v1/groups/09G/prescribing')).status).toBe(403);
    expect((await new AppClient(seeded.app).get('/api/v1/groups/09G/prescribing')).status).toBe(
      401,
    );
  });
});
