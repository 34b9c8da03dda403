// Imports practice prescribing for one month: NHSBSA's English Prescribing Dataset or the older PDPI layout.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { FactSession } from '../platform/facts/fact-store.js';
import type {
  BulkImporter,
  ColumnLayout,
  ImportContext,
} from '../platform/imports/import-runner.js';
import { computeMonthIn } from './compute.service.js';

/** Where each field is found in a layout; absent optional fields are null. */
interface Columns {
  month: string;
  practice: string;
  practiceName: string | null;
  commissioner: string | null;
  bnfCode: string;
  description: string | null;
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
    practiceName: 'PRACTICE_NAME',
    commissioner: 'PCO_CODE',
    bnfCode: 'BNF_CODE',
    description: 'BNF_DESCRIPTION',
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
    practiceName: null,
    commissioner: 'PCT',
    bnfCode: 'BNF CODE',
    description: 'BNF NAME',
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
  return match ? `${match[1]}-${match[2]}` : undefined;
}

/** A month written in a file name, e.g. epd_201709.csv or T201509PDPI+BNFT.csv. */
export function monthFromFileName(fileName: string): string | undefined {
  const match = /(?:^|[^0-9])((?:19|20)\d{2})[_-]?(0[1-9]|1[0-2])(?:[^0-9]|$)/.exec(fileName);
  return match ? `${match[1]}-${match[2]}` : undefined;
}

const practicePattern = /^[A-Z0-9]{3,10}$/;
const bnfPattern = /^[0-9A-Z]{9,15}$/;
const wholeNumber = /^\d+$/;
const number = /^(\d+(\.\d*)?|\.\d+)$/;

/**
 * The rule each cell must satisfy, once as SQL (counted over the whole file in one pass) and once
 * in JavaScript (to name the first line that breaks it when the count is not zero).
 */
const cellRules: {
  field: keyof Columns;
  sql: (cell: string) => string;
  bad: (value: string) => string | undefined;
}[] = [
  {
    field: 'month',
    sql: (c) => `regexp_full_match(trim(${c}), '\\d{4}[_-]?(0[1-9]|1[0-2])')`,
    bad: (v) => (monthOf(v) ? undefined : 'expected a month as YYYYMM, YYYY_MM or YYYY-MM'),
  },
  {
    field: 'practice',
    sql: (c) => `regexp_full_match(trim(${c}), '[A-Z0-9]{3,10}')`,
    bad: (v) => (practicePattern.test(v.trim()) ? undefined : 'expected a practice code'),
  },
  {
    field: 'bnfCode',
    sql: (c) => `regexp_full_match(trim(${c}), '[0-9A-Z]{9,15}')`,
    bad: (v) =>
      bnfPattern.test(v.trim()) ? undefined : 'expected a BNF code (9 to 15 letters and digits)',
  },
  {
    field: 'items',
    sql: (c) => `regexp_full_match(trim(${c}), '\\d+') AND length(trim(${c})) <= 9`,
    bad: (v) =>
      wholeNumber.test(v.trim()) && v.trim().length <= 9
        ? undefined
        : 'expected a whole number of items, 0 or more',
  },
  ...(['quantity', 'nic', 'actualCost'] as const).map((field) => ({
    field,
    sql: (c: string) => `regexp_full_match(trim(${c}), '(\\d+(\\.\\d*)?|\\.\\d+)')`,
    bad: (v: string) =>
      number.test(v.trim())
        ? undefined
        : v.trim().startsWith('-')
          ? 'must not be negative'
          : 'expected a number, 0 or more',
  })),
];

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
    parse({ bom: true, info: true, relax_column_count: true }),
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
    const found = problem((field) => {
      const name = columns[field];
      const at = name === null ? undefined : positions.get(name);
      return at === undefined ? '' : (record[at] ?? '');
    });
    if (found) {
      parser.destroy();
      const column = columns[found.field] ?? found.field;
      return { line: info.lines, column, reason: found.reason };
    }
  }
  return undefined;
}

