// A group's allocation against its target for a year, and each PCN's and practice's fair share of it.
import { sql } from 'kysely';
import { listMembers } from '../organisations/group.repository.js';
import type { Group } from '../organisations/group.service.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, type FieldProblem } from '../platform/errors.js';
import { poundsToPence } from '../platform/money.js';
import {
  allocationComponents,
  allocationYears,
  latestListSizes,
  type AllocationComponent,
} from '../population/population.repository.js';
import { distanceFromTarget, fairShares, millionths, type AllocationResult } from './allocation.js';

export interface AllocationQuery {
  year?: string | undefined;
  component?: string | undefined;
  /** National £ per weighted head, as typed. */
  perHead?: string | undefined;
  /** The group's actual allocation in £, as typed. */
  allocation?: string | undefined;
  /** Custom groupings of practices (localities or any other), one per line: "Name: CODE, CODE". */
  groupings?: string | undefined;
}

/** The row for practices in no grouping. */
const notGrouped = 'Not in a grouping';

export interface Grouping {
  name: string;
  codes: string[];
}

/**
 * Reads custom groupings, one per line as "Name: CODE, CODE …" (commas or spaces between codes).
 * Each code must be a member practice in the year's file, in one grouping only.
 */
export function parseGroupings(
  text: string | undefined,
  practiceCodes: ReadonlySet<string>,
  problems: FieldProblem[],
): Grouping[] {
  const groupings: Grouping[] = [];
  const seen = new Map<string, string>();
  // Numbered as typed (blank lines count), so that an error names the line the person sees.
  const lines = (text ?? '')
    .split(/\r?\n/)
    .map((l, i) => ({ text: l.trim(), number: i + 1 }))
    .filter((l) => l.text);
  if (lines.length > 50) {
    problems.push({ field: 'groupings', message: 'Enter at most 50 groupings' });
    return [];
  }
  for (const { text: line, number } of lines) {
    const m = /^([^:]{1,80}):(.*)$/.exec(line);
    const where = `Grouping on line ${number}`;
    if (!m) {
      problems.push({
        field: 'groupings',
        message: `${where}: write it as "Name: practice codes"`,
      });
      continue;
    }
    const name = m[1]!.trim();
    const codes = m[2]!
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map((c) => c.toUpperCase());
    if (!name || codes.length === 0) {
      problems.push({
        field: 'groupings',
        message: `${where}: give a name and at least one practice code`,
      });
      continue;
    }
    if (name.toLowerCase() === notGrouped.toLowerCase())
      problems.push({
        field: 'groupings',
        message: `${where}: choose another name than “${notGrouped}”`,
      });
    if (groupings.some((g) => g.name === name))
      problems.push({
        field: 'groupings',
        message: `${where}: there is already a grouping called ${name}`,
      });
    for (const code of codes) {
      if (!practiceCodes.has(code))
        problems.push({
          field: 'groupings',
          message: `${where}: ${code} is not a member practice in this year's file`,
        });
      else if (seen.has(code) && seen.get(code) !== name)
        problems.push({
          field: 'groupings',
          message: `${where}: ${code} is already in ${seen.get(code)}`,
        });
      seen.set(code, name);
    }
    groupings.push({ name, codes: [...new Set(codes)] });
  }
  return groupings;
}

const amount = /^\d{1,12}(\.\d{1,2})?$/;

/** Checks the inputs; every problem at once, for the NHS error summary. */
export function parseAllocationQuery(q: AllocationQuery, years: readonly string[]) {
  const problems: FieldProblem[] = [];
  const year = q.year || years[0];
  if (year === undefined || !years.includes(year))
    problems.push({
      field: 'year',
      message: `Choose an allocation year held: ${years.join(', ')}`,
    });
  const component = (q.component || 'core_services') as AllocationComponent;
  if (!allocationComponents.some((c) => c.key === component))
    problems.push({ field: 'component', message: 'Choose a component of the allocation formula' });
  const money = (field: 'perHead' | 'allocation', label: string) => {
    const text = (q[field] ?? '').replaceAll(',', '').replace(/^£/, '').trim();
    if (text === '') return undefined;
    if (text.startsWith('-')) {
      problems.push({ field, message: `${label} must not be negative` });
      return undefined;
    }
    if (!amount.test(text)) {
      problems.push({ field, message: `${label} must be an amount in pounds, like 1135.41` });
      return undefined;
    }
    return poundsToPence(text);
  };
  const perHeadPence = money('perHead', 'The national amount per weighted head');
  const allocationPence = money('allocation', 'The allocation');
  if ((perHeadPence === undefined) !== (allocationPence === undefined) && !problems.length)
    problems.push({
      field: perHeadPence === undefined ? 'perHead' : 'allocation',
      message: 'Enter both the national amount per weighted head and the allocation',
    });
  if (perHeadPence === 0n)
    problems.push({
      field: 'perHead',
      message: 'The national amount per weighted head must be more than £0',
    });
  return { year: year ?? '', component, perHeadPence, allocationPence, problems };
}

interface PracticeRow {
  code: string;
  name: string;
  pcn_code: string | null;
  pcn_name: string | null;
  registered_patients: number | null;
  weighted: number | null;
}

/**
 * Raw and weighted populations of the group's member practices in the year, and (given the national
 * £ per weighted head and the allocation) target, distance from target, per-head figures and fair
 * shares by PCN and practice. Fair shares split the target in proportion to weighted population.
 */
