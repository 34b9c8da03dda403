// What the prescribing pages show: a group's measures against other groups and practices, one measure, one practice, savings.
import { listMembers } from '../organisations/group.repository.js';
import type { Group } from '../organisations/group.service.js';
import type { Db } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import { sqlTextList, type FactStore } from '../platform/facts/fact-store.js';
import { MIN_PRACTICE_SAVING_PENCE, practiceSetSavingSql } from './price-per-unit.js';
import { findMeasure, measures, unitLabel, unitScale, type Measure } from './measures.js';
import { presentationLabel } from './presentation-names.js';
import { genericChemicals } from './substitution-sets.js';

/** A group lists a substitution set's price-per-unit saving from £200 (practices' from £10), as OpenPrescribing does. */
export const MIN_GROUP_SAVING_PENCE = 20000;

/**
 * Fewer groups than this with complete prescribing in a month are too few to rank a group among:
 * the group is then set against England's practices instead, and the page says so.
 */
export const MIN_GROUPS_TO_COMPARE = 10;

const inList = sqlTextList;

/** The month asked for (YYYY-MM), else the latest with figures for the group. */
function chooseMonth(months: readonly string[], asked: string | undefined) {
  if (asked !== undefined) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(asked))
      throw new AppError('invalid_input', 'month must be YYYY-MM', [
        { field: 'month', message: 'Enter a month as YYYY-MM' },
      ]);
    if (!months.includes(asked))
      throw new AppError(
        'not_found',
        `No prescribing figures for ${asked}; months held: ${months.join(', ') || 'none'}`,
      );
    return asked;
  }
  return months.at(-1);
}

async function groupContext(db: Db, facts: FactStore, group: Group) {
  const members = await listMembers(db, group.id, group.as_at);
  const codes = members.map((m) => m.code);
  const months = (
    await facts.all<{ month: string }>(
      `SELECT DISTINCT strftime(month, '%Y-%m') AS month FROM prescribing_source WHERE practice_code IN (${inList(codes)}) ORDER BY 1`,
    )
  ).map((r) => r.month);
  const [source] = await facts.all<{ synthetic: number; real: number }>(
    `SELECT count(*) FILTER (WHERE synthetic) AS synthetic, count(*) FILTER (WHERE NOT synthetic) AS real
     FROM prescribing_source WHERE practice_code IN (${inList(codes)})`,
  );
  const dataStatus =
    !source || source.synthetic + source.real === 0
      ? 'none'
      : source.synthetic === 0
        ? 'real'
        : source.real === 0
          ? 'synthetic'
          : 'mixed';
  return {
    members,
    codes,
    months,
    dataStatus: dataStatus as 'none' | 'real' | 'synthetic' | 'mixed',
  };
}

/** A practice's stored figures on one measure and month (measure_value). */
interface MeasureValueRow {
  practice_code: string;
  numerator: number;
  denominator: number;
  ratio: number | null;
  percentile: number | null;
  saving_pence: number | null;
}

const deciles = ['p10', 'p20', 'p30', 'p40', 'p50', 'p60', 'p70', 'p80', 'p90'] as const;
interface DecileRow {
  measure: string;
  month: string;
  level: 'practice' | 'group';
  compared: number;
  p10: number | null;
  p20: number | null;
  p30: number | null;
  p40: number | null;
  p50: number | null;
  p60: number | null;
  p70: number | null;
  p80: number | null;
  p90: number | null;
}

/**
 * Where a value falls among England's practices, 0–100: linear between the deciles, and beyond the
 * 10th and 90th along the slope of the nearest decile band, held within 0 and 100.
 */
export function percentileFromDeciles(
  value: number,
  row: Pick<DecileRow, (typeof deciles)[number]>,
): number | null {
  const v = deciles.map((d) => row[d]);
  if (v.some((x) => x === null)) return null;
  const pts = (v as number[]).map((x, i) => ({ p: (i + 1) * 10, v: x }));
  const along = (a: { p: number; v: number }, b: { p: number; v: number }) =>
    b.v === a.v
      ? value < a.v
        ? a.p - 5
        : value > b.v
          ? b.p + 5
          : (a.p + b.p) / 2
      : a.p + (10 * (value - a.v)) / (b.v - a.v);
  let i = pts.findIndex((pt) => value <= pt.v);
  if (i === -1) i = pts.length - 1;
  const p = along(pts[Math.max(0, i - 1)]!, pts[Math.max(1, i)]!);
  return Math.min(100, Math.max(0, p));
}

