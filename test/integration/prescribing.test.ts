// Prescribing end to end on the real EPD samples: import, bad input, measures, percentiles, price-per-unit savings.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/platform/audit/audit.service.js';
import { ImportError } from '../../src/platform/errors.js';
import { runImport } from '../../src/platform/imports/import-runner.js';
import { genericCode } from '../../src/prescribing/compute.service.js';
import { findMeasure, unitScale, type CodeSet } from '../../src/prescribing/measures.js';
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

const like = (pattern: string) =>
  new RegExp(`^${pattern.replaceAll('%', '.*').replaceAll('_', '.')}$`);
const inSet = (set: CodeSet) => (code: string) =>
  set.bnf.some((p) => like(p).test(code)) && !set.exclude.some((p) => like(p).test(code));

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
    expect((await importFile('unknown-code.csv', lines)).status).toBe('unchanged');
  });

  it('computes each practice’s measure from the file’s own rows, with national percentiles and deciles', async () => {
    const measure = findMeasure('broad_spectrum_antibiotics')!;
    const num = inSet(measure.numerator);
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
      `SELECT practices, p10, p50, p90 FROM measure_decile
       WHERE measure = 'broad_spectrum_antibiotics' AND month = DATE '2017-09-01'`,
    );
    expect(deciles!.practices).toBe(4);
    expect(deciles!.p10).toBeCloseTo(quantile(ratios, 0.1), 10);
    expect(deciles!.p50).toBeCloseTo(quantile(ratios, 0.5), 10);
    expect(deciles!.p90).toBeCloseTo(quantile(ratios, 0.9), 10);
    expect(unitScale(measure)).toBe(100);
  });

  it('prices cost measures at the 10th percentile and each presentation against its set’s 10th percentile', async () => {
    const costs = await seeded.facts.all<{
      numerator: number;
      denominator: number;
      saving_pence: number;
      p10: number;
    }>(
      `SELECT v.numerator, v.denominator, v.saving_pence, d.p10 FROM measure_value v
       JOIN measure_decile d USING (measure, month)
       WHERE v.measure = 'ppi_cost_per_star_pu' AND v.month = DATE '2017-09-01'`,
    );
    expect(costs).toHaveLength(4);
    for (const c of costs)
      expect(c.saving_pence).toBe(Math.round(100 * (c.numerator - (c.p10 / 1000) * c.denominator)));

    // One substitution set by hand: every practice's price per unit of each presentation in it.
    const [set] = await seeded.facts.all<{ set_code: string }>(
      `SELECT set_code FROM ppu_saving WHERE month = DATE '2017-09-01' GROUP BY 1 ORDER BY sum(saving_pence) DESC LIMIT 1`,
    );
    const rows = new Map<string, { nic: number; quantity: number }>();
    for (const r of september) {
      if (genericCode(r.BNF_CODE!) !== set!.set_code) continue;
      const key = `${r.PRACTICE_CODE} ${r.BNF_CODE}`;
      const v = rows.get(key) ?? { nic: 0, quantity: 0 };
      v.nic += Number(r.NIC);
      v.quantity += Number(r.TOTAL_QUANTITY);
      rows.set(key, v);
    }
    const target = quantile(
      [...rows.values()].map((v) => v.nic / v.quantity).sort((a, b) => a - b),
      0.1,
    );
    const stored = await seeded.facts.all<{
      practice_code: string;
      bnf_code: string;
      saving_pence: number;
      target_price_per_unit: number;
    }>(
      `SELECT practice_code, bnf_code, saving_pence, target_price_per_unit FROM ppu_saving
       WHERE month = DATE '2017-09-01' AND set_code = ?`,
      [set!.set_code],
    );
    expect(stored.length).toBeGreaterThan(0);
    for (const s of stored) {
      expect(s.target_price_per_unit).toBeCloseTo(target, 10);
      const v = rows.get(`${s.practice_code} ${s.bnf_code}`)!;
      expect(s.saving_pence).toBe(Math.round(100 * (v.nic - v.quantity * target)));
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
