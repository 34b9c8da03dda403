// Flock against OpenPrescribing on the real four-practice EPD sample (September 2017), imported through the CLI.
//
// The expected values are computed here, from the file's rows, by a plain implementation of
// OpenPrescribing's published definitions and price-per-unit method — not by Flock's code. For
// measures defined by BNF codes the code filters come from OpenPrescribing's definition files
// (test/fixtures/openprescribing-measures.json, copied as published); where OpenPrescribing selects
// presentations through dm+d, the codes are the measure file's (checked against BNF names by
// src/prescribing/selection-rules.test.ts).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/app/config.js';
import { openFactStore, sqlTextList } from '../../src/platform/facts/fact-store.js';
import { practiceSetSavingSql } from '../../src/prescribing/price-per-unit.js';
import { subsetData } from '../support/seeded.js';
import { sharedDataDir } from '../support/subset-data.js';

const run = promisify(execFile);
const MONTH = '2017-09';
const samples = path.join(sharedDataDir, 'prescribing-samples');
const readCsv = (file: string) =>
  parse(readFileSync(file), { columns: true, bom: true }) as Record<string, string>[];

interface OpDefinition {
  id: string;
  flockId: string;
  is_percentage: boolean;
  is_cost_based: boolean;
  numerator_type: string;
  denominator_type: string;
  numerator_bnf_codes_filter?: string[];
  denominator_bnf_codes_filter?: string[];
  /** For custom numerators and denominators: OpenPrescribing's SQL columns, e.g. "SUM(p.items) AS numerator". */
  numerator_columns?: string;
  denominator_columns?: string;
  numerator_where?: string;
}
const fixture = JSON.parse(
  readFileSync(path.join(projectRoot, 'test/fixtures/openprescribing-measures.json'), 'utf8'),
) as { measures: OpDefinition[] };
const measureFile = (id: string) =>
  JSON.parse(readFileSync(path.join(projectRoot, 'measures', `${id}.json`), 'utf8')) as {
    numerator: { codes?: string[]; sumOf?: string[]; minMedianPricePerUnitPence?: number };
    denominator: { codes?: string[] };
  };

// ---- OpenPrescribing's code filters (frontend/management/commands/import_measures.py) -----------
/** One filter as a test: % is any run; a full-length code matches exactly; anything else is a prefix. */
function filterMatches(raw: string): (code: string) => boolean {
  const filter = raw.split('#')[0]!.trim();
  const full = filter.slice(0, 2) <= '19' ? 15 : 11;
  if (filter.includes('%')) {
    const re = new RegExp(`^${filter.split('%').join('.*')}$`);
    return (code) => re.test(code);
  }
  if (filter.length === full) return (code) => code === filter;
  return (code) => code.startsWith(filter);
}
function codeSet(filters: readonly string[]): (code: string) => boolean {
  const includes = filters.filter((f) => !f.trim().startsWith('~')).map(filterMatches);
  const excludes = filters
    .filter((f) => f.trim().startsWith('~'))
    .map((f) => filterMatches(f.trim().slice(1)));
  return (code) => includes.some((t) => t(code)) && !excludes.some((t) => t(code));
}

// ---- the sample, summed by practice and presentation as OpenPrescribing's prescribing table is ----
const rows = readCsv(path.join(samples, 'epd_201709_4practices.csv'));
interface Cell {
  items: number;
  quantity: number;
  actualCost: number;
  netCostPence: number;
}
const byPracticeCode = new Map<string, Map<string, Cell>>();
for (const r of rows) {
  const practice = r.PRACTICE_CODE!;
  const codes = byPracticeCode.get(practice) ?? new Map<string, Cell>();
  const c = codes.get(r.BNF_CODE!) ?? { items: 0, quantity: 0, actualCost: 0, netCostPence: 0 };
  c.items += Number(r.ITEMS);
  c.quantity += Number(r.TOTAL_QUANTITY);
  c.actualCost += Number(r.ACTUAL_COST);
  c.netCostPence += Math.round(Number(r.NIC) * 100);
  codes.set(r.BNF_CODE!, c);
  byPracticeCode.set(practice, codes);
}
const practices = [...byPracticeCode.keys()].sort();

/**
 * OpenPrescribing's measures over raw prescribing (one row per quantity per item), their conditions
 * transcribed from the where clauses in the fixture: each code filter with the quantity an item must
 * exceed (or equal). Where the codes came from dm+d, the measure file's list stands for them.
 */