/**
 * A value's percent rank among others (0 lowest, 100 highest), as SQL's percent_rank: the share of
 * the others strictly below it, over one fewer than all of them with it.
 */
export function percentRank(value: number, others: readonly number[]): number | null {
  if (others.length === 0) return null;
  return (100 * others.filter((o) => o < value).length) / others.length;
}

/** How far a percentile is from good: 0 is best, 100 worst, whichever way the measure points; no direction sorts last. */
const badness = (m: Pick<Measure, 'lowIsGood'>, percentile: number | null) =>
  percentile === null || m.lowIsGood === null ? -1 : m.lowIsGood ? percentile : 100 - percentile;

export interface MeasureMonth {
  month: string;
  groupValue: number | null;
  numerator: number;
  denominator: number;
  /** England's standard practices with a value, and their deciles (10th … 90th). */
  nationalPractices: number;
  deciles: (number | null)[];
  /** Groups with complete prescribing in the month, and their deciles. */
  groupsCompared: number;
  groupDeciles: (number | null)[];
}

export interface MeasureSummary {
  id: string;
  title: string;
  unit: string;
  lowIsGood: boolean | null;
  costBased: boolean;
  tags: string[];
  openPrescribingId: string | null;
  months: MeasureMonth[];
  /** The chosen month. */
  latest: {
    month: string;
    groupValue: number | null;
    nationalMedian: number | null;
    nationalPractices: number;
    groupsCompared: number;
    /** 'groups' when enough groups have complete prescribing to rank among; else 'practices'. */
    comparedWith: 'groups' | 'practices';
    /** Percent rank among groups, or (comparedWith 'practices') the position among England's practice deciles. */
    groupPercentile: number | null;
    groupMedian: number | null;
    /**
     * Cost measures: what the group would save at the 10th percentile of groups (comparedWith
     * 'groups'), else the sum of its practices' positive savings at the practices' 10th percentile.
     */
    savingPence: number | null;
    /** Sum of member practices' positive savings at the national practices' 10th percentile. */
    practicesSavingPence: number | null;
  } | null;
}

const decileList = (d: DecileRow | undefined) => deciles.map((k) => d?.[k] ?? null);

