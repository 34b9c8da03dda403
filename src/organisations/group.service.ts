// Commissioning groups as their members and public see them: who belongs, how big, how needy, how deprived.
import {
  allocationAreaTotals,
  allocationComponents,
  allocationYears,
  deprivationFor,
  latestListSizes,
  latestQofYear,
  latestWeightedPopulations,
  prevalenceFor,
  sumWeightedPopulation,
  type ListSizeRow,
} from '../population/population.repository.js';
import { mainRegisters, registerName, registerShortName } from '../population/qof-registers.js';
import type { Db } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import {
  findGroupByCode,
  findSuccessor,
  listGroupsWithMembers,
  listMembers,
  type GroupRow,
} from './group.repository.js';

export type Group = GroupRow;

export const listGroups = listGroupsWithMembers;

export async function requireGroup(db: Db, code: string, today: string): Promise<Group> {
  const group = /^[A-Za-z0-9]{2,9}$/.test(code)
    ? await findGroupByCode(db, code, today)
    : undefined;
  if (!group) throw new AppError('not_found', `There is no commissioning group with code ${code}`);
  return group;
}

export const listSizeSourceText: Record<ListSizeRow['source'], string> = {
  'registered-patients': 'NHS Digital patients registered at a GP practice',
  'qof-prevalence': 'QOF list size',
  allocations: 'NHS England allocations file',
};

