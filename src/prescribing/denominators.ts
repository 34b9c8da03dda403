// Each prescribing practice's list size and STAR-PU, from the registered-patient figures Flock holds.
import { sql } from 'kysely';
import type { Db } from '../platform/db/schema.js';
import { practiceIds, readInSlices } from '../platform/db/slices.js';
import { latestListSizes, referencePopulation } from '../population/population.repository.js';
import type { Sex } from '../population/population.table.js';
import { starPu, starPuWeights, type AgeSexCount } from './star-pu.js';

export interface PracticeDenominator {
  practiceCode: string;
  /** A GP practice in the organisation register, open in the month: only these are ranked nationally. */
  standard: boolean;
  listSize: number | null;
  /** Where the age/sex mix came from: the practice's own extract, or England's mix × list size. */
  ageSexFrom: 'extract' | 'england-mix' | 'none';
  starPu: Record<string, number>;
}

/**
 * List size and every STAR-PU weighting for each practice code. The age/sex extract nearest the
 * month is used; a practice without one gets England's age/sex mix scaled to its latest list size.
 */
export async function practiceDenominators(
  db: Db,
  practiceCodes: readonly string[],
  month: string,
  /** The STAR-PU and ASTRO-PU weightings to compute (default: every one held). */
  weightings?: readonly string[],
  /** The month's open practices and their latest list sizes, when the caller has read them already. */
  already?: { ids: ReadonlyMap<string, number>; sizes: ReadonlyMap<number, number> },
): Promise<PracticeDenominator[]> {
  // Standard practices: GP practices in the organisation register open at some time in the month.
  const ids = already?.ids ?? (await openPracticeIds(db, month));
  const known = practiceCodes.flatMap((code) => {
    const id = ids.get(code);
    return id === undefined ? [] : [{ code, id }];
  });
  const idList = known.map((k) => k.id);
  const extracts = await sql<{ practice_id: number; sex: Sex; age_band: string; patients: number }>`
    WITH nearest AS (
      SELECT DISTINCT ON (practice_id) practice_id, extract_date FROM registered_population
      WHERE practice_id = any(${idList}::int[])
      ORDER BY practice_id, abs(extract_date - ${month}::date), extract_date)
    SELECT r.practice_id, r.sex, r.age_band, r.patients FROM registered_population r
    JOIN nearest n USING (practice_id, extract_date)`.execute(db);
  const bands = new Map<number, AgeSexCount[]>();
  for (const row of extracts.rows) {
    const list = bands.get(row.practice_id) ?? [];
    list.push({ sex: row.sex, band: row.age_band, patients: row.patients });
    bands.set(row.practice_id, list);
  }
  const sizes =
    already?.sizes ??
    new Map((await latestListSizes(db, idList)).map((s) => [s.practice_id, s.patients]));
  const england = await englandMix(db);
  const all = starPuWeights();
  const weights = weightings
    ? Object.fromEntries(Object.entries(all).filter(([name]) => weightings.includes(name)))
    : all;
  const byId = new Map(known.map((k) => [k.code, k.id]));
  return practiceCodes.map((code) => {
    const id = byId.get(code);
    const own = id === undefined ? undefined : bands.get(id);
    const size = id === undefined ? undefined : sizes.get(id);
    let population: AgeSexCount[] | undefined;
    let ageSexFrom: PracticeDenominator['ageSexFrom'] = 'none';
    if (own) {
      population = own;
      ageSexFrom = 'extract';
    } else if (size !== undefined && england) {
      population = england.map((b) => ({ ...b, patients: b.patients * size }));
      ageSexFrom = 'england-mix';
    }
    const listSize = own ? own.reduce((s, b) => s + b.patients, 0) : (size ?? null);
    const units: Record<string, number> = {};
    if (population)
      for (const [name, w] of Object.entries(weights)) units[name] = starPu(w, population);
    return { practiceCode: code, standard: id !== undefined, listSize, ageSexFrom, starPu: units };
  });
}

/** GP practices in the organisation register open at some time in the month, by code. */
async function openPracticeIds(db: Db, month: string): Promise<Map<string, number>> {
  const monthEnd = sql<string>`(${month}::date + interval '1 month' - interval '1 day')::date`;
  const open = await db
    .selectFrom('organisation')
    .select(['id', 'code'])
    .where('type', '=', 'practice')
    .where((eb) => eb.or([eb('open_date', 'is', null), eb('open_date', '<=', monthEnd)]))
    .where((eb) => eb.or([eb('close_date', 'is', null), eb('close_date', '>=', month)]))
    .execute();
  return new Map(open.map((o) => [o.code, o.id]));
}

