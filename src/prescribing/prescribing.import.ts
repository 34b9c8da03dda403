// Imports practice prescribing for one month: NHSBSA's English Prescribing Dataset or the older PDPI layout.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { FactSession } from '../platform/facts/fact-store.js';
import type {
  BulkImporter,
  ColumnLayout,
  ImportContext,
} from '../platform/imports/import-runner.js';
import { DATE_YEARS_TEXT, isSensibleYear } from '../platform/imports/fields.js';
import { computeMonthIn } from './compute.service.js';
import { filterSql, measures, perItemSets, splitFilters } from './measures.js';

/** Where each field is found in a layout; absent optional fields are null. */
interface Columns {
  month: string;
  practice: string;
  commissioner: string | null;
  bnfCode: string;
  /**
   * What tells two rows for one practice and presentation apart: EPD gives one row per quantity per
   * item; PDPI sometimes adds a second row with another quantity (a zero-quantity adjustment, say).
   * Rows that match on this too are duplicates.
   */
  perItem: string;
  items: string;
  quantity: string;
  nic: string;
  actualCost: string;
}

const epd: ColumnLayout & { columns: Columns } = {
  name: 'English Prescribing Dataset (NHSBSA)',
  required: [
    'YEAR_MONTH',
    'PRACTICE_CODE',
    'BNF_CODE',
    'ITEMS',
    'TOTAL_QUANTITY',
    'NIC',
    'ACTUAL_COST',
  ],
  columns: {
    month: 'YEAR_MONTH',
    practice: 'PRACTICE_CODE',
    commissioner: 'PCO_CODE',
    bnfCode: 'BNF_CODE',
    perItem: 'QUANTITY',
    items: 'ITEMS',
    quantity: 'TOTAL_QUANTITY',
    nic: 'NIC',
    actualCost: 'ACTUAL_COST',
  },
};

const pdpi: ColumnLayout & { columns: Columns } = {
  name: 'Practice level prescribing (PDPI, NHS Digital to 2020)',
  required: ['PRACTICE', 'BNF CODE', 'ITEMS', 'NIC', 'ACT COST', 'QUANTITY', 'PERIOD'],
  columns: {
    month: 'PERIOD',
    practice: 'PRACTICE',
    commissioner: 'PCT',
    bnfCode: 'BNF CODE',
    perItem: 'QUANTITY',
    items: 'ITEMS',
    quantity: 'QUANTITY',
    nic: 'NIC',
    actualCost: 'ACT COST',
  },
};

const layouts = [epd, pdpi];

/** "201709", "2017_09" or "2017-09" → "2017-09"; anything else → undefined. */
export function monthOf(text: string): string | undefined {
  const match = /^(\d{4})[_-]?(0[1-9]|1[0-2])$/.exec(text.trim());
  return match && isSensibleYear(Number(match[1])) ? `${match[1]}-${match[2]}` : undefined;
}

/** A month written in a file name, e.g. epd_201709.csv or T201509PDPI+BNFT.csv. */
export function monthFromFileName(fileName: string): string | undefined {
  const match = /(?:^|[^0-9])((?:19|20)\d{2})[_-]?(0[1-9]|1[0-2])(?:[^0-9]|$)/.exec(fileName);
  return match ? `${match[1]}-${match[2]}` : undefined;
}

const practicePattern = /^[A-Z0-9]{3,10}$/;
const bnfPattern = /^[0-9A-Z]{9,15}$/;

