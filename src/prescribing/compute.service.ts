// Computes a month's measures (practices and groups, percentiles, deciles, cost savings) and price-per-unit savings, as OpenPrescribing does.
import { createHash } from 'node:crypto';
import type { Db } from '../platform/db/schema.js';
import type { FactSession, FactStore } from '../platform/facts/fact-store.js';
import { monthPractices, practiceDenominators } from './denominators.js';
import {
  filterSql,
  measures as shippedMeasures,
  numeratorSets,
  perItemSets,
  populationWeighting,
  quantityConditionSql,
  splitFilters,
  unitScale,
  type CodeSet,
  type Measure,
  type QuantityCondition,
} from './measures.js';
import { computePricePerUnit } from './price-per-unit.js';
import { genericCode } from './substitution-sets.js';

/**
 * The version of the method in this file. It changes when the same prescribing and measure files
 * would give other figures; with a digest of the measure files it marks each computed month, and a
 * month computed by another version is recomputed at start-up.
 */
export const METHOD_VERSION = 'openprescribing-2025-01.1';

/** The method a month computed now would record: this file's version and the measure definitions. */
export function methodFingerprint(measures: readonly Measure[] = shippedMeasures()): string {
  const digest = createHash('sha256').update(JSON.stringify(measures)).digest('hex').slice(0, 12);
  return `${METHOD_VERSION}+measures-${digest}`;
}

/** SQL that keeps the codes of a set: any include filter and no exclude filter. */
function codeFilter(set: CodeSet, column = 'bnf_code'): string {
  const { include, exclude } = splitFilters(set);
  const any = (filters: string[]) => filters.map((f) => filterSql(f, column)).join(' OR ');
  return `(${any(include)})${exclude.length ? ` AND NOT (${any(exclude)})` : ''}`;
}

const amount = { items: 'items', quantity: 'quantity', cost: 'cost' } as const;

/**
 * Substitution sets joined by really-equivalent formulation swaps (tablet ↔ capsule): each generic
 * code in a swap maps to the smallest generic code it is connected to.
 */
export function swapSets(pairs: readonly { code: string; alternative_code: string }[]) {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== undefined && parent.get(root) !== root)
      root = parent.get(root) as string;
    parent.set(x, root);
    return root;
  };
  for (const { code, alternative_code } of pairs) {
    const a = find(genericCode(code));
    const b = find(genericCode(alternative_code));
    if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
  }
  return [...parent.keys()].map((code) => ({ code, set: find(code) }));
}

export interface MonthComputed {
  month: string;
  practices: number;
  ranked: number;
  groups: number;
  national: boolean;
  measures: number;
  ppuSavings: number;
  seconds: number;
  summary: string;
}

/**
 * Recomputes everything derived from one month's prescribing, replacing what was there, in one
 * fact-store transaction. Method: docs/methods.md, "Prescribing measures".
 */
export async function computeMonth(
  db: Db,
  facts: FactStore,
  month: string,
  measures: readonly Measure[] = shippedMeasures(),
): Promise<MonthComputed> {
  return facts.transaction((tx) => computeMonthIn(tx, db, month, measures));
}

const temporaryTables = [
  'rx_practice',
  'rx_population',
  'rx_member',
  'rx_swap',
  'rx_codes',
  'rx_median_ppu',
  'rx_code_part',
  'rx_code_sig',
  'rx_sig_part',
  'rx_parts',
  'rx_values',
  'rx_group_values',
  'rx_set_code',
  'rx_ppu',
  'rx_target',
  'rx_set',
];