/** Every measure for the group: its value by month against groups' and practices' deciles, worst first in the chosen month. */
export async function groupMeasures(
  db: Db,
  facts: FactStore,
  group: Group,
  askedMonth?: string,
  { minGroups = MIN_GROUPS_TO_COMPARE }: { minGroups?: number } = {},
) {
  const ctx = await groupContext(db, facts, group);
  const month = chooseMonth(ctx.months, askedMonth);
  const sums = await facts.all<{
    measure: string;
    month: string;
    numerator: number;
    denominator: number;
    numerator_cost: number;
    saving: number | null;
  }>(
    `SELECT measure, strftime(month, '%Y-%m') AS month, sum(numerator) AS numerator, sum(denominator) AS denominator,
       sum(numerator_cost)::DOUBLE AS numerator_cost, sum(saving_pence) FILTER (WHERE saving_pence > 0) AS saving
     FROM measure_value WHERE practice_code IN (${inList(ctx.codes)}) AND denominator > 0 GROUP BY ALL`,
  );
  const decileRows = await facts.all<DecileRow>(
    `SELECT measure, strftime(month, '%Y-%m') AS month, * EXCLUDE (measure, month) FROM measure_decile`,
  );
  const decileOf = new Map(decileRows.map((d) => [`${d.measure}|${d.month}|${d.level}`, d]));
  const sumOf = new Map(sums.map((s) => [`${s.measure}|${s.month}`, s]));
  // The other groups' values in the chosen month, to rank this group's among.
  const others = month
    ? await facts.all<{ measure: string; ratio: number }>(
        `SELECT measure, ratio FROM measure_group_value
         WHERE month = ?::DATE AND ratio IS NOT NULL AND group_code <> ?`,
        [`${month}-01`, group.code],
      )
    : [];
  const othersOf = new Map<string, number[]>();
  for (const o of others) othersOf.set(o.measure, [...(othersOf.get(o.measure) ?? []), o.ratio]);
  // Each practice's value by month, for the small multiples on a measure's page.
  const values = await facts.all<{
    measure: string;
    month: string;
    practice_code: string;
    ratio: number | null;
  }>(
    `SELECT measure, strftime(month, '%Y-%m') AS month, practice_code, ratio FROM measure_value
     WHERE practice_code IN (${inList(ctx.codes)})`,
  );
  const monthIndex = new Map(ctx.months.map((m, i) => [m, i]));
  const practiceSeries = new Map<string, Map<string, (number | null)[]>>();
  for (const v of values) {
    const byPractice = practiceSeries.get(v.measure) ?? new Map<string, (number | null)[]>();
    const series = byPractice.get(v.practice_code) ?? ctx.months.map(() => null);
    const i = monthIndex.get(v.month);
    if (i !== undefined) series[i] = v.ratio;
    byPractice.set(v.practice_code, series);
    practiceSeries.set(v.measure, byPractice);
  }
  const summaries: MeasureSummary[] = measures().map((m) => {
    const rows: MeasureMonth[] = ctx.months.map((mo) => {
      const s = sumOf.get(`${m.id}|${mo}`);
      const practice = decileOf.get(`${m.id}|${mo}|practice`);
      const groups = decileOf.get(`${m.id}|${mo}|group`);
      return {
        month: mo,
        groupValue: s && s.denominator > 0 ? (unitScale(m) * s.numerator) / s.denominator : null,
        numerator: s?.numerator ?? 0,
        denominator: s?.denominator ?? 0,
        nationalPractices: practice?.compared ?? 0,
        deciles: decileList(practice),
        groupsCompared: groups?.compared ?? 0,
        groupDeciles: decileList(groups),
      };
    });
    const chosen = rows.find((r) => r.month === month);
    const practiceDeciles = month ? decileOf.get(`${m.id}|${month}|practice`) : undefined;
    const groupDeciles = month ? decileOf.get(`${m.id}|${month}|group`) : undefined;
    const byGroups = (chosen?.groupsCompared ?? 0) >= minGroups;
    const s = month ? sumOf.get(`${m.id}|${month}`) : undefined;
    const practicesSaving = m.costBased ? (s?.saving ?? 0) : null;
    let groupSaving: number | null = null;
    if (m.costBased && s && groupDeciles?.p10 !== null && groupDeciles?.p10 !== undefined)
      groupSaving = Math.round(
        100 * (s.numerator_cost - (groupDeciles.p10 / unitScale(m)) * s.denominator),
      );
    return {
      id: m.id,
      title: m.title,
      unit: unitLabel(m),
      lowIsGood: m.lowIsGood,
      costBased: m.costBased,
      tags: m.tags,
      openPrescribingId: m.openPrescribing?.id ?? null,
      months: rows,
      latest: chosen
        ? {
            month: chosen.month,
            groupValue: chosen.groupValue,
            nationalMedian: practiceDeciles?.p50 ?? null,
            nationalPractices: practiceDeciles?.compared ?? 0,
            groupsCompared: chosen.groupsCompared,
            comparedWith: byGroups ? 'groups' : 'practices',
            groupPercentile:
              chosen.groupValue === null
                ? null
                : byGroups
                  ? percentRank(chosen.groupValue, othersOf.get(m.id) ?? [])
                  : practiceDeciles
                    ? percentileFromDeciles(chosen.groupValue, practiceDeciles)
                    : null,
            groupMedian: groupDeciles?.p50 ?? null,
            savingPence: m.costBased
              ? byGroups
                ? groupSaving === null
                  ? null
                  : Math.max(0, groupSaving)
                : practicesSaving
              : null,
            practicesSavingPence: practicesSaving,
          }
        : null,
    };
  });
  summaries.sort(
    (a, b) =>
      badness(b, b.latest?.groupPercentile ?? null) -
        badness(a, a.latest?.groupPercentile ?? null) || a.title.localeCompare(b.title),
  );
  const [computation] = month
    ? await facts.all<{ method: string; computed_at: string; national: boolean }>(
        `SELECT method, strftime(computed_at, '%Y-%m-%d %H:%M') AS computed_at, national
         FROM prescribing_computation WHERE month = ?::DATE`,
        [`${month}-01`],
      )
    : [];
  return { ...ctx, month, measures: summaries, practiceSeries, computation: computation ?? null };
}