/** A number as DuckDB casts it: optional sign, digits (with _ between), decimals, exponent. */
const numberText = /^[-+]?(\d+(_\d+)*(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const asNumber = (v: string) =>
  numberText.test(v.trim()) ? Number(v.trim().replaceAll('_', '')) : NaN;

/**
 * Checks of the numbers in every row, once as SQL (counted over the whole file in the one pass) and
 * once in JavaScript (to name the first line that fails when the count is not zero). Codes and
 * months are checked afterwards on their distinct values, which are few.
 */
const cellRules: {
  field: 'items' | 'quantity' | 'nic' | 'actualCost';
  type: string;
  /** SQL over the cast value `v`: true when the cell is bad. */
  sqlBad: (v: string) => string;
  bad: (value: string) => string | undefined;
}[] = [
  {
    field: 'items',
    type: 'DOUBLE',
    sqlBad: (v) =>
      `${v} IS NULL OR NOT isfinite(${v}) OR ${v} < 0 OR ${v} <> floor(${v}) OR ${v} > 1e9`,
    bad: (v) => {
      const n = asNumber(v);
      if (Number.isInteger(n) && n >= 0 && n <= 1e9) return undefined;
      return n < 0 ? 'must not be negative' : 'expected a whole number of items, 0 or more';
    },
  },
  ...(
    [
      // DECIMAL(15, 2) and (18, 5) hold up to 10^13: larger amounts cannot be a practice's month.
      ['quantity', 'DOUBLE', Infinity],
      ['nic', 'DECIMAL(15, 2)', 1e13],
      ['actualCost', 'DECIMAL(18, 5)', 1e13],
    ] as const
  ).map(([field, type, limit]) => ({
    field,
    type,
    sqlBad: (v: string) =>
      type === 'DOUBLE'
        ? `${v} IS NULL OR NOT isfinite(${v}) OR ${v} < 0`
        : `${v} IS NULL OR ${v} < 0`,
    bad: (v: string) => {
      const n = asNumber(v);
      if (Number.isFinite(n) && n >= 0 && Math.abs(n) < limit) return undefined;
      return n < 0 ? 'must not be negative' : 'expected a number, 0 or more';
    },
  })),
];

/** Checks of the codes and months, run on their distinct values. */
const keyRules = {
  month: (v: string) =>
    monthOf(v) ? undefined : `expected a month as YYYYMM, YYYY_MM or YYYY-MM ${DATE_YEARS_TEXT}`,
  practice: (v: string) => (practicePattern.test(v) ? undefined : 'expected a practice code'),
  bnfCode: (v: string) =>
    bnfPattern.test(v) ? undefined : 'expected a BNF code (9 to 15 letters and digits)',
};

/** The file as RFC 4180 CSV, as published: nothing guessed, a ragged row an error. */
const csvDialect = `header = true, delim = ',', quote = '"', escape = '"', strict_mode = true`;

/**
 * How DuckDB reads the file: numbers as DOUBLE (a cell that is not a number stops the read), every
 * other column as text.
 */
function csvOptions(cell: (field: keyof Columns) => string): string {
  const numeric = new Set(
    (['items', 'quantity', 'perItem'] as const).map(cell).filter((c) => c !== 'NULL'),
  );
  const types = [...numeric].map((c) => `'${c.slice(1, -1).replaceAll("'", "''")}': 'DOUBLE'`);
  return `${csvDialect}, all_varchar = false, auto_type_candidates = ['VARCHAR'], types = {${types.join(', ')}}`;
}

const quote = (column: string) => `"${column.replaceAll('"', '""')}"`;

/** Walks the file in JavaScript to the first row `problem` reports on; only on the error path. */
async function firstProblem(
  path: string,
  problem: (
    cell: (field: keyof Columns) => string,
  ) => { field: keyof Columns; reason: string } | undefined,
  columns: Columns,
): Promise<{ line: number; column: string; reason: string } | undefined> {
  const parser = createReadStream(path).pipe(
    parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
  );
  let index: Map<string, number> | undefined;
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[];
    info: { lines: number };
  }>) {
    if (!index) {
      index = new Map(record.map((name, i) => [name.replace(/\s+/g, ' ').trim(), i]));
      continue;
    }
    const positions = index;
    if (record.length !== positions.size) {
      parser.destroy();
      return {
        line: info.lines,
        column: '',
        reason: `expected ${positions.size} fields, found ${record.length} (is the file cut short?)`,
      };
    }
    const found = problem((field) => {
      const name = columns[field];
      const at = name === null ? undefined : positions.get(name);
      return at === undefined ? '' : (record[at] ?? '');
    });
    if (found) {
      parser.destroy();
      const column = columns[found.field] ?? found.field;
      return { line: info.lines, column: column ?? '', reason: found.reason };
    }
  }
  return undefined;
}

