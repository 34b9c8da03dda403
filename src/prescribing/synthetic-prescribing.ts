// Writes synthetic English Prescribing Dataset months for many practices, calibrated to West Sussex's real totals.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { Db } from '../platform/db/schema.js';
import { practiceIds, readInSlices } from '../platform/db/slices.js';
import type { FactSession, FactStore } from '../platform/facts/fact-store.js';
import { latestListSizes } from '../population/population.repository.js';

/** The seed the demo prescribing is generated with; changing it changes every synthetic figure. */
export const DEMO_PRESCRIBING_SEED = 20180401;

/** The twelve months of 2018-19, the year of the real West Sussex series the generator is calibrated to. */
export const calibrationMonths = Array.from({ length: 12 }, (_, i) => {
  const d = new Date(Date.UTC(2018, 3 + i, 1));
  return d.toISOString().slice(0, 7);
});

/** The group whose real BNF-section totals fix the national volumes and prices. */
export const CALIBRATION_GROUP = '09G';
const CALIBRATION_AREA = 'NHS Coastal West Sussex CCG';

export interface GeneratorInputs {
  /** Folder holding the shared data (prescribing-samples, gp-registered-patients-age-sex). */
  sharedDataDir: string;
  outDir: string;
  months: readonly string[];
  /** Practice codes to write; all open practices with a list size when undefined. */
  practiceCodes?: readonly string[] | undefined;
  seed?: number;
}

export interface GeneratedMonth {
  month: string;
  file: string;
  rows: number;
  practices: number;
}

/** The day whose practices, groups and list sizes the generator uses: the end of 2018-19. */
export const GENERATOR_DATE = '2019-03-31';

export const syntheticFileName = (month: string) => `epd_${month.replace('-', '')}_synthetic.csv`;

export interface GeneratorPractice {
  code: string;
  name: string;
  postcode: string | null;
  commissioner: string | null;
  listSize: number;
  /** Share of patients aged 65 and over, where the practice's age/sex extract is held. */
  over65: number | null;
}

/** Open practices on the date with their group, list size and (where known) share aged 65+. */
export async function generatorPractices(
  db: Db,
  asAt = GENERATOR_DATE,
): Promise<GeneratorPractice[]> {
  // A slice of the register at a time, so that the pages are answered meanwhile.
  const sizes = new Map<number, number>();
  const over65 = new Map<number, number>();
  const rows = await readInSlices(await practiceIds(db), async (slice) => {
    const open = await sql<{
      id: number;
      code: string;
      name: string;
      postcode: string | null;
      commissioner: string | null;
    }>`
      -- One group per practice (the latest joined, should memberships overlap), in a fixed order.
      SELECT DISTINCT ON (p.id) p.id, p.code, p.name, p.postcode, g.code AS commissioner FROM organisation p
      LEFT JOIN organisation_relationship r ON r.child_id = p.id AND r.kind = 'member_of_group'
        AND r.valid_from <= ${asAt}::date AND (r.valid_to IS NULL OR r.valid_to > ${asAt}::date)
      LEFT JOIN organisation g ON g.id = r.parent_id
      WHERE p.type = 'practice' AND p.id BETWEEN ${slice[0]!} AND ${slice.at(-1)!}
        AND (p.close_date IS NULL OR p.close_date > ${asAt}::date)
        AND (p.open_date IS NULL OR p.open_date <= ${asAt}::date)
      ORDER BY p.id, r.valid_from DESC NULLS LAST, g.code`.execute(db);
    const ids = open.rows.map((r) => r.id);
    for (const s of await latestListSizes(db, ids)) sizes.set(s.practice_id, s.patients);
    const ages = await sql<{ practice_id: number; over65: number }>`
      WITH latest AS (SELECT DISTINCT ON (practice_id) practice_id, extract_date FROM registered_population
        WHERE practice_id = any(${ids}::int[]) ORDER BY practice_id, extract_date DESC)
      SELECT r.practice_id,
        sum(r.patients) FILTER (WHERE split_part(r.age_band, '-', 1)::text ~ '^(6[5-9]|[7-9][0-9])')::float8
          / nullif(sum(r.patients), 0) AS over65
      FROM registered_population r JOIN latest l USING (practice_id, extract_date) GROUP BY r.practice_id`.execute(
      db,
    );
    for (const a of ages.rows) over65.set(a.practice_id, a.over65);
    return open.rows;
  });
  return rows.flatMap((r) => {
    const listSize = sizes.get(r.id);
    if (!listSize) return [];
    return [
      {
        code: r.code,
        name: r.name,
        postcode: r.postcode,
        commissioner: r.commissioner,
        listSize,
        over65: over65.get(r.id) ?? null,
      },
    ];
  });
}