const perItem: Record<
  string,
  { filters: 'measure file' | string[]; above?: number; equals?: number }[]
> = {
  amox_500_15_caps: [{ filters: ['0501013B0%AB'], above: 15 }],
  doxy_100_6_qty: [{ filters: ['0501030I0%AB', '0501030Z0%AB'], above: 6 }],
  uti_antibiotics_3_day: [
    { filters: ['0501015P0%AB'], above: 10 },
    { filters: ['0501080W0%AE'], above: 6 },
    { filters: ['0501130R0%AA'], above: 12 },
    { filters: ['0501130R0%AD'], above: 12 },
    { filters: ['0501130R0%AG'], above: 6 },
    { filters: ['0501070AE%AD'], above: 1 },
  ],
  seven_day_prescribing: [{ filters: 'measure file', equals: 7 }],
  excess_pens: [{ filters: 'measure file', above: 3 }],
};
/** Denominators of those measures where the code filters are not in the fixture. */
const perItemDenominators: Record<string, string[]> = {
  amox_500_15_caps: ['0501013B0%AB'],
  doxy_100_6_qty: ['0501030I0%AB', '0501030Z0%AB'],
  uti_antibiotics_3_day: [
    '0501015P0%AB',
    '0501080W0%AE',
    '0501130R0%AA',
    '0501130R0%AD',
    '0501130R0%AG',
    '0501070AE%AD',
  ],
};
/** List sizes from the registered-patient file of the month (the ALL / ALL row). */
const listSize = new Map(
  readCsv(
    path.join(
      sharedDataDir,
      'gp-registered-patients-age-sex/sample_2017_09_gp-reg-pat-prac-quin-age.csv',
    ),
  )
    .filter((r) => r.SEX === 'ALL' && r.AGE_GROUP_5 === 'ALL')
    .map((r) => [r.ORG_CODE!, Number(r.NUMBER_OF_PATIENTS)]),
);

const amountOf = (type: string, c: Cell) =>
  type === 'bnf_items' ? c.items : type === 'bnf_quantity' ? c.quantity : c.actualCost;
/** A custom column's amount as a standard type: SUM(items) → bnf_items, and so on (the omnibus sums costs). */
function typeOf(type: string, columns: string | undefined): string {
  if (type !== 'custom') return type;
  if (/SUM\((p\.)?items\)/.test(columns ?? '')) return 'bnf_items';
  if (/SUM\((p\.)?quantity\)/.test(columns ?? '')) return 'bnf_quantity';
  return 'bnf_cost';
}

/** The median over practices of each presentation's net cost ÷ quantity, in pence (vw__median_price_per_unit). */
function medianPricePence(code: string): number | undefined {
  const prices = practices
    .map((p) => byPracticeCode.get(p)!.get(code))
    .filter((c): c is Cell => c !== undefined && c.quantity > 0)
    .map((c) => c.netCostPence / c.quantity)
    .sort((a, b) => a - b);
  return prices.length ? quantile(prices, 0.5) : undefined;
}

/** Linear interpolation between order statistics (BigQuery's PERCENTILE_CONT, numpy's default). */
function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

interface Expected {
  practice: string;
  numerator: number;
  denominator: number;
  value: number | null;
}

/** One measure's numerator and denominator for each practice, as practice_ratios.sql computes them. */
function expectedValues(def: OpDefinition): Expected[] {
  const file = measureFile(def.flockId);
  if (perItem[def.id]) return expectedPerItem(def, file);
  const partSets = (filters: readonly string[], minMedian?: number) => {
    const inSet = codeSet(filters);
    return (code: string) =>
      inSet(code) && (minMedian === undefined || (medianPricePence(code) ?? 0) >= minMedian);
  };
  // The omnibus adds up the 24 low-priority measures' numerators.
  const numeratorParts: ((code: string) => boolean)[] = file.numerator.sumOf
    ? file.numerator.sumOf.map((id) => {
        const part = fixture.measures.find((m) => m.flockId === id);
        const own = measureFile(id).numerator;
        return partSets(
          part?.numerator_bnf_codes_filter ?? own.codes!,
          own.minMedianPricePerUnitPence,
        );
      })
    : [
        partSets(
          def.numerator_bnf_codes_filter ?? file.numerator.codes!,
          file.numerator.minMedianPricePerUnitPence,
        ),
      ];
  const numeratorType = typeOf(def.numerator_type, def.numerator_columns);
  const denominatorType = typeOf(def.denominator_type, def.denominator_columns);
  const denominatorSet =
    def.denominator_type === 'list_size' || def.id === 'lpzomnibus'
      ? undefined
      : codeSet(def.denominator_bnf_codes_filter ?? file.denominator.codes!);
  return practices.map((practice) => {
    const cells = [...byPracticeCode.get(practice)!];
    const numerator = numeratorParts.reduce(
      (sum, inPart) =>
        sum +
        cells
          .filter(([code]) => inPart(code))
          .reduce((s, [, c]) => s + amountOf(numeratorType, c), 0),
      0,
    );
    // list_size denominators are SUM(total_list_size / 1000.0): values per 1,000 patients.
    const denominator = denominatorSet
      ? cells
          .filter(([code]) => denominatorSet(code))
          .reduce((s, [, c]) => s + amountOf(denominatorType, c), 0)
      : listSize.get(practice)! / 1000;
    const ratio = denominator > 0 ? numerator / denominator : null;
    return {
      practice,
      numerator,
      denominator,
      // Flock shows a percentage as 0–100 where OpenPrescribing stores 0–1.
      value: ratio === null ? null : def.is_percentage ? 100 * ratio : ratio,
    };
  });
}