interface StageSummary {
  rows: number;
  /** Rows whose NIC or actual cost had more decimal places than stored, and were rounded. */
  rounded: number;
  groups: number;
  /** The month cells as written (distinct). */
  months: (string | null)[];
  /** Practice codes and BNF codes that are not codes at all (null when there are none). */
  practices: (string | null)[] | null;
  codes: (string | null)[] | null;
  /** Rows with a number that is missing, negative or out of range. */
  bad: number;
  /** Practice × presentation groups that might hold the same quantity per item twice. */
  maybe_repeated: number;
  duplicate_practice?: string | null;
  duplicate_code?: string | null;
}

/**
 * English Prescribing Dataset or PDPI, one month per file. The whole file is read, checked and
 * summed by practice and presentation in DuckDB in one pass; a bad cell, a second month, a month
 * other than the one named, or a repeated row stops the import and names the first line at fault.
 * The month's figures for the practices in the file are then replaced, and every measure and
 * price-per-unit saving for the month is recomputed.
 */
export const prescribingImporter = (): BulkImporter => ({
  kind: 'prescribing',
  title: 'Practice prescribing (English Prescribing Dataset or PDPI)',
  layouts,
  period: {
    description: 'month (YYYY-MM)',
    pattern: /^\d{4}-(0[1-9]|1[0-2])$/,
    fromFileName: monthFromFileName,
    optional: true,
  },
  async loadFile(ctx, file) {
    const { columns } = layouts.find((l) => l.name === file.layout.name) ?? epd;
    const header = new Set(await headerOf(ctx, file.path, columns));
    const cell = (field: keyof Columns) => {
      const name = columns[field];
      return name !== null && header.has(name) ? quote(name) : 'NULL';
    };
    const synthetic = header.has('SYNTHETIC') ? `upper(trim("SYNTHETIC")) = 'Y'` : 'false';
    // Only the EPD gives a quantity per item (PDPI's QUANTITY is the total).
    const perItem = columns === epd.columns && header.has(epd.columns.perItem);
    // One fact-store transaction: staged, checked, stored and computed, or (on any problem) nothing.
    return ctx.facts.transaction(async (tx) => {
      // A join, not a list of constants: the test runs on every one of ten million rows.
      const detailCodes = perItem && (await perItemCodes(tx));
      const started = performance.now();
      const timer = setInterval(() => file.onProgress(tx.progress() * 0.7), 250);
      try {
        await stage(tx, file.path, cell, synthetic, detailCodes);
      } catch (error) {
        await notValidCsv(ctx, file.path, columns, error);
      } finally {
        clearInterval(timer);
      }
      file.onProgress(0.7);
      const [summary] = await tx.all<StageSummary>(`
        SELECT sum(n_rows)::BIGINT AS rows,
          (count(*) FILTER (WHERE detail_quantity IS NULL)
            + count(DISTINCT practice || ' ' || bnf_code) FILTER (WHERE detail_quantity IS NOT NULL))::BIGINT AS groups,
          (SELECT list(DISTINCT month_raw) FROM rx_stage) AS months,
          (SELECT list(practice) FROM (SELECT DISTINCT practice FROM rx_stage)
            WHERE NOT coalesce(regexp_full_match(practice, '[A-Z0-9]{3,10}'), false)) AS practices,
          (SELECT list(bnf_code) FROM (SELECT DISTINCT bnf_code FROM rx_stage)
            WHERE NOT coalesce(regexp_full_match(bnf_code, '[0-9A-Z]{9,15}'), false)) AS codes,
          sum(bad)::BIGINT AS bad,
          coalesce(sum(rounded), 0)::BIGINT AS rounded,
          count(*) FILTER (WHERE maybe_repeated)::BIGINT AS maybe_repeated
        FROM rx_stage`);
      if (summary?.maybe_repeated) {
        const repeated = await repeatedRow(tx, file.path, cell);
        summary.duplicate_practice = repeated?.practice ?? null;
        summary.duplicate_code = repeated?.bnf_code ?? null;
      }
      if (!summary?.rows) return ctx.fail(2, undefined, 'the file has a header but no rows');
      const month = `${await check(ctx, file.path, columns, summary)}-01`;
      const checked = performance.now();
      await store(tx, month, ctx.importId, perItem);
      const stored = performance.now();
      file.onProgress(0.8);
      await report(ctx, tx, month, summary);
      ctx.note(
        `read, checked and summed in ${((checked - started) / 1000).toFixed(1)} s; stored in ${((stored - checked) / 1000).toFixed(1)} s`,
      );
      await tx.run('DROP TABLE rx_stage');
      await tx.run('DROP TABLE IF EXISTS rx_detail_code');
      const computed = await computeMonthIn(tx, ctx.tx, month);
      ctx.note(computed.summary);
      file.onProgress(1);
      return summary.rows;
    });
  },
});

