// Computes a month's measures (values, national percentiles and deciles, cost savings) and price-per-unit savings.
import type { Db } from '../platform/db/schema.js';
import type { FactSession, FactStore } from '../platform/facts/fact-store.js';
import { practiceDenominators } from './denominators.js';
import {
  measures as shippedMeasures,
  populationWeighting,
  unitScale,
  type CodeSet,
  type Measure,
} from './measures.js';

/** The smallest price-per-unit saving kept for a practice and presentation: £10. */
export const MIN_PRACTICE_SAVING_PENCE = 1000;

const likeAny = (patterns: readonly string[]) =>
  patterns.map((p) => `bnf_code LIKE '${p}'`).join(' OR ') || 'false';

/** SQL that keeps the codes of a set: any include pattern and no exclude pattern. */
const codeFilter = (set: CodeSet) =>
  `(${likeAny(set.bnf)})${set.exclude.length ? ` AND NOT (${likeAny(set.exclude)})` : ''}`;

const amount = { items: 'items', quantity: 'quantity', cost: 'cost' } as const;

/** The generic presentation a BNF code is equivalent to: chemical + 'AA' + equivalent strength twice. */
export const genericCodeSql = (column: string) =>
  `substr(${column}, 1, 9) || 'AA' || substr(${column}, 14, 2) || substr(${column}, 14, 2)`;

export function genericCode(code: string): string {
  return code.length === 15 ? `${code.slice(0, 9)}AA${code.slice(13)}${code.slice(13)}` : code;
}

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

/** The same, inside a fact-store transaction already open (an import's, so that both stand or fall together). */
export async function computeMonthIn(
  tx: FactSession,
  db: Db,
  month: string,
  measures: readonly Measure[] = shippedMeasures(),
): Promise<MonthComputed> {
  const started = performance.now();
  const codes = (
    await tx.all<{ practice_code: string }>(
      'SELECT DISTINCT practice_code FROM prescribing WHERE month = ?::DATE ORDER BY 1',
      [month],
    )
  ).map((r) => r.practice_code);
  const denominators = await practiceDenominators(db, codes, month);
  const swaps = swapSets(
    await tx.all<{ code: string; alternative_code: string }>(
      'SELECT code, alternative_code FROM formulation_swap WHERE equivalent',
    ),
  );
  await tx.run(
    'CREATE OR REPLACE TEMP TABLE rx_practice (practice_code VARCHAR, standard BOOLEAN)',
  );
  await tx.append(
    'rx_practice',
    ['varchar', 'boolean'],
    denominators.map((d) => [d.practiceCode, d.standard]),
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
  await tx.run('CREATE OR REPLACE TEMP TABLE rx_swap (code VARCHAR, set_code VARCHAR)');
  await tx.append(
    'rx_swap',
    ['varchar', 'varchar'],
    swaps.map((s) => [s.code, s.set]),
  );
  await computeMeasures(tx, month, measures);
  const ppuSavings = await computePricePerUnit(tx, month);
  for (const t of [
    'rx_practice',
    'rx_population',
    'rx_swap',
    'rx_codes',
    'rx_code_part',
    'rx_parts',
    'rx_values',
    'rx_ppu',
  ])
    await tx.run(`DROP TABLE IF EXISTS ${t}`);
  const seconds = (performance.now() - started) / 1000;
  const ranked = denominators.filter((d) => d.standard).length;
  return {
    month: month.slice(0, 7),
    practices: codes.length,
    ranked,
    measures: measures.length,
    ppuSavings,
    seconds,
    summary: `${measures.length} measures and ${ppuSavings} price-per-unit savings computed for ${month.slice(0, 7)} over ${codes.length} practices (${ranked} ranked nationally) in ${seconds.toFixed(1)} s`,
  };
}

async function computeMeasures(tx: FactSession, month: string, measures: readonly Measure[]) {
  await tx.run(
    'CREATE OR REPLACE TEMP TABLE rx_codes AS SELECT DISTINCT bnf_code FROM prescribing WHERE month = ?::DATE',
    [month],
  );
  // Patterns are matched once against the month's distinct codes (tens of thousands), not its rows.
  const parts = measures.flatMap((m) => [
    `SELECT bnf_code, '${m.id}' AS measure, 'num' AS part FROM rx_codes WHERE ${codeFilter(m.numerator)}`,
    ...('bnf' in m.denominator
      ? [`SELECT bnf_code, '${m.id}', 'den' FROM rx_codes WHERE ${codeFilter(m.denominator)}`]
      : []),
  ]);
  await tx.run(`CREATE OR REPLACE TEMP TABLE rx_code_part AS ${parts.join(' UNION ALL ')}`);
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_parts AS
     SELECT cp.measure, cp.part, p.practice_code, sum(p.items)::DOUBLE AS items,
       sum(p.quantity) AS quantity, sum(p.actual_cost) AS cost
     FROM prescribing p JOIN rx_code_part cp ON cp.bnf_code = p.bnf_code
     WHERE p.month = ?::DATE GROUP BY ALL`,
    [month],
  );
  const values = measures.map((m) => {
    const denominator =
      'bnf' in m.denominator
        ? `coalesce(den.${amount[m.denominator.measure]}, 0)`
        : `coalesce(pop.value, 0)`;
    const populationJoin =
      'population' in m.denominator
        ? `LEFT JOIN rx_population pop ON pop.practice_code = r.practice_code AND pop.name = '${populationWeighting(m.denominator)}'`
        : `LEFT JOIN rx_parts den ON den.measure = '${m.id}' AND den.part = 'den' AND den.practice_code = r.practice_code`;
    return `SELECT '${m.id}' AS measure, r.practice_code, r.standard,
        coalesce(num.${amount[m.numerator.measure]}, 0)::DOUBLE AS numerator,
        ${denominator}::DOUBLE AS denominator,
        coalesce(num.cost, 0)::DECIMAL(18, 5) AS numerator_cost,
        ${m.costBased} AS cost_based, ${unitScale(m)}::DOUBLE AS scale
      FROM rx_practice r
      LEFT JOIN rx_parts num ON num.measure = '${m.id}' AND num.part = 'num' AND num.practice_code = r.practice_code
      ${populationJoin}`;
  });
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_values AS
     SELECT *, CASE WHEN denominator > 0 THEN scale * numerator / denominator END AS ratio
     FROM (${values.join(' UNION ALL ')})`,
  );
  await tx.run('DELETE FROM measure_value WHERE month = ?::DATE', [month]);
  await tx.run('DELETE FROM measure_decile WHERE month = ?::DATE', [month]);
  // Deciles by linear interpolation over standard practices with a value (anchors.md, OpenPrescribing).
  await tx.run(
    `INSERT INTO measure_decile
     SELECT measure, ?::DATE, n, q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9]
     FROM (SELECT measure, count(*) AS n, quantile_cont(ratio, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) AS q
           FROM rx_values WHERE standard AND ratio IS NOT NULL GROUP BY measure)`,
    [month],
  );
  await tx.run(
    `INSERT INTO measure_value
     SELECT v.measure, ?::DATE, v.practice_code, v.numerator, v.denominator, v.numerator_cost, v.ratio,
       CASE WHEN v.standard AND v.ratio IS NOT NULL THEN
         100 * percent_rank() OVER (PARTITION BY v.measure, v.standard AND v.ratio IS NOT NULL ORDER BY v.ratio) END,
       CASE WHEN v.cost_based AND d.p10 IS NOT NULL AND v.ratio IS NOT NULL THEN
         round(100 * (v.numerator_cost::DOUBLE - d.p10 / v.scale * v.denominator))::BIGINT END
     FROM rx_values v LEFT JOIN measure_decile d ON d.measure = v.measure AND d.month = ?::DATE`,
    [month, month],
  );
}