export type GroupMeasures = Awaited<ReturnType<typeof groupMeasures>>;

/** A shipped measure, or a 404 naming the id asked for. */
export function requireMeasure(measureId: string): Measure {
  const measure = findMeasure(measureId);
  if (!measure) throw new AppError('not_found', `No measure "${measureId}"`);
  return measure;
}

/**
 * One measure: every member practice in the dashboard's month, worst first, with the group's series
 * and every practice's by month (both taken from the dashboard, which has already read them).
 */
export async function groupMeasure(facts: FactStore, dashboard: GroupMeasures, measure: Measure) {
  const { month, codes, members } = dashboard;
  const rows = await facts.all<MeasureValueRow>(
    `SELECT practice_code, numerator, denominator, ratio, percentile, saving_pence
     FROM measure_value WHERE measure = ? AND month = ?::DATE AND practice_code IN (${inList(codes)})
     ORDER BY practice_code`,
    [measure.id, `${month ?? '1900-01'}-01`],
  );
  const names = new Map(members.map((m) => [m.code, m.name]));
  const worstFirst = (a: number, b: number) =>
    measure.lowIsGood === false ? a - b : measure.lowIsGood === true ? b - a : b - a;
  const practices = rows
    .map((r) => ({
      code: r.practice_code,
      name: names.get(r.practice_code) ?? r.practice_code,
      numerator: r.numerator,
      denominator: r.denominator,
      value: r.ratio,
      percentile: r.percentile,
      savingPence: measure.costBased ? r.saving_pence : null,
    }))
    // Worst first: highest values when low is good, lowest when high is good (highest first when
    // neither is); no value last.
    .sort((a, b) => (a.value === null ? 1 : b.value === null ? -1 : worstFirst(a.value, b.value)));
  const summary = dashboard.measures.find((m) => m.id === measure.id)!;
  const savingTotal = measure.costBased
    ? practices.reduce(
        (s, p) => s + (p.savingPence !== null && p.savingPence > 0 ? p.savingPence : 0),
        0,
      )
    : null;
  return {
    months: dashboard.months,
    month,
    dataStatus: dashboard.dataStatus,
    measure,
    summary,
    practices,
    /** Practice code → value by month, aligned with `months`. */
    byPractice: dashboard.practiceSeries.get(measure.id) ?? new Map<string, (number | null)[]>(),
    decileMonths: summary.months.map((m) => ({ month: m.month, deciles: m.deciles })),
    groupDecileMonths: summary.months.map((m) => ({ month: m.month, deciles: m.groupDeciles })),
    savingTotal,
  };
}

/** One substitution set's price-per-unit figures for a practice or a group. */
export interface PpuRow {
  set_code: string;
  name: string;
  /** Whether the set joins equivalent formulations (tablets and capsules, say). */
  formulations: boolean;
  quantity: number;
  nic: string;
  price_per_unit: number | null;
  target_price_per_unit: number;
  saving_pence: number;
  /** Groups only: member practices with a saving of £10 or more in the set. */
  practices?: number;
}

/** A set's name: its generic presentation's, the pooled chemical's, or its code when the BNF list lacks it. */
function setName(code: string, bnfName: string | null): string {
  const pooled = genericChemicals.find((g) => code.startsWith(g.chemical));
  if (pooled) return pooled.name;
  return presentationLabel(code, bnfName);
}