/**
 * The presentations in the BNF code list that a shipped measure counts by quantity per item, into
 * rx_detail_code: their rows are kept apart by it. (A code not in the list is summed like any
 * other.) False when there are none.
 */
async function perItemCodes(tx: FactSession): Promise<boolean> {
  const sets = measures().flatMap(perItemSets);
  if (!sets.length) return false;
  const filter = sets
    .map((set) => {
      const { include, exclude } = splitFilters(set);
      const any = (fs: string[]) => fs.map((f) => filterSql(f, 'code')).join(' OR ');
      return `((${any(include)})${exclude.length ? ` AND NOT (${any(exclude)})` : ''})`;
    })
    .join(' OR ');
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_detail_code AS SELECT code FROM bnf_presentation WHERE ${filter}`,
  );
  return true;
}

/** Replaces the month's figures for the practices in the file. */
async function store(tx: FactSession, month: string, importId: number, perItem: boolean) {
  for (const table of ['prescribing', 'prescribing_quantity'])
    await tx.run(
      `DELETE FROM ${table} WHERE month = ?::DATE AND practice_code IN (SELECT DISTINCT practice FROM rx_stage)`,
      [month],
    );
  // The rows kept apart by quantity per item (a few hundred thousand at most) are summed like the
  // rest for the month's totals, in a second insert so that the first stays a plain sorted copy.
  await tx.run(
    `INSERT INTO prescribing
     SELECT ?::DATE, bnf_code, practice, items, quantity, nic, actual_cost, ?
     FROM rx_stage WHERE detail_quantity IS NULL ORDER BY bnf_code, practice`,
    [month, importId],
  );
  await tx.run(
    `INSERT INTO prescribing
     SELECT ?::DATE, bnf_code, practice, sum(items)::INTEGER, sum(quantity), sum(nic)::DECIMAL(15, 2),
       sum(actual_cost)::DECIMAL(18, 5), ?
     FROM rx_stage WHERE detail_quantity IS NOT NULL GROUP BY bnf_code, practice ORDER BY bnf_code, practice`,
    [month, importId],
  );
  await tx.run(
    `INSERT INTO prescribing_quantity
     SELECT ?::DATE, practice, bnf_code, detail_quantity, items, quantity, ?
     FROM rx_stage WHERE detail_quantity IS NOT NULL`,
    [month, importId],
  );
  await tx.run(
    `INSERT OR REPLACE INTO prescribing_source
     SELECT ?::DATE, practice, any_value(commissioner), bool_or(synthetic), ?, ?
     FROM rx_stage GROUP BY practice`,
    [month, importId, perItem],
  );
  // Recounted for the whole month (other files may hold other practices): codes first (a few
  // thousand), then only their rows.
  await tx.run('DELETE FROM prescribing_unknown_code WHERE month = ?::DATE', [month]);
  await tx.run(
    `INSERT INTO prescribing_unknown_code
     WITH unknown AS (
       SELECT d.bnf_code FROM (SELECT DISTINCT bnf_code FROM prescribing WHERE month = ?::DATE) d
       ANTI JOIN bnf_presentation b ON b.code = d.bnf_code)
     SELECT ?::DATE, p.bnf_code, sum(p.items), ?
     FROM prescribing p SEMI JOIN unknown u ON u.bnf_code = p.bnf_code
     WHERE p.month = ?::DATE GROUP BY p.bnf_code`,
    [month, month, importId, month],
  );
}

async function headerOf(ctx: ImportContext, path: string, columns: Columns): Promise<string[]> {
  const rows = await ctx.facts
    .all<{ column_name: string }>(
      `DESCRIBE SELECT * FROM read_csv(?, ${csvDialect}, all_varchar = true)`,
      [path],
    )
    .catch((error: unknown) => notValidCsv(ctx, path, columns, error));
  return rows.map((r) => r.column_name);
}

/** The first cell in the file that breaks a rule for numbers, as the rules' JavaScript side reads it. */
function badCell(cell: (field: keyof Columns) => string, columns: Columns) {
  for (const rule of cellRules) {
    if (columns[rule.field] === null) continue;
    const value = cell(rule.field);
    const reason = rule.bad(value);
    if (reason) return { field: rule.field, reason: `${reason} (found "${value.slice(0, 40)}")` };
  }
  return undefined;
}

/** Stops the import at the first row with a bad number, naming its line, column and value. */
async function locateBadCell(ctx: ImportContext, path: string, columns: Columns): Promise<never> {
  const found = await firstProblem(path, (cell) => badCell(cell, columns), columns);
  return ctx.fail(found?.line, found?.column, found?.reason ?? 'a number could not be read');
}

/**
 * DuckDB refused the file (a ragged or badly quoted row, or a number it cannot read): walk it in
 * JavaScript to name the first row at fault, else pass on DuckDB's own words.
 */
async function notValidCsv(
  ctx: ImportContext,
  path: string,
  columns: Columns,
  error: unknown,
): Promise<never> {
  const message = (error as Error).message;
  if (!/CSV|Invalid Input|Conversion/i.test(message)) throw error;
  const found = await firstProblem(path, (cell) => badCell(cell, columns), columns).catch(
    () => undefined,
  );
  if (found)
    return ctx.fail(
      found.line,
      found.column || undefined,
      found.column ? found.reason : `not valid CSV: ${found.reason}`,
    );
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  return ctx.fail(
    line === undefined ? undefined : Number(line),
    undefined,
    `not valid CSV: ${message.split('\n')[0]}`,
  );
}

/**
 * One pass over the file: every row checked and summed by practice and presentation. DuckDB parses
 * the numbers itself (a cell it cannot read stops the statement, and the file is then walked to name
 * it); money is read as text and cast to the published decimals, so that amounts given to more
 * places can be counted. Whether a practice and presentation has the same quantity per item twice is
 * told by two 64-bit fingerprints of its quantities: when either has as many bits as the group has
 * rows, they are all different; otherwise (rare) `repeatedRow` looks again.
 */
async function stage(
  tx: FactSession,
  path: string,
  cell: (field: keyof Columns) => string,
  synthetic: string,
  /** Whether rx_detail_code holds presentations to keep apart by quantity per item. */
  detailCodes: boolean,
) {
  const decimals = (v: string, places: number) =>
    `(strpos(${v}, '.') > 0 AND length(${v}) - strpos(${v}, '.') > ${places})`;
  const fingerprint = (shift: number) =>
    `bit_or(1::UBIGINT << ((hash(coalesce(per_item, -1)) >> ${shift}) % 64))`;
  // Names and descriptions are not carried: per practice × presentation they would hold a national
  // month's memory many times over, and ODS and the BNF list name what Flock shows.
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_stage AS
     SELECT month_raw, practice, bnf_code,
       -- Rows of the presentations a measure counts by quantity per item stay apart by it.
       ${detailCodes ? 'CASE WHEN bnf_code IN (SELECT code FROM rx_detail_code) THEN per_item END' : 'NULL::DOUBLE'} AS detail_quantity,
       any_value(commissioner) AS commissioner,
       coalesce(sum(items), 0)::INTEGER AS items,
       coalesce(sum(quantity), 0) AS quantity,
       coalesce(sum(nic), 0)::DECIMAL(15, 2) AS nic,
       coalesce(sum(actualCost), 0)::DECIMAL(18, 5) AS actual_cost,
       bool_or(synthetic) AS synthetic,
       count(*) AS n_rows,
       count(*) > 1 AND bit_count(${fingerprint(0)}) < count(*)
         AND bit_count(${fingerprint(6)}) < count(*) AS maybe_repeated,
       count(*) FILTER (WHERE ${cellRules.map((r) => `(${r.sqlBad(r.field)})`).join(' OR ')}) AS bad,
       -- Amounts with more decimal places than the columns keep (pennies; 1/1000 pennies) are rounded.
       count(*) FILTER (WHERE ${decimals('nic_text', 2)} OR ${decimals('cost_text', 5)}) AS rounded
     FROM (
       SELECT ${cell('month')} AS month_raw, ${cell('practice')} AS practice,
         ${cell('bnfCode')} AS bnf_code, ${cell('commissioner')} AS commissioner,
         ${cell('perItem')} AS per_item, ${synthetic} AS synthetic,
         ${cell('items')} AS items, ${cell('quantity')} AS quantity,
         TRY_CAST(${cell('nic')} AS DECIMAL(15, 2)) AS nic, ${cell('nic')} AS nic_text,
         TRY_CAST(${cell('actualCost')} AS DECIMAL(18, 5)) AS actualCost, ${cell('actualCost')} AS cost_text
       FROM read_csv(?, ${csvOptions(cell)}))
     GROUP BY ALL`,
    [path],
  );
}