export async function groupAllocation(db: Db, group: Group, query: AllocationQuery) {
  const years = await allocationYears(db);
  const parsed = parseAllocationQuery(query, years);
  if (parsed.problems.length)
    throw new AppError('invalid_input', parsed.problems[0]!.message, parsed.problems);
  const members = await listMembers(db, group.id, group.as_at);
  const byId = new Map(members.map((m) => [m.id, m]));
  const column = sql.ref(parsed.component);
  const rows = (
    await sql<{ practice_id: number; registered_patients: number | null; weighted: number | null }>`
      SELECT practice_id, registered_patients, ${column} AS weighted FROM weighted_population
      WHERE allocation_year = ${parsed.year} AND practice_id = any(${members.map((m) => m.id)}::int[])`.execute(
      db,
    )
  ).rows;
  const practices: PracticeRow[] = rows
    .map((r) => {
      const m = byId.get(r.practice_id)!;
      return {
        code: m.code,
        name: m.name,
        pcn_code: m.pcn_code,
        pcn_name: m.pcn_name,
        registered_patients: r.registered_patients,
        weighted: r.weighted,
      };
    })
    .sort(
      (a, b) =>
        (a.pcn_name ?? '~').localeCompare(b.pcn_name ?? '~') || a.name.localeCompare(b.name),
    );
  // Later allocation files leave registered patients blank: the practice's latest list size stands in.
  const missing = rows.filter((r) => r.registered_patients === null).map((r) => r.practice_id);
  const latest = new Map(
    (await latestListSizes(db, missing)).map((l) => [byId.get(l.practice_id)?.code, l]),
  );
  let listSizesUsed = 0;
  for (const p of practices) {
    if (p.registered_patients !== null) continue;
    const l = latest.get(p.code);
    if (l) {
      p.registered_patients = l.patients;
      listSizesUsed += 1;
    }
  }
  const groupingProblems: FieldProblem[] = [];
  const groupings = parseGroupings(
    query.groupings,
    new Set(practices.map((p) => p.code)),
    groupingProblems,
  );
  if (groupingProblems.length)
    throw new AppError('invalid_input', groupingProblems[0]!.message, groupingProblems);
  const raw = practices.reduce((s, p) => s + (p.registered_patients ?? 0), 0);
  // Summed exactly, in millionths, as the target is computed from it.
  const weightedMillionths = practices.reduce((s, p) => s + millionths(p.weighted ?? 0), 0n);
  const weighted = Number(weightedMillionths) / 1e6;
  let result: AllocationResult | null = null;
  let shares: bigint[] = [];
  if (
    parsed.perHeadPence !== undefined &&
    parsed.allocationPence !== undefined &&
    raw > 0 &&
    weighted > 0
  ) {
    result = distanceFromTarget({
      rawPopulation: raw,
      weightedPopulation: (Number(weightedMillionths) / 1e6).toFixed(6),
      allocationPence: parsed.allocationPence,
      perWeightedHeadPence: parsed.perHeadPence,
    });
    shares = fairShares(
      result.targetPence,
      practices.map((p) => (p.weighted ?? 0).toFixed(6)),
    );
  }
  const practiceRows = practices.map((p, i) => ({
    ...p,
    fairSharePence: result ? shares[i]! : null,
  }));
  const pcns = new Map<
    string,
    {
      code: string | null;
      name: string;
      practices: number;
      registered: number;
      weighted: number;
      fairSharePence: bigint | null;
    }
  >();
  /** Practices added up by a key: every practice in exactly one row, so the rows add up to the target. */
  const rollUp = (
    keyOf: (p: (typeof practiceRows)[number]) => { code: string | null; name: string },
  ) => {
    const rows = new Map<
      string,
      {
        code: string | null;
        name: string;
        practices: number;
        registered: number;
        weighted: number;
        fairSharePence: bigint | null;
      }
    >();
    for (const p of practiceRows) {
      const { code, name } = keyOf(p);
      const key = code ?? name;
      const row = rows.get(key) ?? {
        code,
        name,
        practices: 0,
        registered: 0,
        weighted: 0,
        fairSharePence: result ? 0n : null,
      };
      row.practices += 1;
      row.registered += p.registered_patients ?? 0;
      row.weighted += p.weighted ?? 0;
      if (row.fairSharePence !== null && p.fairSharePence !== null)
        row.fairSharePence += p.fairSharePence;
      rows.set(key, row);
    }
    return [...rows.values()];
  };
  for (const row of rollUp((p) => ({ code: p.pcn_code, name: p.pcn_name ?? 'Not in a PCN' })))
    pcns.set(row.code ?? '', row);
  const groupingOf = new Map(groupings.flatMap((g) => g.codes.map((c) => [c, g.name])));
  const groupingRows = groupings.length
    ? rollUp((p) => ({ code: null, name: groupingOf.get(p.code) ?? notGrouped })).sort(
        (a, b) =>
          (a.name === notGrouped ? 1 : 0) - (b.name === notGrouped ? 1 : 0) ||
          groupings.findIndex((g) => g.name === a.name) -
            groupings.findIndex((g) => g.name === b.name),
      )
    : [];
  return {
    years,
    year: parsed.year,
    component: parsed.component,
    componentLabel: allocationComponents.find((c) => c.key === parsed.component)!.label,
    perHeadPence: parsed.perHeadPence ?? null,
    allocationPence: parsed.allocationPence ?? null,
    members: members.length,
    practicesInFile: practices.length,
    rawPopulation: raw,
    /** How many practices' registered population came from their latest list size, not the year's file. */
    listSizesUsed,
    weightedPopulation: weighted,
    result,
    pcns: [...pcns.values()],
    groupings: groupingRows,
    practices: practiceRows.map((p) => ({ ...p, grouping: groupingOf.get(p.code) ?? null })),
  };
}