/** The same, inside a fact-store transaction already open (an import's, so that both stand or fall together). */
export async function computeMonthIn(
  tx: FactSession,
  db: Db,
  month: string,
  measures: readonly Measure[] = shippedMeasures(),
): Promise<MonthComputed> {
  const started = performance.now();
  const inFile = (
    await tx.all<{ practice_code: string }>(
      'SELECT DISTINCT practice_code FROM prescribing WHERE month = ?::DATE ORDER BY 1',
      [month],
    )
  ).map((r) => r.practice_code);
  const universe = await monthPractices(db, inFile, month);
  const codes = universe.practices.map((p) => p.code);
  const denominators = await practiceDenominators(
    db,
    codes,
    month,
    measures.flatMap((m) =>
      'population' in m.denominator ? [populationWeighting(m.denominator)] : [],
    ),
    universe.known,
  );
  const swaps = swapSets(
    await tx.all<{ code: string; alternative_code: string }>(
      'SELECT code, alternative_code FROM formulation_swap WHERE equivalent',
    ),
  );
  const detailed = new Set(
    (
      await tx.all<{ practice_code: string }>(
        'SELECT practice_code FROM prescribing_source WHERE month = ?::DATE AND per_item_detail',
        [month],
      )
    ).map((r) => r.practice_code),
  );
  await tx.run(
    'CREATE OR REPLACE TEMP TABLE rx_practice (practice_code VARCHAR, standard BOOLEAN, per_item BOOLEAN)',
  );
  await tx.append(
    'rx_practice',
    ['varchar', 'boolean', 'boolean'],
    denominators.map((d) => [d.practiceCode, d.standard, detailed.has(d.practiceCode)]),
  );
  await tx.run(
    'CREATE OR REPLACE TEMP TABLE rx_population (practice_code VARCHAR, name VARCHAR, value DOUBLE)',
  );
  await tx.append(
    'rx_population',
    ['varchar', 'varchar', 'double'],
    denominators.flatMap((d) => [
      ...(d.listSize === null ? [] : [[d.practiceCode, 'list_size', d.listSize]]),
      ...Object.entries(d.starPu).map(([name, value]) => [d.practiceCode, name, value]),
    ]),
  );
  const compared = new Set(universe.groups.map((g) => g.code));
  await tx.run(
    'CREATE OR REPLACE TEMP TABLE rx_member (group_code VARCHAR, practice_code VARCHAR)',
  );
  await tx.append(
    'rx_member',
    ['varchar', 'varchar'],
    universe.practices
      .filter((p) => p.groupCode !== null && compared.has(p.groupCode))
      .map((p) => [p.groupCode, p.code]),
  );
  await tx.run('CREATE OR REPLACE TEMP TABLE rx_swap (code VARCHAR, set_code VARCHAR)');
  await tx.append(
    'rx_swap',
    ['varchar', 'varchar'],
    swaps.map((s) => [s.code, s.set]),
  );
  await tx.run(
    'CREATE OR REPLACE TEMP TABLE rx_codes AS SELECT DISTINCT bnf_code FROM prescribing WHERE month = ?::DATE',
    [month],
  );
  await computeMeasures(tx, month, measures);
  const ppuSavings = await computePricePerUnit(tx, month);
  const ranked = denominators.filter((d) => d.standard).length;
  await tx.run('DELETE FROM prescribing_computation WHERE month = ?::DATE', [month]);
  await tx.run('INSERT INTO prescribing_computation VALUES (?::DATE, ?, ?, ?, ?, ?, now())', [
    month,
    methodFingerprint(measures),
    codes.length,
    ranked,
    universe.groups.length,
    universe.national,
  ]);
  for (const t of temporaryTables) await tx.run(`DROP TABLE IF EXISTS ${t}`);
  const seconds = (performance.now() - started) / 1000;
  return {
    month: month.slice(0, 7),
    practices: codes.length,
    ranked,
    groups: universe.groups.length,
    national: universe.national,
    measures: measures.length,
    ppuSavings,
    seconds,
    summary: `${measures.length} measures and ${ppuSavings} price-per-unit savings computed for ${month.slice(0, 7)} over ${codes.length} practices (${ranked} ranked nationally${universe.national ? ', a national month' : ''}) and ${universe.groups.length} groups in ${seconds.toFixed(1)} s`,
  };
}

/** SQL selecting each (code, measure, part) a measure counts, over the month's distinct codes. */
function codePartSql(m: Measure): string[] {
  const byCode = (set: CodeSet) => set.quantityPerItem === undefined;
  const part = (set: CodeSet, name: 'num' | 'den') =>
    `SELECT c.bnf_code, '${m.id}' AS measure, '${name}' AS part FROM rx_codes c${
      set.minMedianPricePerUnitPence === undefined
        ? ''
        : ` JOIN rx_median_ppu mp ON mp.bnf_code = c.bnf_code AND mp.median_pence >= ${set.minMedianPricePerUnitPence}`
    } WHERE ${codeFilter(set, 'c.bnf_code')}`;
  return [
    ...('codes' in m.numerator && byCode(m.numerator) ? [part(m.numerator, 'num')] : []),
    ...('codes' in m.denominator && byCode(m.denominator) ? [part(m.denominator, 'den')] : []),
  ];
}

/**
 * The parts a measure counts by quantity per item, as SQL over prescribing_quantity: an item counts
 * when its presentation and quantity meet any of the part's conditions.
 */
function perItemPartSql(m: Measure): { part: 'num' | 'den'; where: string }[] {
  const condition = (set: { codes: string[]; quantityPerItem: QuantityCondition }) =>
    `((${codeFilter({ measure: 'items', codes: set.codes })}) AND ${quantityConditionSql(set.quantityPerItem)})`;
  const parts: { part: 'num' | 'den'; where: string }[] = [];
  if ('anyOf' in m.numerator)
    parts.push({ part: 'num', where: m.numerator.anyOf.map(condition).join(' OR ') });
  if ('codes' in m.numerator && m.numerator.quantityPerItem)
    parts.push({
      part: 'num',
      where: condition({ codes: m.numerator.codes, quantityPerItem: m.numerator.quantityPerItem }),
    });
  if ('codes' in m.denominator && m.denominator.quantityPerItem)
    parts.push({
      part: 'den',
      where: condition({
        codes: m.denominator.codes,
        quantityPerItem: m.denominator.quantityPerItem,
      }),
    });
  return parts;
}