/**
 * A practice, presentation and quantity per item that appears twice, among the few groups whose
 * fingerprints could not rule it out; undefined when there is none.
 */
async function repeatedRow(
  tx: FactSession,
  path: string,
  cell: (field: keyof Columns) => string,
): Promise<{ practice: string; bnf_code: string } | undefined> {
  const [found] = await tx.all<{ practice: string; bnf_code: string }>(
    `SELECT r.practice, r.bnf_code
     FROM (SELECT ${cell('practice')} AS practice, ${cell('bnfCode')} AS bnf_code,
             coalesce(${cell('perItem')}, -1) AS per_item
           FROM read_csv(?, ${csvOptions(cell)})) r
     SEMI JOIN (SELECT practice, bnf_code FROM rx_stage WHERE maybe_repeated) s
       ON s.practice = r.practice AND s.bnf_code = r.bnf_code
     GROUP BY r.practice, r.bnf_code, r.per_item HAVING count(*) > 1 ORDER BY 1, 2 LIMIT 1`,
    [path],
  );
  return found;
}

/** Stops the import at the first problem the summary shows, naming the line that has it; returns the month. */
async function check(
  ctx: ImportContext,
  path: string,
  columns: Columns,
  summary: StageSummary,
): Promise<string> {
  const locate = async (
    field: keyof Columns,
    bad: (value: string, cell: (field: keyof Columns) => string) => string | undefined,
  ): Promise<never> => {
    const found = await firstProblem(
      path,
      (cell) => {
        const reason = bad(cell(field), cell);
        return reason ? { field, reason } : undefined;
      },
      columns,
    );
    return ctx.fail(
      found?.line,
      found?.column ?? columns[field] ?? undefined,
      found?.reason ?? 'invalid value',
    );
  };
  const found = (v: string) => ` (found "${v.slice(0, 40)}")`;
  if (summary.bad) await locateBadCell(ctx, path, columns);
  const keyCheck = (field: 'month' | 'practice' | 'bnfCode') => (v: string) => {
    const reason = keyRules[field](v);
    return reason && `${reason}${found(v)}`;
  };
  if (summary.practices?.length) await locate('practice', keyCheck('practice'));
  if (summary.codes?.length) await locate('bnfCode', keyCheck('bnfCode'));
  if (summary.months.some((m) => m === null || !monthOf(m)))
    await locate('month', keyCheck('month'));
  const months = [...new Set(summary.months.map((m) => monthOf(m ?? '') ?? ''))].sort();
  const first = months[0] ?? '';
  if (months.length > 1) {
    await locate('month', (v) => {
      const m = monthOf(v);
      return m === undefined || m === months[0]
        ? undefined
        : `this row is for ${m}, others for ${months.filter((x) => x !== m).join(', ')}: a file must hold one month (it holds ${months.join(', ')})`;
    });
  }
  if (ctx.period && first !== ctx.period) {
    ctx.fail(
      2,
      columns.month,
      `the rows are for ${first} but the file is for ${ctx.period} (from its name or --period): is this the wrong month's file?`,
    );
  }
  if (summary.duplicate_practice) {
    const seen = new Set<number>();
    await locate('bnfCode', (_v, cell) => {
      if (
        cell('practice') !== summary.duplicate_practice ||
        cell('bnfCode') !== summary.duplicate_code
      )
        return undefined;
      const key = Number(cell('perItem').trim() || -1);
      if (!seen.has(key)) {
        seen.add(key);
        return undefined;
      }
      return `duplicate row: practice ${summary.duplicate_practice}, presentation ${summary.duplicate_code}, ${columns.perItem} ${cell('perItem').trim()} appears twice in the month`;
    });
  }
  return first;
}