/** A measure over raw rows: items (or total quantity) of rows whose quantity per item meets a condition. */
function expectedPerItem(def: OpDefinition, file: ReturnType<typeof measureFile>): Expected[] {
  const conditions = perItem[def.id]!.map((c) => ({
    inSet: codeSet(c.filters === 'measure file' ? file.numerator.codes! : c.filters),
    meets: (q: number) => (c.above !== undefined ? q > c.above : q === c.equals),
  }));
  const amount = /total_quantity/.test(def.numerator_columns ?? '') ? 'TOTAL_QUANTITY' : 'ITEMS';
  const denominatorSet = codeSet(perItemDenominators[def.id] ?? file.denominator.codes!);
  return practices.map((practice) => {
    const own = rows.filter((r) => r.PRACTICE_CODE === practice);
    const numerator = own
      .filter((r) => conditions.some((c) => c.inSet(r.BNF_CODE!) && c.meets(Number(r.QUANTITY))))
      .reduce((sum, r) => sum + Number(r[amount]), 0);
    const denominator = own
      .filter((r) => denominatorSet(r.BNF_CODE!))
      .reduce((sum, r) => sum + Number(r[amount]), 0);
    return {
      practice,
      numerator,
      denominator,
      value: denominator > 0 ? (100 * numerator) / denominator : null,
    };
  });
}

// ---- price per unit (frontend/price_per_unit/substitution_sets.py and savings.py) -----------------
const EXCLUSIONS = new RegExp(
  '^(0302000C0....BE|0302000C0....BF|0302000C0....BH|0302000C0....BG|0904010H0.*|1311070S0....AA|' +
    '1311020L0....BS|0913011C0......|0301020S0....AA|190700000BBCJA0|0604011L0BGAAAH|1502010J0....BY|' +
    '1201010F0AAAAAA|0107010S0AAAGAG|060016000BBAAA0|190201000AABJBJ|190201000AABKBK|190201000AABLBL|' +
    '190201000AABMBM|190201000AABNBN|190202000AAADAD|190700000AABABA)',
);
const POOLED = new Set(['0601060U0', '0601060D0']);
function generic(code: string): string | undefined {
  if (code.length !== 15 || EXCLUSIONS.test(code)) return undefined;
  const chemical = code.slice(0, 9);
  const strength = code.slice(13, 15);
  if (strength === 'A0' && !POOLED.has(chemical)) return undefined;
  return `${chemical}AA${strength}${strength}`;
}
/** Groups of really-equivalent generics, each mapped to its smallest code. */
function formulationSwaps(): Map<string, string> {
  const swaps = readCsv(path.join(sharedDataDir, 'prescribing-units/formulation_swaps.csv')).filter(
    (r) => r['Really equivalent?']!.trim() === 'Y',
  );
  const groups = new Map<string, string[]>();
  for (const r of swaps) {
    const a = r.Code!.trim();
    const b = r['Alternative code']!.trim();
    const ga = groups.get(a) ?? [a];
    const gb = groups.get(b) ?? [b];
    if (ga !== gb) {
      ga.push(...gb);
      for (const m of gb) groups.set(m, ga);
    }
    groups.set(a, ga);
  }
  const primary = new Map<string, string>();
  for (const [code, group] of groups) primary.set(code, [...group].sort()[0]!);
  return primary;
}