/**
 * Price-per-unit rows for some practices (one for a practice's page, the members for a group's): per
 * substitution set, their quantity, cost and price per unit, and the sum of their savings, listed
 * where it reaches the minimum.
 */
const ppuRowsSql = (practiceList: string, minimum: number) => `
  WITH each AS (${practiceSetSavingSql(practiceList)})
  SELECT e.set_code, b.name AS bnf_name, bool_or(e.formulations) AS formulations,
    sum(e.quantity) AS quantity, sum(e.nic)::VARCHAR AS nic,
    CASE WHEN sum(e.quantity) > 0 THEN sum(e.nic)::DOUBLE / sum(e.quantity) END AS price_per_unit,
    any_value(t.target_pence_per_unit) / 100 AS target_price_per_unit,
    sum(e.saving_pence)::BIGINT AS saving_pence,
    count(*) FILTER (WHERE e.saving_pence >= ${MIN_PRACTICE_SAVING_PENCE}) AS practices
  FROM each e JOIN ppu_target t ON t.month = ?::DATE AND t.set_code = e.set_code
  LEFT JOIN bnf_presentation b ON b.code = e.set_code
  GROUP BY e.set_code, b.name HAVING sum(e.saving_pence) >= ${minimum}
  ORDER BY saving_pence DESC, e.set_code`;

async function ppuRows(
  facts: FactStore,
  month: string,
  practices: readonly string[],
  group: boolean,
) {
  const date = `${month}-01`;
  const rows = await facts.all<Omit<PpuRow, 'name'> & { bnf_name: string | null }>(
    ppuRowsSql(inList(practices), group ? MIN_GROUP_SAVING_PENCE : MIN_PRACTICE_SAVING_PENCE),
    [date, date],
  );
  return rows.map(({ bnf_name, practices, ...r }): PpuRow => ({
    ...r,
    name: setName(r.set_code, bnf_name),
    ...(group ? { practices } : {}),
  }));
}

/**
 * Price-per-unit savings for the group in the month, by substitution set: the sum of its practices'
 * savings at the set's national 10th percentile price, listed where it is at least £200. The total is
 * the sum of the rows listed.
 */
export async function groupPricePerUnit(
  db: Db,
  facts: FactStore,
  group: Group,
  askedMonth?: string,
  limit = 50,
) {
  const ctx = await groupContext(db, facts, group);
  const month = chooseMonth(ctx.months, askedMonth);
  const rows = month ? await ppuRows(facts, month, ctx.codes, true) : [];
  const totalPence = rows.reduce((s, r) => s + r.saving_pence, 0);
  return {
    ...ctx,
    month,
    rows: rows.slice(0, limit),
    allRows: rows,
    totalPence,
    presentations: rows.length,
  };
}