/** What the person importing should know: practices, items, cost, codes not in the BNF list. */
async function report(ctx: ImportContext, tx: FactSession, month: string, summary: StageSummary) {
  const [totals] = await tx.all<{ practices: number; items: number; synthetic: number }>(
    `SELECT count(*) AS practices, sum(items) AS items, count(*) FILTER (WHERE synthetic) AS synthetic
     FROM (SELECT practice, sum(items) AS items, bool_or(synthetic) AS synthetic FROM rx_stage GROUP BY practice)`,
  );
  ctx.loaded(summary.groups);
  ctx.note(
    `${month.slice(0, 7)}: ${totals?.practices ?? 0} practices, ${summary.groups} practice × presentation totals from ${summary.rows} rows, ${totals?.items ?? 0} items`,
  );
  if (summary.rounded)
    ctx.note(
      `${summary.rounded} row${summary.rounded === 1 ? '' : 's'} gave NIC to more than 2 or actual cost to more than 5 decimal places; rounded to them`,
    );
  if (totals?.synthetic)
    ctx.note(
      `${totals.synthetic} practices' figures are synthetic (generated, not real prescribing)`,
    );
  const unknown = await tx.all<{ bnf_code: string; items: number }>(
    `SELECT bnf_code, items FROM prescribing_unknown_code WHERE month = ?::DATE ORDER BY items DESC`,
    [month],
  );
  if (unknown.length) {
    const items = unknown.reduce((s, u) => s + u.items, 0);
    ctx.note(
      `${unknown.length} BNF code${unknown.length === 1 ? ' is' : 's are'} not in the BNF code list (${items} items, kept and shown as "unknown code"): ${unknown
        .slice(0, 5)
        .map((u) => u.bnf_code)
        .join(', ')}${unknown.length > 5 ? ', …' : ''}`,
    );
  }
}