interface StageSummary {
  rows: number;
  groups: number;
  months: string[];
  bad: Record<string, number>;
  duplicate_practice: string | null;
  duplicate_code: string | null;
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
    const header = new Set(await headerOf(ctx, file.path));
    const cell = (field: keyof Columns) => {
      const name = columns[field];
      return name !== null && header.has(name) ? quote(name) : 'NULL';
    };
    const synthetic = header.has('SYNTHETIC') ? `upper(trim("SYNTHETIC")) = 'Y'` : 'false';
    // One fact-store transaction: staged, checked, stored and computed, or (on any problem) nothing.
    return ctx.facts.transaction(async (tx) => {
      const timer = setInterval(() => file.onProgress(tx.progress() * 0.7), 250);
      try {
        await stage(tx, file.path, cell, synthetic);
      } finally {
        clearInterval(timer);
      }
      file.onProgress(0.7);
      const [summary] = await tx.all<StageSummary>(`
        SELECT sum(n_rows)::BIGINT AS rows, count(*)::BIGINT AS groups,
          list(DISTINCT month ORDER BY month) AS months,
          struct_pack(${cellRules.map((r) => `${r.field} := sum(bad_${r.field})::BIGINT`).join(', ')}) AS bad,
          first(practice ORDER BY practice) FILTER (WHERE duplicated) AS duplicate_practice,
          first(bnf_code ORDER BY practice) FILTER (WHERE duplicated) AS duplicate_code
        FROM rx_stage`);
      if (!summary) throw new Error('no summary of the staged file');
      await check(ctx, file.path, columns, summary);
      const month = `${summary.months[0]}-01`;
      await store(tx, month, ctx.importId);
      file.onProgress(0.8);
      await report(ctx, tx, month, summary);
      await tx.run('DROP TABLE rx_stage');
      const computed = await computeMonthIn(tx, ctx.tx, month);
      ctx.note(computed.summary);
      file.onProgress(1);
      return summary.rows;
    });
  },
});

/** Replaces the month's figures for the practices in the file. */
async function store(tx: FactSession, month: string, importId: number) {
  await tx.run(
    `DELETE FROM prescribing WHERE month = ?::DATE AND practice_code IN (SELECT DISTINCT practice FROM rx_stage)`,
    [month],
  );
  await tx.run(
    `INSERT INTO prescribing
     SELECT ?::DATE, bnf_code, practice, items, quantity, nic, actual_cost, ?
     FROM rx_stage ORDER BY bnf_code, practice`,
    [month, importId],
  );
  await tx.run(
    `INSERT OR REPLACE INTO prescribing_source
     SELECT ?::DATE, practice, any_value(practice_name), any_value(commissioner), bool_or(synthetic), ?
     FROM rx_stage GROUP BY practice`,
    [month, importId],
  );
  await tx.run(
    `INSERT OR REPLACE INTO prescribing_unknown_code
     SELECT ?::DATE, s.bnf_code, any_value(s.description), sum(s.items), ?
     FROM rx_stage s ANTI JOIN bnf_presentation b ON b.code = s.bnf_code GROUP BY s.bnf_code`,
    [month, importId],
  );
}

async function headerOf(ctx: ImportContext, path: string): Promise<string[]> {
  const rows = await ctx.facts.all<{ column_name: string }>(
    `DESCRIBE SELECT * FROM read_csv(?, header = true, all_varchar = true)`,
    [path],
  );
  return rows.map((r) => r.column_name);
}