/**
 * Price per unit against the national 10th percentile of each substitution set. Savings under £10
 * for a practice and presentation are not kept: no page or total uses them (anchors.md), and a
 * national month would otherwise store millions of pennies.
 */
async function computePricePerUnit(tx: FactSession, month: string): Promise<number> {
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_ppu AS
     SELECT p.practice_code, p.bnf_code, coalesce(s.set_code, ${genericCodeSql('p.bnf_code')}) AS set_code,
       p.quantity, p.nic, p.nic::DOUBLE / p.quantity AS ppu, r.standard
     FROM prescribing p JOIN rx_practice r ON r.practice_code = p.practice_code
     LEFT JOIN rx_swap s ON s.code = ${genericCodeSql('p.bnf_code')}
     WHERE p.month = ?::DATE AND p.quantity > 0 AND length(p.bnf_code) = 15 AND p.bnf_code < '20'
       -- A code ending A0 has no generic equivalent (a branded feed, a meter strip): no set to price against.
       AND substr(p.bnf_code, 14, 2) <> 'A0'`,
    [month],
  );
  await tx.run('DELETE FROM ppu_saving WHERE month = ?::DATE', [month]);
  await tx.run(
    `INSERT INTO ppu_saving
     SELECT ?::DATE, x.practice_code, x.set_code, x.bnf_code, x.quantity, x.nic, x.ppu, t.target,
       round(100 * (x.nic::DOUBLE - x.quantity * t.target))::BIGINT
     FROM rx_ppu x
     JOIN (SELECT set_code, quantile_cont(ppu, 0.1) AS target FROM rx_ppu WHERE standard GROUP BY set_code) t
       ON t.set_code = x.set_code
     WHERE round(100 * (x.nic::DOUBLE - x.quantity * t.target)) >= ${MIN_PRACTICE_SAVING_PENCE}`,
    [month],
  );
  const [row] = await tx.all<{ n: number }>(
    'SELECT count(*) AS n FROM ppu_saving WHERE month = ?::DATE',
    [month],
  );
  return row?.n ?? 0;
}