const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * A uniform number in (0, 1) from a hash of the seed and the given keys: the same inputs give the
 * same number on every run (with the same DuckDB version), so generation is repeatable and parallel.
 */
const uniform = (seed: number, ...keys: string[]) =>
  `((hash(${seed}, ${keys.join(', ')}) >> 11)::DOUBLE + 0.5) / 9007199254740992.0`;
/** A standard normal number by Box–Muller from two such uniforms. */
const normal = (seed: number, ...keys: string[]) =>
  `(sqrt(-2 * ln(${uniform(seed, ...keys, "'a'")})) * cos(2 * pi() * ${uniform(seed, ...keys, "'b'")}))`;

/**
 * Generates the months as EPD-format CSV files. Method (docs/methods.md, "Synthetic prescribing"):
 * presentations, their items per patient, pack quantities and prices come from the real EPD rows of
 * four practices (Sep and Oct 2017); each practice gets items ≈ Poisson(rate × list size × age
 * factor × practice-by-section effect × brand preference × calibration), where the calibration
 * makes Coastal West Sussex's expected items and cost by BNF section and month equal the real
 * 2018-19 series. About 1 practice in 100 is planted as a high-cost outlier on branded products.
 */
export async function generatePrescribing(
  db: Db,
  facts: FactStore,
  inputs: GeneratorInputs,
  onMonth?: (done: GeneratedMonth) => void,
): Promise<GeneratedPrescribing> {
  return generateForPractices(facts, await generatorPractices(db), inputs, onMonth);
}

export interface GeneratedPrescribing {
  months: GeneratedMonth[];
  planted: string[];
}

/**
 * The generation itself, from the practices (`generatorPractices`) and the shared files: it uses the
 * fact store only as a calculator (temporary tables), so any DuckDB will do, such as a worker's own.
 */