/** Every practice × set saving in pence (before rounding), as get_savings does. */
function expectedSavings(): Map<string, number> {
  const swap = formulationSwaps();
  const totals = new Map<string, { q: number; n: number }>();
  for (const [practice, codes] of byPracticeCode)
    for (const [code, c] of codes) {
      const g = generic(code);
      if (g === undefined) continue;
      const set = swap.get(g) ?? g;
      const key = `${practice}|${set}`;
      const t = totals.get(key) ?? { q: 0, n: 0 };
      t.q += c.quantity;
      t.n += c.netCostPence;
      totals.set(key, t);
    }
  const sets = new Set([...totals.keys()].map((k) => k.split('|')[1]!));
  const savings = new Map<string, number>();
  for (const set of sets) {
    // nanpercentile over the standard practices' prices: no quantity and no cost is no price.
    const prices = practices
      .map((p) => totals.get(`${p}|${set}`))
      .filter((t): t is { q: number; n: number } => t !== undefined && (t.q > 0 || t.n > 0))
      .map((t) => (t.q > 0 ? t.n / t.q : Infinity))
      .sort((a, b) => a - b);
    if (!prices.length) continue;
    const target = quantile(prices, 0.1);
    if (!Number.isFinite(target)) continue;
    for (const p of practices) {
      const t = totals.get(`${p}|${set}`);
      if (!t) continue;
      const saving = Math.max(0, t.n - t.q * target);
      if (saving > 0) savings.set(`${p}|${set}`, saving);
    }
  }
  return savings;
}

// ---- Flock, through its command line --------------------------------------------------------------
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flock-reference-'));
const env = { ...process.env, FLOCK_DATA_DIR: dataDir, DATABASE_URL: '', FLOCK_DEMO: 'false' };
const flock = (args: string[]) =>
  run(process.execPath, [path.join(projectRoot, 'bin/flock.js'), ...args], {
    env,
    cwd: projectRoot,
  });