/** England's population by sex and band as shares of 1, from ONS (or undefined if not imported). */
async function englandMix(db: Db): Promise<AgeSexCount[] | undefined> {
  const reference = await referencePopulation(db, 'E92000001');
  if (!reference) return undefined;
  const total = reference.rows.reduce((s, r) => s + r.people, 0);
  return reference.rows.map((r) => ({ sex: r.sex, band: r.age_band, patients: r.people / total }));
}

/** A month's files are national when they hold at least this share of England's open practices with a list size. */
export const NATIONAL_SHARE = 0.9;
/** A group is compared with other groups when the month's files cover this share of its registered patients. */
export const GROUP_COVERAGE = 0.95;

export interface MonthPractice {
  code: string;
  /** The commissioning group it belonged to in the month (else the first it joined later), if any. */
  groupCode: string | null;
  inFile: boolean;
  listSize: number | null;
}

export interface MonthPractices {
  /** Every practice compared in the month: those in its files, plus (national months) the rest with a list size. */
  practices: MonthPractice[];
  national: boolean;
  /** Groups whose patients the month's files cover (GROUP_COVERAGE), with their practices there. */
  groups: { code: string; practices: number; coverage: number }[];
  /** The month's open practices by code and their latest list sizes, for practiceDenominators. */
  known: { ids: Map<string, number>; sizes: Map<number, number> };
}

/**
 * The practices and groups a month's figures compare. OpenPrescribing ranks every standard practice
 * with a list size, so one with no prescribing of a measure's drugs counts as 0; Flock does the same
 * when the month's files are national, and otherwise compares only the practices the files hold (a
 * practice missing from a sample has no figures, not zero prescribing). A group is compared with
 * other groups only when the files cover its practices, so that a group is never judged on part of
 * its prescribing.
 */
export async function monthPractices(
  db: Db,
  inFile: readonly string[],
  month: string,
): Promise<MonthPractices> {
  // A slice of the register at a time, so that the pages are answered meanwhile.
  const sizes = new Map<number, number>();
  const rows = await readInSlices(await practiceIds(db), async (slice) => {
    const open = await sql<{ id: number; code: string; group_code: string | null }>`
      SELECT DISTINCT ON (p.id) p.id, p.code, g.code AS group_code
      FROM organisation p
      LEFT JOIN organisation_relationship r ON r.child_id = p.id AND r.kind = 'member_of_group'
        AND (r.valid_to IS NULL OR r.valid_to > ${month}::date)
      LEFT JOIN organisation g ON g.id = r.parent_id AND g.type = 'group'
      WHERE p.type = 'practice' AND p.id BETWEEN ${slice[0]!} AND ${slice.at(-1)!}
        AND (p.open_date IS NULL OR p.open_date < ${month}::date + interval '1 month')
        AND (p.close_date IS NULL OR p.close_date >= ${month}::date)
      -- the group on the month's first day, else the first the practice joined after it
      ORDER BY p.id, (r.valid_from <= ${month}::date) DESC, r.valid_from`.execute(db);
    for (const s of await latestListSizes(
      db,
      open.rows.map((r) => r.id),
    ))
      sizes.set(s.practice_id, s.patients);
    return open.rows;
  });
  const file = new Set(inFile);
  const open = rows.map((r) => ({
    code: r.code,
    groupCode: r.group_code,
    inFile: file.has(r.code),
    listSize: sizes.get(r.id) ?? null,
  }));
  const withList = open.filter((p) => p.listSize !== null && p.listSize > 0);
  const national =
    withList.length > 0 &&
    withList.filter((p) => p.inFile).length >= NATIONAL_SHARE * withList.length;
  const known = new Set(open.map((p) => p.code));
  const practices: MonthPractice[] = [
    ...open.filter((p) => p.inFile || (national && p.listSize !== null && p.listSize > 0)),
    // Codes in the file that the register does not hold as open practices: compared, never ranked.
    ...inFile
      .filter((code) => !known.has(code))
      .map((code) => ({ code, groupCode: null, inFile: true, listSize: null })),
  ];
  const byGroup = new Map<string, { all: number; covered: number; practices: number }>();
  for (const p of withList) {
    if (p.groupCode === null) continue;
    const g = byGroup.get(p.groupCode) ?? { all: 0, covered: 0, practices: 0 };
    g.all += p.listSize!;
    if (p.inFile) {
      g.covered += p.listSize!;
      g.practices += 1;
    }
    byGroup.set(p.groupCode, g);
  }
  const groups = [...byGroup]
    .map(([code, g]) => ({ code, practices: g.practices, coverage: g.covered / g.all }))
    .filter((g) => g.coverage >= GROUP_COVERAGE)
    .sort((a, b) => a.code.localeCompare(b.code));
  return {
    practices,
    national,
    groups,
    known: { ids: new Map(rows.map((r) => [r.code, r.id])), sizes },
  };
}