export async function generateForPractices(
  facts: FactStore,
  all: readonly GeneratorPractice[],
  inputs: GeneratorInputs,
  onMonth?: (done: GeneratedMonth) => void,
): Promise<GeneratedPrescribing> {
  const seed = inputs.seed ?? DEMO_PRESCRIBING_SEED;
  const wanted = inputs.practiceCodes ? new Set(inputs.practiceCodes) : undefined;
  const practices = wanted ? all.filter((p) => wanted.has(p.code)) : all;
  const calibrators = all.filter((p) => p.commissioner === CALIBRATION_GROUP);
  if (!calibrators.length)
    throw new Error(`cannot calibrate: no practices of ${CALIBRATION_GROUP} with a list size`);
  await mkdir(inputs.outDir, { recursive: true });
  const samples = path.join(inputs.sharedDataDir, 'prescribing-samples');
  const lists = path.join(inputs.sharedDataDir, 'gp-registered-patients-age-sex');
  return facts.transaction(async (tx) => {
    await tx.run(`CREATE OR REPLACE TEMP TABLE gen_practice (code VARCHAR, name VARCHAR, postcode VARCHAR,
      commissioner VARCHAR, list_size DOUBLE, age_factor DOUBLE, calibrates BOOLEAN, generated BOOLEAN)`);
    // Older lists prescribe more: +2% items per percentage point of patients 65+ above 18%.
    const ageFactor = (p: GeneratorPractice) =>
      p.over65 === null ? 1 : Math.max(0.5, 1 + 2 * (p.over65 - 0.18));
    const generated = new Set(practices.map((p) => p.code));
    const rows = new Map<string, GeneratorPractice>();
    for (const p of [...practices, ...calibrators]) rows.set(p.code, p);
    await tx.append(
      'gen_practice',
      ['varchar', 'varchar', 'varchar', 'varchar', 'double', 'double', 'boolean', 'boolean'],
      [...rows.values()].map((p) => [
        p.code,
        p.name,
        p.postcode,
        p.commissioner,
        p.listSize,
        ageFactor(p),
        p.commissioner === CALIBRATION_GROUP,
        generated.has(p.code),
      ]),
    );
    await catalogue(tx, samples, lists);
    await effects(tx, seed);
    await calibration(tx, path.join(samples, 'westsussex_Prescribing_201819FY.csv'));
    const months: GeneratedMonth[] = [];
    for (const month of inputs.months) {
      const file = path.join(inputs.outDir, syntheticFileName(month));
      const written = await writeMonth(tx, seed, month, file);
      const done = { month, file, ...written };
      months.push(done);
      onMonth?.(done);
    }
    const planted = (
      await tx.all<{ code: string }>(
        `SELECT code FROM gen_practice WHERE generated AND ${uniform(seed, 'code', "'outlier'")} < 0.01 ORDER BY code`,
      )
    ).map((r) => r.code);
    for (const t of ['gen_practice', 'gen_catalogue', 'gen_calibration'])
      await tx.run(`DROP TABLE ${t}`);
    return { months, planted };
  });
}

/** Presentations with their items per patient-month, two commonest pack quantities and price per unit. */
async function catalogue(tx: FactSession, samples: string, lists: string) {
  const epd = ['201709', '201710'].map((m) =>
    sqlText(path.join(samples, `epd_${m}_4practices.csv`)),
  );
  const quin = ['2017_09', '2017_10'].map((m) =>
    sqlText(path.join(lists, `sample_${m}_gp-reg-pat-prac-quin-age.csv`)),
  );
  await tx.run(`CREATE OR REPLACE TEMP TABLE gen_catalogue AS
    WITH rx AS (
      SELECT BNF_CODE AS code, BNF_DESCRIPTION AS description, QUANTITY::DOUBLE AS per_item, ITEMS::INTEGER AS items,
        TOTAL_QUANTITY::DECIMAL(18, 3) AS quantity, NIC::DECIMAL(15, 2) AS nic, ACTUAL_COST::DECIMAL(18, 5) AS cost
      FROM read_csv([${epd.join(', ')}], header = true, all_varchar = true)),
    patient_months AS (
      SELECT sum(NUMBER_OF_PATIENTS::DOUBLE) AS n FROM read_csv([${quin.join(', ')}], header = true, all_varchar = true)
      WHERE SEX = 'ALL' AND AGE_GROUP_5 = 'ALL'),
    packs AS (
      SELECT code, per_item, sum(items) AS items,
        row_number() OVER (PARTITION BY code ORDER BY sum(items) DESC, per_item) AS r
      FROM rx WHERE per_item > 0 GROUP BY code, per_item),
    totals AS (
      -- min(): a presentation renamed between the two months gets the same name on every run.
      SELECT code, min(description) AS description, sum(items) AS items, sum(quantity) AS quantity,
        sum(nic) AS nic, sum(cost) AS cost FROM rx GROUP BY code)
    SELECT t.code, t.description, substr(t.code, 1, 4) AS section, substr(t.code, 1, 9) AS chemical,
      substr(t.code, 10, 2) <> 'AA' AND substr(t.code, 1, 2) < '20' AS branded,
      t.items / pm.n AS rate, p1.per_item AS pack1, coalesce(p2.per_item, p1.per_item) AS pack2,
      coalesce(p2.items, 0) / (p1.items + coalesce(p2.items, 0)) AS pack2_share,
      t.nic::DOUBLE / t.quantity::DOUBLE AS ppu, t.cost::DOUBLE / t.nic::DOUBLE AS cost_ratio
    FROM totals t CROSS JOIN patient_months pm
    JOIN packs p1 ON p1.code = t.code AND p1.r = 1
    LEFT JOIN packs p2 ON p2.code = t.code AND p2.r = 2
    WHERE t.quantity > 0 AND t.nic > 0 AND t.items > 0`);
}