/** One pass over the file: every row checked and summed by practice and presentation. */
async function stage(
  tx: FactSession,
  path: string,
  cell: (field: keyof Columns) => string,
  synthetic: string,
) {
  const number = (field: keyof Columns, type: string) =>
    `TRY_CAST(trim(${cell(field)}) AS ${type})`;
  const badCounts = cellRules.map(
    (r) => `count(*) FILTER (WHERE NOT coalesce(${r.sql(cell(r.field))}, false)) AS bad_${r.field}`,
  );
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE rx_stage AS
     SELECT
       strftime(strptime(regexp_replace(trim(${cell('month')}), '[_-]', ''), '%Y%m'), '%Y-%m') AS month,
       trim(${cell('practice')}) AS practice,
       trim(${cell('bnfCode')}) AS bnf_code,
       any_value(trim(${cell('practiceName')})) AS practice_name,
       any_value(trim(${cell('commissioner')})) AS commissioner,
       any_value(trim(${cell('description')})) AS description,
       coalesce(sum(${number('items', 'INTEGER')}), 0)::INTEGER AS items,
       coalesce(sum(${number('quantity', 'DOUBLE')}), 0) AS quantity,
       coalesce(sum(${number('nic', 'DECIMAL(15, 2)')}), 0)::DECIMAL(15, 2) AS nic,
       coalesce(sum(${number('actualCost', 'DECIMAL(18, 5)')}), 0)::DECIMAL(18, 5) AS actual_cost,
       bool_or(${synthetic}) AS synthetic,
       count(*) AS n_rows,
       count(*) > 1 AND len(list_distinct(list(coalesce(trim(${cell('perItem')}), '')))) < count(*) AS duplicated,
       ${badCounts.join(',\n       ')}
     FROM read_csv(?, header = true, all_varchar = true)
     GROUP BY ALL`,
    [path],
  );
}

/** Stops the import at the first problem the summary shows, naming the line that has it. */
async function check(ctx: ImportContext, path: string, columns: Columns, summary: StageSummary) {
  for (const rule of cellRules) {
    if (!summary.bad[rule.field]) continue;
    const found = await firstProblem(
      path,
      (cell) => {
        const reason = rule.bad(cell(rule.field));
        return reason
          ? { field: rule.field, reason: `${reason} (found "${cell(rule.field).slice(0, 40)}")` }
          : undefined;
      },
      columns,
    );
    ctx.fail(
      found?.line,
      found?.column ?? columns[rule.field] ?? rule.field,
      found?.reason ?? 'invalid value',
    );
  }
  const months = summary.months.filter((m) => m !== null);
  if (months.length > 1) {
    const found = await firstProblem(
      path,
      (cell) =>
        monthOf(cell('month')) !== months[0]
          ? {
              field: 'month',
              reason: `this row is for ${monthOf(cell('month'))}, earlier rows for ${months[0]}`,
            }
          : undefined,
      columns,
    );
    ctx.fail(
      found?.line,
      columns.month,
      `${found?.reason ?? 'rows for more than one month'}: a file must hold one month (it holds ${months.join(', ')})`,
    );
  }
  if (ctx.period && months[0] !== ctx.period) {
    ctx.fail(
      2,
      columns.month,
      `the rows are for ${months[0]} but the file is for ${ctx.period} (from its name or --period): is this the wrong month's file?`,
    );
  }
  if (summary.duplicate_practice !== null) {
    const seen = new Set<string>();
    const found = await firstProblem(
      path,
      (cell) => {
        if (
          cell('practice').trim() !== summary.duplicate_practice ||
          cell('bnfCode').trim() !== summary.duplicate_code
        )
          return undefined;
        const key = cell('perItem').trim();
        if (!seen.has(key)) {
          seen.add(key);
          return undefined;
        }
        return {
          field: 'bnfCode',
          reason: `duplicate row: practice ${summary.duplicate_practice}, presentation ${summary.duplicate_code}, ${columns.perItem} ${key} appears twice in the month`,
        };
      },
      columns,
    );
    ctx.fail(found?.line, found?.column, found?.reason ?? 'duplicate row');
  }
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
  if (totals?.synthetic)
    ctx.note(
      `${totals.synthetic} practices' figures are synthetic (generated, not real prescribing)`,
    );
  const unknown = await tx.all<{ bnf_code: string; items: number }>(
    `SELECT bnf_code, items FROM prescribing_unknown_code WHERE month = ?::DATE AND import_id = ? ORDER BY items DESC`,
    [month, ctx.importId],
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