function describeSources(rows: ListSizeRow[]) {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const label = `${listSizeSourceText[r.source]}, ${r.period}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([source, practices]) => ({ source, practices }));
}

/** The public view of a group: its member practices and list sizes, nothing private. */
export async function groupHome(db: Db, group: Group) {
  const members = await listMembers(db, group.id, group.as_at);
  const listSizes = new Map(
    (
      await latestListSizes(
        db,
        members.map((m) => m.id),
      )
    ).map((l) => [l.practice_id, l]),
  );
  const successor = group.is_current ? undefined : await findSuccessor(db, group.id, group.as_at);
  const practices = members.map((m) => {
    const list = listSizes.get(m.id);
    return {
      code: m.code,
      name: m.name,
      postcode: m.postcode,
      pcn: m.pcn_name,
      registeredPatients: list?.patients ?? null,
      registeredPatientsPeriod: list?.period ?? null,
    };
  });
  return {
    group,
    successor: successor ?? null,
    practices,
    totalRegisteredPatients: practices.reduce((sum, p) => sum + (p.registeredPatients ?? 0), 0),
    listSizeSources: describeSources([...listSizes.values()]),
  };
}

export const practiceSortKeys = [
  'code',
  'name',
  'pcn',
  'registeredPatients',
  'weightedPopulation',
  'imdDecile',
  ...mainRegisters,
] as const;
export type PracticeSortKey = (typeof practiceSortKeys)[number];

/** The members' table: list size, weighted population, deprivation and the main QOF prevalences. */
export async function practicesTable(
  db: Db,
  group: Group,
  sort: { key: PracticeSortKey; descending: boolean },
) {
  const members = await listMembers(db, group.id, group.as_at);
  const ids = members.map((m) => m.id);
  const [listSizes, weighted, deprivation, qofYear] = await Promise.all([
    latestListSizes(db, ids),
    latestWeightedPopulations(db, ids),
    deprivationFor(db, ids, 2019),
    latestQofYear(db),
  ]);
  const prevalence = qofYear ? await prevalenceFor(db, ids, qofYear) : [];
  const listById = new Map(listSizes.map((l) => [l.practice_id, l]));
  const weightedById = new Map(weighted.map((w) => [w.practice_id, w]));
  const imdById = new Map(deprivation.map((d) => [d.practice_id, d]));
  const prevalenceById = new Map<number, Record<string, number | null>>();
  for (const p of prevalence) {
    const entry = prevalenceById.get(p.practice_id) ?? {};
    entry[p.register_code] =
      p.list_size > 0 && p.register_size <= p.list_size
        ? (p.register_size / p.list_size) * 100
        : null;
    prevalenceById.set(p.practice_id, entry);
  }
  const rows = members.map((m) => {
    const list = listById.get(m.id);
    const w = weightedById.get(m.id);
    const imd = imdById.get(m.id);
    const prev = prevalenceById.get(m.id) ?? {};
    return {
      code: m.code,
      name: m.name,
      pcn: m.pcn_name,
      pcnCode: m.pcn_code,
      closeDate: m.close_date,
      registeredPatients: list?.patients ?? null,
      registeredPatientsPeriod: list?.period ?? null,
      weightedPopulation: w?.core_services ?? null,
      weightedPopulationYear: w?.allocation_year ?? null,
      imdScore: imd?.score ?? null,
      imdDecile: imd?.national_decile ?? null,
      prevalence: Object.fromEntries(mainRegisters.map((r) => [r, prev[r] ?? null])) as Record<
        (typeof mainRegisters)[number],
        number | null
      >,
    };
  });
  const value = (r: (typeof rows)[number]): string | number | null =>
    (mainRegisters as readonly string[]).includes(sort.key)
      ? r.prevalence[sort.key as (typeof mainRegisters)[number]]
      : (r[sort.key as Exclude<PracticeSortKey, (typeof mainRegisters)[number]>] ?? null);
  rows.sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null && vb === null) return a.name.localeCompare(b.name);
    if (va === null) return 1; // missing values last, whichever the direction
    if (vb === null) return -1;
    const order =
      typeof va === 'number' && typeof vb === 'number'
        ? va - vb
        : String(va).localeCompare(String(vb));
    return sort.descending ? -order : order;
  });
  return {
    group,
    qofYear,
    registers: mainRegisters.map((code) => ({
      code,
      name: registerName(code),
      short: registerShortName(code),
    })),
    listSizeSources: describeSources(listSizes),
    weightedPopulationYears: [...new Set(weighted.map((w) => w.allocation_year))].sort(),
    rows,
  };
}

/** Weighted population of the group by allocation component, and its share of its ICB, region and England. */
export async function groupOverview(db: Db, group: Group, requestedYear?: string) {
  const members = await listMembers(db, group.id, group.as_at);
  const ids = members.map((m) => m.id);
  const years = await allocationYears(db);
  const year = requestedYear && years.includes(requestedYear) ? requestedYear : years[0];
  if (requestedYear && !years.includes(requestedYear)) {
    throw new AppError(
      'not_found',
      `No allocations are held for ${requestedYear}; years held: ${years.join(', ')}`,
    );
  }
  const listSizes = await latestListSizes(db, ids);
  const base = {
    group,
    practices: members.length,
    registeredPatients: listSizes.reduce((sum, l) => sum + l.patients, 0),
    listSizeSources: describeSources(listSizes),
    years,
    year: year ?? null,
  };
  if (!year) return { ...base, allocation: null };
  const [groupSums, area] = await Promise.all([
    sumWeightedPopulation(db, year, ids),
    allocationAreaTotals(db, year, ids),
  ]);
  const share = (part: number | null, whole: number | null | undefined) =>
    part === null || whole === null || whole === undefined || whole === 0
      ? null
      : (part / whole) * 100;
  const components = allocationComponents.map(({ key, label }) => ({
    key,
    label,
    group: groupSums[key],
    icb: area?.icb[key] ?? null,
    shareOfIcb: share(groupSums[key], area?.icb[key]),
    region: area?.region[key] ?? null,
    shareOfRegion: share(groupSums[key], area?.region[key]),
    england: area?.england[key] ?? null,
    shareOfEngland: share(groupSums[key], area?.england[key]),
    // Need relative to headcount: above 1 means more need per head than the projected population suggests.
    needIndex:
      groupSums[key] !== null && groupSums.projected_population
        ? groupSums[key] / groupSums.projected_population
        : null,
  }));
  return {
    ...base,
    allocation: {
      year,
      practicesInFile: groupSums.practices,
      projectedPopulation: groupSums.projected_population,
      icb: area ? { code: area.icb_code, name: area.icb_name } : null,
      region: area ? { code: area.region_code, name: area.region_name } : null,
      components,
    },
  };
}