/**
 * Per section and month, the factors that make the calibration group's expected items and cost
 * equal the real series; sections the series lacks keep the samples' own rates (factor 1).
 */
async function calibration(tx: FactSession, series: string) {
  await tx.run(`CREATE OR REPLACE TEMP TABLE gen_calibration AS
    WITH real AS (
      SELECT strftime(date::DATE, '%Y-%m') AS month, BNF_Section_Code AS section,
        sum(items::BIGINT)::DOUBLE AS items, sum(actual_cost::DECIMAL(18, 2))::DOUBLE AS cost
      FROM read_csv(${sqlText(series)}, header = true, all_varchar = true)
      WHERE Area = ${sqlText(CALIBRATION_AREA)} GROUP BY ALL),
    -- Expected with each calibrating practice's own drawn effects, so that only sampling noise remains.
    weighted AS (
      SELECT c.section, c.rate * p.list_size * p.age_factor * se.effect * CASE WHEN c.branded THEN be.effect ELSE 1 END AS items,
        c.ppu * (c.pack1 * (1 - c.pack2_share) + 0.97 * c.pack2 * c.pack2_share) * c.cost_ratio AS cost_per_item
      FROM gen_catalogue c CROSS JOIN gen_practice p
      JOIN gen_section_effect se ON se.practice = p.code AND se.section = c.section
      LEFT JOIN gen_brand_effect be ON be.practice = p.code AND be.chemical = c.chemical
      WHERE p.calibrates),
    -- Summed as decimals: exact, so the factors (and every penny after them) are the same on every run.
    expected AS (
      SELECT section, sum(items::DECIMAL(38, 12))::DOUBLE AS items,
        sum((items * cost_per_item)::DECIMAL(38, 12))::DOUBLE AS cost
      FROM weighted GROUP BY section)
    SELECT r.month, r.section, round(r.items / e.items, 9) AS item_factor,
      round((r.cost / r.items) / (e.cost / e.items), 9) AS cost_factor
    FROM real r JOIN expected e ON e.section = r.section WHERE r.items > 0 AND e.items > 0`);
}

/** Practice-by-section volume effects and practice-by-chemical brand preferences, drawn once for all months. */
async function effects(tx: FactSession, seed: number) {
  await tx.run(`CREATE OR REPLACE TEMP TABLE gen_section_effect AS
    SELECT p.code AS practice, s.section, exp(0.25 * ${normal(seed, 'p.code', 's.section')} - 0.03125) AS effect
    FROM gen_practice p CROSS JOIN (SELECT DISTINCT section FROM gen_catalogue) s WHERE p.generated OR p.calibrates`);
  // Brand preference: lognormal around 1; a planted outlier prescribes brands of 3 in 10 chemicals six times as often.
  await tx.run(`CREATE OR REPLACE TEMP TABLE gen_brand_effect AS
    SELECT p.code AS practice, c.chemical, exp(0.5 * ${normal(seed, 'p.code', 'c.chemical')} - 0.125)
      * CASE WHEN ${uniform(seed, 'p.code', "'outlier'")} < 0.01 AND ${uniform(seed, 'p.code', 'c.chemical', "'o'")} < 0.3 THEN 6 ELSE 1 END AS effect
    FROM gen_practice p CROSS JOIN (SELECT DISTINCT chemical FROM gen_catalogue WHERE branded) c WHERE p.generated OR p.calibrates`);
}