/** The sets whose codes must pass a median price test this month, as one SQL filter (or none). */
function medianPriceFilter(measures: readonly Measure[]): string | undefined {
  const sets = measures
    .flatMap((m) => numeratorSets(m, measures))
    .filter((s) => s.minMedianPricePerUnitPence !== undefined);
  return sets.length ? sets.map((s) => `(${codeFilter(s)})`).join(' OR ') : undefined;
}

async function computeMeasures(tx: FactSession, month: string, measures: readonly Measure[]) {
  // The median price per unit over the month's practices of the presentations a measure tests.
  const priced = medianPriceFilter(measures);
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_median_ppu AS
     SELECT bnf_code, quantile_cont(100 * nic::DOUBLE / quantity, 0.5) AS median_pence
     FROM prescribing WHERE month = ?::DATE AND quantity > 0 AND (${priced ?? 'false'})
     GROUP BY bnf_code`,
    [month],
  );
  // Filters are matched once against the month's distinct codes (tens of thousands), not its rows.
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_code_part AS ${measures.flatMap((m) => codePartSql(m)).join(' UNION ALL ')}`,
  );
  // Codes counted by exactly the same parts share a signature, so that the month's rows (ten million
  // nationally) are summed once per practice and signature, never once per measure they count in.
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_code_sig AS
     SELECT bnf_code, string_agg(measure || '|' || part, ',' ORDER BY measure, part) AS sig
     FROM rx_code_part GROUP BY bnf_code`,
  );
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_sig_part AS
     SELECT DISTINCT s.sig, cp.measure, cp.part FROM rx_code_sig s JOIN rx_code_part cp USING (bnf_code)`,
  );
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_parts AS
     WITH by_sig AS (
       SELECT p.practice_code, s.sig, sum(p.items)::DOUBLE AS items, sum(p.quantity) AS quantity,
         sum(p.actual_cost) AS cost
       FROM prescribing p JOIN rx_code_sig s ON s.bnf_code = p.bnf_code
       WHERE p.month = ?::DATE GROUP BY ALL)
     SELECT sp.measure, sp.part, b.practice_code, sum(b.items) AS items, sum(b.quantity) AS quantity,
       sum(b.cost) AS cost
     FROM by_sig b JOIN rx_sig_part sp ON sp.sig = b.sig GROUP BY ALL`,
    [month],
  );
  // Parts counted by quantity per item come from the rows kept apart by it (they hold no cost).
  for (const m of measures)
    for (const { part, where } of perItemPartSql(m))
      await tx.run(
        `INSERT INTO rx_parts
         SELECT '${m.id}', '${part}', practice_code, sum(items)::DOUBLE, sum(quantity), 0
         FROM prescribing_quantity WHERE month = ?::DATE AND (${where}) GROUP BY practice_code`,
        [month],
      );
  // A sum of measures adds up its parts' numerators (a code in two of them counts twice, as there).
  for (const m of measures.filter((x) => 'sumOf' in x.numerator)) {
    const parts = (m.numerator as { sumOf: string[] }).sumOf.map((id) => `'${id}'`).join(', ');
    await tx.run(
      `INSERT INTO rx_parts
       SELECT '${m.id}', 'num', practice_code, sum(items), sum(quantity), sum(cost)
       FROM rx_parts WHERE part = 'num' AND measure IN (${parts}) GROUP BY practice_code`,
    );
  }
  const values = measures.map((m) => {
    const denominator =
      'codes' in m.denominator
        ? `coalesce(den.${amount[m.denominator.measure]}, 0)`
        : `coalesce(pop.value, 0)`;
    const denominatorJoin =
      'population' in m.denominator
        ? `LEFT JOIN rx_population pop ON pop.practice_code = r.practice_code AND pop.name = '${populationWeighting(m.denominator)}'`
        : `LEFT JOIN rx_parts den ON den.measure = '${m.id}' AND den.part = 'den' AND den.practice_code = r.practice_code`;
    return `SELECT '${m.id}' AS measure, r.practice_code, r.standard, ${perItemSets(m).length ? 'r.per_item' : 'true'} AS countable,
        coalesce(num.${amount[m.numerator.measure]}, 0)::DOUBLE AS numerator,
        ${denominator}::DOUBLE AS denominator,
        coalesce(num.cost, 0)::DECIMAL(18, 5) AS numerator_cost,
        ${m.costBased} AS cost_based, ${unitScale(m)}::DOUBLE AS scale
      FROM rx_practice r
      LEFT JOIN rx_parts num ON num.measure = '${m.id}' AND num.part = 'num' AND num.practice_code = r.practice_code
      ${denominatorJoin}`;
  });
  // A missing numerator or denominator is zero prescribing; no denominator gives no value; a practice
  // whose month came without quantities per item has none on a measure that needs them.
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_values AS
     SELECT * REPLACE (CASE WHEN countable THEN denominator ELSE 0 END AS denominator),
       CASE WHEN countable AND denominator > 0 THEN scale * numerator / denominator END AS ratio
     FROM (${values.join(' UNION ALL ')})`,
  );
  // A group's value is the sum of its practices' numerators ÷ the sum of their denominators.
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_group_values AS
     SELECT v.measure, m.group_code, count(*)::INTEGER AS practices, sum(v.numerator) AS numerator,
       sum(v.denominator) AS denominator, sum(v.numerator_cost)::DECIMAL(18, 5) AS numerator_cost,
       any_value(v.cost_based) AS cost_based, any_value(v.scale) AS scale,
       CASE WHEN sum(v.denominator) > 0 THEN any_value(v.scale) * sum(v.numerator) / sum(v.denominator) END AS ratio
     FROM rx_values v JOIN rx_member m ON m.practice_code = v.practice_code GROUP BY v.measure, m.group_code`,
  );
  for (const table of ['measure_value', 'measure_decile', 'measure_group_value'])
    await tx.run(`DELETE FROM ${table} WHERE month = ?::DATE`, [month]);
  // Deciles by linear interpolation over standard practices, and over groups, with a value.
  const deciles = (level: string, from: string) =>
    `INSERT INTO measure_decile
     SELECT measure, ?::DATE, '${level}', n, q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9]
     FROM (SELECT measure, count(*) AS n, quantile_cont(ratio, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) AS q
           FROM ${from} GROUP BY measure)`;
  await tx.run(deciles('practice', 'rx_values WHERE standard AND ratio IS NOT NULL'), [month]);
  await tx.run(deciles('group', 'rx_group_values WHERE ratio IS NOT NULL'), [month]);
  // Cost saving at the 10th percentile: what the numerator would be at it, less what it is.
  const saving = (alias: string) =>
    `CASE WHEN ${alias}.cost_based AND d.p10 IS NOT NULL AND ${alias}.ratio IS NOT NULL THEN
       round(100 * (${alias}.numerator_cost::DOUBLE - d.p10 / ${alias}.scale * ${alias}.denominator))::BIGINT END`;
  await tx.run(
    `INSERT INTO measure_value
     SELECT v.measure, ?::DATE, v.practice_code, v.numerator, v.denominator, v.numerator_cost, v.ratio,
       CASE WHEN v.standard AND v.ratio IS NOT NULL THEN
         100 * percent_rank() OVER (PARTITION BY v.measure, v.standard AND v.ratio IS NOT NULL ORDER BY v.ratio) END,
       ${saving('v')}
     FROM rx_values v LEFT JOIN measure_decile d ON d.measure = v.measure AND d.month = ?::DATE AND d.level = 'practice'`,
    [month, month],
  );
  await tx.run(
    `INSERT INTO measure_group_value
     SELECT g.measure, ?::DATE, g.group_code, g.practices, g.numerator, g.denominator, g.numerator_cost, g.ratio,
       CASE WHEN g.ratio IS NOT NULL THEN
         100 * percent_rank() OVER (PARTITION BY g.measure, g.ratio IS NOT NULL ORDER BY g.ratio) END,
       ${saving('g')}
     FROM rx_group_values g LEFT JOIN measure_decile d ON d.measure = g.measure AND d.month = ?::DATE AND d.level = 'group'`,
    [month, month],
  );
}

/**
 * Months whose figures were computed by another method version or other measure definitions (or
 * never): after an upgrade these are recomputed, so that no page shows figures of a method that is
 * no longer the one described.
 */
export async function staleMonths(facts: FactStore): Promise<string[]> {
  const rows = await facts.all<{ month: string }>(
    `SELECT DISTINCT strftime(p.month, '%Y-%m-%d') AS month FROM prescribing_source p
     LEFT JOIN prescribing_computation c ON c.month = p.month
     WHERE c.method IS DISTINCT FROM ? ORDER BY 1`,
    [methodFingerprint()],
  );
  return rows.map((r) => r.month);
}

/** Recomputes every stale month, one at a time, reporting each. */
export async function recomputeStaleMonths(
  db: Db,
  facts: FactStore,
  onMonth: (computed: MonthComputed) => void = () => undefined,
): Promise<number> {
  const months = await staleMonths(facts);
  for (const month of months) onMonth(await computeMonth(db, facts, month));
  return months.length;
}