describe('prescribing figures against OpenPrescribing’s definitions, on the real September 2017 sample', () => {
  let stored: {
    measure: string;
    practice_code: string;
    numerator: number;
    denominator: number;
    ratio: number | null;
    percentile: number | null;
    saving_pence: number | null;
  }[];
  /** The practices' savings of £10 or more, as stored at import. */
  let ppu: { practice_code: string; set_code: string; saving_pence: number }[];
  /** Every practice × set saving, as a group's figures add them up on request. */
  let everySaving: { practice_code: string; set_code: string; saving_pence: number }[];
  beforeAll(async () => {
    const subset = subsetData();
    for (const [kind, file] of [
      ['ods-practices', path.join(subset, 'practice-org-mapping/epraccur.csv')],
      [
        'registered-patients',
        path.join(
          subset,
          'gp-registered-patients-age-sex/sample_2017_09_gp-reg-pat-prac-quin-age.csv',
        ),
      ],
      ['bnf-codes', path.join(subset, 'bnf-codes/BNF_Code_Information_2020-01.csv')],
      ['formulation-swaps', path.join(sharedDataDir, 'prescribing-units/formulation_swaps.csv')],
      ['prescribing', path.join(samples, 'epd_201709_4practices.csv')],
    ] as const) {
      const { stdout } = await flock(['import', kind, file]);
      expect(stdout).toMatch(/imported as/);
    }
    const facts = await openFactStore({ dataDir });
    try {
      stored = await facts.all(
        `SELECT measure, practice_code, numerator, denominator, ratio, percentile, saving_pence
         FROM measure_value WHERE month = DATE '${MONTH}-01'`,
      );
      ppu = await facts.all(
        `SELECT practice_code, set_code, saving_pence FROM ppu_saving WHERE month = DATE '${MONTH}-01'`,
      );
      everySaving = await facts.all(practiceSetSavingSql(sqlTextList(practices)), [`${MONTH}-01`]);
    } finally {
      facts.close();
    }
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('gives OpenPrescribing’s value for every adopted measure at every practice', () => {
    expect(fixture.measures.length).toBeGreaterThanOrEqual(50);
    // The sample exercises the measures: most have prescribing at some practice, the per-item ones too.
    const counted = fixture.measures.filter((d) => expectedValues(d).some((e) => e.numerator > 0));
    expect(counted.length).toBeGreaterThanOrEqual(35);
    for (const id of ['amox_500_15_caps', 'uti_antibiotics_3_day', 'seven_day_prescribing'])
      expect(counted.map((d) => d.id)).toContain(id);
    for (const def of fixture.measures) {
      const expected = expectedValues(def);
      for (const e of expected) {
        const got = stored.find((s) => s.measure === def.flockId && s.practice_code === e.practice);
        const label = `${def.id} (${def.flockId}) at ${e.practice}`;
        expect(got, label).toBeDefined();
        expect(got!.numerator, label).toBeCloseTo(e.numerator, 6);
        // Flock keeps list sizes whole; OpenPrescribing's denominator is the list ÷ 1,000.
        const denominator =
          def.denominator_type === 'list_size' || def.id === 'lpzomnibus'
            ? got!.denominator / 1000
            : got!.denominator;
        expect(denominator, label).toBeCloseTo(e.denominator, 6);
        if (e.value === null) expect(got!.ratio, label).toBeNull();
        else expect(got!.ratio, label).toBeCloseTo(e.value, 9);
      }
      // Percent rank among the practices with a value (practice_percent_rank.sql).
      const ranked = expected.filter((e) => e.value !== null);
      for (const e of ranked) {
        const below = ranked.filter((o) => o.value! < e.value!).length;
        const got = stored.find(
          (s) => s.measure === def.flockId && s.practice_code === e.practice,
        )!;
        expect(got.percentile, `${def.id} percentile at ${e.practice}`).toBeCloseTo(
          ranked.length > 1 ? (100 * below) / (ranked.length - 1) : 0,
          9,
        );
      }
      // Cost savings at the practices' 10th percentile (practice_list_size_measure_cost_savings.sql).
      if (def.is_cost_based) {
        const p10 = quantile(
          ranked.map((e) => e.value!).sort((a, b) => a - b),
          0.1,
        );
        for (const e of ranked) {
          const got = stored.find(
            (s) => s.measure === def.flockId && s.practice_code === e.practice,
          )!;
          expect(got.saving_pence, `${def.id} saving at ${e.practice}`).toBe(
            Math.round(100 * (e.numerator - p10 * e.denominator)),
          );
        }
      }
    }
  });

  it('reproduces the issue’s two reference values', () => {
    const trimethoprim = stored.find(
      (s) => s.measure === 'trimethoprim_vs_nitrofurantoin' && s.practice_code === 'B85010',
    )!;
    expect([trimethoprim.numerator, trimethoprim.denominator]).toEqual([35, 68]);
    expect(trimethoprim.ratio!.toFixed(2)).toBe('51.47');
    const b85010 = ppu
      .filter((r) => r.practice_code === 'B85010' && r.saving_pence >= 1000)
      .reduce((s, r) => s + r.saving_pence, 0);
    expect(b85010).toBe(211921);
  });

  it('prices every practice and substitution set as OpenPrescribing does, to the penny', () => {
    const expected = expectedSavings();
    const got = new Map(
      everySaving
        .filter((r) => r.saving_pence >= 1)
        .map((r) => [`${r.practice_code}|${r.set_code}`, r.saving_pence]),
    );
    const expectedPence = new Map(
      [...expected].map(([k, v]): [string, number] => [k, Math.round(v)]).filter(([, v]) => v >= 1),
    );
    // What the import stores is the savings of £10 or more among them.
    expect(new Map(ppu.map((r) => [`${r.practice_code}|${r.set_code}`, r.saving_pence]))).toEqual(
      new Map([...got].filter(([, v]) => v >= 1000)),
    );
    const missing = [...expectedPence.keys()].filter((k) => !got.has(k));
    const extra = [...got.keys()].filter((k) => !expectedPence.has(k));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    for (const [key, pence] of expectedPence) expect(got.get(key), key).toBe(pence);
    // Each practice's total (sets of £10 or more, as OpenPrescribing shows a practice) is within a
    // penny a set of OpenPrescribing's unrounded total.
    for (const p of practices) {
      const mine = [...got].filter(([k, v]) => k.startsWith(`${p}|`) && v >= 1000);
      const theirs = [...expected].filter(([k, v]) => k.startsWith(`${p}|`) && v >= 1000);
      expect(mine.length, p).toBe(theirs.length);
      const total = theirs.reduce((s, [, v]) => s + v, 0);
      expect(Math.abs(mine.reduce((s, [, v]) => s + v, 0) - total), p).toBeLessThanOrEqual(
        mine.length / 2,
      );
    }
  });
});