/** One practice: its measures, its price-per-unit savings and its spend by BNF chapter against a fair share. */
export async function practicePrescribing(
  facts: FactStore,
  group: Group,
  dashboard: GroupMeasures,
  practiceCode: string,
) {
  const ctx = dashboard;
  const member = ctx.members.find((m) => m.code === practiceCode);
  if (!member)
    throw new AppError('not_found', `${practiceCode} is not a member practice of ${group.name}`);
  const month = ctx.month;
  const monthDate = `${month ?? '1900-01'}-01`;
  const values = await facts.all<MeasureValueRow & { measure: string }>(
    `SELECT measure, practice_code, numerator, denominator, ratio, percentile, saving_pence FROM measure_value WHERE month = ?::DATE AND practice_code = ?`,
    [monthDate, practiceCode],
  );
  const valueOf = new Map(values.map((v) => [v.measure, v]));
  const measureRows = dashboard.measures.map((s) => {
    const v = valueOf.get(s.id);
    const m = findMeasure(s.id)!;
    return {
      id: s.id,
      title: s.title,
      unit: s.unit,
      value: v?.ratio ?? null,
      percentile: v?.percentile ?? null,
      groupValue: s.latest?.groupValue ?? null,
      nationalMedian: s.latest?.nationalMedian ?? null,
      savingPence: m.costBased ? (v?.saving_pence ?? null) : null,
      badness: badness(m, v?.percentile ?? null),
    };
  });
  measureRows.sort((a, b) => b.badness - a.badness || a.title.localeCompare(b.title));
  const ppu = month ? await ppuRows(facts, month, [practiceCode], false) : [];
  const ppuTotalPence = ppu.reduce((s, r) => s + r.saving_pence, 0);
  // List sizes are the denominators of any per-1,000-patients measure.
  const listMeasure = measures().find(
    (m) => 'population' in m.denominator && m.denominator.population === 'list_size',
  );
  const lists = await facts.all<{ practice_code: string; list_size: number }>(
    `SELECT practice_code, denominator AS list_size FROM measure_value
     WHERE month = ?::DATE AND measure = ? AND denominator > 0 AND practice_code IN (${inList(ctx.codes)})`,
    [monthDate, listMeasure?.id ?? ''],
  );
  const listOf = new Map(lists.map((l) => [l.practice_code, l.list_size]));
  const groupList = lists.reduce((s, l) => s + l.list_size, 0);
  const ownList = listOf.get(practiceCode) ?? 0;
  // Fair share by chapter: the spend per registered patient of the group's practices with a list
  // size, in the chapter, × this practice's list size.
  const chapters = await facts.all<{
    chapter_code: string;
    chapter: string | null;
    practice_pence: number;
    group_pence: number;
  }>(
    `SELECT substr(p.bnf_code, 1, 2) AS chapter_code, any_value(b.chapter) AS chapter,
       (sum(p.actual_cost) FILTER (WHERE p.practice_code = ?) * 100)::BIGINT AS practice_pence,
       (sum(p.actual_cost) FILTER (WHERE p.practice_code IN (${inList(lists.map((l) => l.practice_code))})) * 100)::BIGINT AS group_pence
     FROM prescribing p LEFT JOIN bnf_presentation b ON b.code = p.bnf_code
     WHERE p.month = ?::DATE AND p.practice_code IN (${inList(ctx.codes)}) GROUP BY 1 ORDER BY 1`,
    [practiceCode, monthDate],
  );
  const chapterRows = chapters.map((c) => {
    const fairPence =
      groupList > 0 && ownList > 0
        ? Math.round(((c.group_pence ?? 0) * ownList) / groupList)
        : null;
    return {
      code: c.chapter_code,
      name: c.chapter ?? `Chapter ${c.chapter_code} (not in the BNF code list)`,
      practicePence: c.practice_pence ?? 0,
      fairSharePence: fairPence,
      differencePence: fairPence === null ? null : (c.practice_pence ?? 0) - fairPence,
    };
  });
  return {
    months: ctx.months,
    dataStatus: ctx.dataStatus,
    month,
    practice: member,
    measures: measureRows,
    ppu,
    ppuTotalPence,
    chapters: chapterRows,
    listSize: ownList,
    groupListSize: groupList,
  };
}

/** Every member practice × every measure in the month, for one CSV. */
export async function practicesByMeasures(
  db: Db,
  facts: FactStore,
  group: Group,
  askedMonth?: string,
) {
  const ctx = await groupContext(db, facts, group);
  const month = chooseMonth(ctx.months, askedMonth);
  const rows = await facts.all<MeasureValueRow & { measure: string }>(
    `SELECT practice_code, measure, numerator, denominator, ratio, percentile, saving_pence FROM measure_value
     WHERE month = ?::DATE AND practice_code IN (${inList(ctx.codes)}) ORDER BY practice_code, measure`,
    [`${month ?? '1900-01'}-01`],
  );
  const names = new Map(ctx.members.map((m) => [m.code, m.name]));
  return {
    ...ctx,
    month,
    rows: rows.map((r) => {
      const m = findMeasure(r.measure);
      return {
        ...r,
        practice_name: names.get(r.practice_code) ?? '',
        unit: m ? unitLabel(m) : '',
        title: m?.title ?? r.measure,
      };
    }),
  };
}