async function writeMonth(tx: FactSession, seed: number, month: string, file: string) {
  const m = sqlText(month);
  const yearMonth = month.replace('-', '');
  await tx.run(`CREATE OR REPLACE TEMP TABLE gen_month AS
    WITH expected AS (
      SELECT p.code AS practice, p.name, p.postcode, p.commissioner, c.code, c.description, c.pack1, c.pack2, c.pack2_share,
        c.ppu * coalesce(k.cost_factor, 1) AS ppu, c.cost_ratio,
        c.rate * p.list_size * p.age_factor * coalesce(k.item_factor, 1) * se.effect
          * CASE WHEN c.branded THEN be.effect ELSE 1 END AS mean_items,
        ${uniform(seed, 'p.code', 'c.code', m, "'n'")} AS u, ${normal(seed, 'p.code', 'c.code', m)} AS z,
        ${uniform(seed, 'p.code', 'c.code', m, "'s'")} AS s
      FROM gen_practice p CROSS JOIN gen_catalogue c
      LEFT JOIN gen_calibration k ON k.section = c.section AND k.month = ${m}
      JOIN gen_section_effect se ON se.practice = p.code AND se.section = c.section
      LEFT JOIN gen_brand_effect be ON be.practice = p.code AND be.chemical = c.chemical
      WHERE p.generated),
    counted AS (
      -- Approximately Poisson: a Bernoulli draw below one expected item, normal with stochastic rounding above.
      SELECT *, CASE WHEN mean_items < 1 THEN (u < mean_items)::INTEGER
        ELSE greatest(0, floor(mean_items + sqrt(mean_items) * z + u))::INTEGER END AS items
      FROM expected),
    packs AS (
      SELECT *, CASE WHEN pack2 <> pack1 THEN round(items * pack2_share + s - 0.5)::INTEGER ELSE 0 END AS items2
      FROM counted WHERE items > 0)
    SELECT practice, name, postcode, commissioner, code, description, pack1 AS per_item, items - items2 AS items, ppu, cost_ratio FROM packs WHERE items - items2 > 0
    UNION ALL
    -- Bigger packs are a little cheaper per unit.
    SELECT practice, name, postcode, commissioner, code, description, pack2, items2, ppu * 0.97, cost_ratio FROM packs WHERE items2 > 0`);
  await tx.run(`COPY (
    SELECT ${sqlText(yearMonth)} AS YEAR_MONTH, NULL AS REGIONAL_OFFICE_NAME, NULL AS REGIONAL_OFFICE_CODE,
      NULL AS AREA_TEAM_NAME, NULL AS AREA_TEAM_CODE, NULL AS PCO_NAME, commissioner AS PCO_CODE,
      name AS PRACTICE_NAME, practice AS PRACTICE_CODE, NULL AS ADDRESS_1, NULL AS ADDRESS_2, NULL AS ADDRESS_3,
      NULL AS ADDRESS_4, postcode AS POSTCODE, NULL AS BNF_CHEMICAL_SUBSTANCE,
      NULL AS CHEMICAL_SUBSTANCE_BNF_DESCR, code AS BNF_CODE, description AS BNF_DESCRIPTION,
      NULL AS BNF_CHAPTER_PLUS_CODE, per_item AS QUANTITY, items AS ITEMS, per_item * items AS TOTAL_QUANTITY,
      0 AS ADQUSAGE, round(per_item * items * ppu, 2)::DECIMAL(15, 2) AS NIC,
      round(round(per_item * items * ppu, 2) * cost_ratio, 5)::DECIMAL(18, 5) AS ACTUAL_COST,
      'N' AS UNIDENTIFIED, 'Y' AS SYNTHETIC
    FROM gen_month ORDER BY practice, code, per_item) TO ${sqlText(file)} (HEADER, DELIMITER ',')`);
  const [counts] = await tx.all<{ rows: number; practices: number }>(
    'SELECT count(*) AS rows, count(DISTINCT practice) AS practices FROM gen_month',
  );
  await tx.run('DROP TABLE gen_month');
  return { rows: counts?.rows ?? 0, practices: counts?.practices ?? 0 };
}
