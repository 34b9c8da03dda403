// Variation between a group's practices: standardised ratios by specialty, funnels, and each practice over time.
import type { Group } from '../organisations/group.service.js';
import type { Db } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { FactStore } from '../platform/facts/fact-store.js';
import { ratioFunnelLimits, ratioSignificance } from '../stats/funnel.js';
import { xmrChart, variationIcon } from '../stats/spc.js';
import { scaledByExpected } from '../stats/standardised.js';
import {
  inSentence,
  pointOfDeliveryCodes,
  pointsOfDelivery,
  specialtyName,
  type PointOfDelivery,
} from './activity.js';
import {
  practiceActivityMonths,
  practiceActivityPoints,
  practiceMonthly,
  practiceSpecialtyCounts,
} from './activity.repository.js';
import { parseRebase } from './group-variation.service.js';
import { groupPopulations, type GroupPopulations } from './practice-population.service.js';
import { signalOf, type Signal } from './signals.js';
import { bySpecialty } from './specialty-profiles.js';
import { expectedActivity, type PracticePopulation } from './synthetic-activity.js';

export const PRACTICE_ACTIVITY_SOURCE =
  'Flock synthetic practice activity (generated, calibrated to the group’s real Monthly Activity Return)';
export const ALL_SPECIALTIES = 'all';

export const isrMethod =
  'Indirectly standardised ratio (observed ÷ expected × 100). Expected = the practice’s registered patients by sex and 5-year band × assumed relative rates by age and sex for the specialty, scaled so the group’s expected equals its observed (100 = the group average for the practice’s age/sex mix). Limits: exact Poisson below 10 events, Byars from 10; significance by funnel limits at 95% and 99.8%.';

export interface IsrCell {
  specialty: string;
  observed: number;
  expected: number;
  ratio: number | null;
  lower95: number | null;
  upper95: number | null;
  lower998: number | null;
  upper998: number | null;
  signal: Signal;
}

export interface IsrRow {
  code: string;
  name: string;
  listSize: number;
  ageSexFrom: string;
  cells: Record<string, IsrCell>;
}

export function parsePointOfDelivery(raw: string | undefined): PointOfDelivery {
  const pod = (raw ?? 'gp-referral') as PointOfDelivery;
  if (!pointOfDeliveryCodes.includes(pod)) {
    throw new AppError('invalid_input', `pod must be one of ${pointOfDeliveryCodes.join(', ')}`);
  }
  return pod;
}

function monthMinus(month: string, months: number) {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (m - 1) - months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function isrCell(specialty: string, observed: number, expected: number): IsrCell {
  const statistic = scaledByExpected(observed, expected, 100, [0.95, 0.998]);
  return {
    specialty,
    observed,
    expected,
    ratio: statistic.value,
    lower95: statistic.limits[0]!.lower,
    upper95: statistic.limits[0]!.upper,
    lower998: statistic.limits[1]!.lower,
    upper998: statistic.limits[1]!.upper,
    signal: expected > 0 ? signalOf(ratioSignificance(observed, expected)) : 'not-applicable',
  };
}

/**
 * Pure: each practice's standardised ratio in each specialty and in all together, from observed
 * counts (keyed "practice specialty") and the practices' age/sex populations. Expected counts are
 * scaled so that, in each specialty, the practices' expected total equals their observed total:
 * the practices given are their own reference population. No specialties: one total ('').
 */
export function standardisedCells(
  practices: readonly PracticePopulation[],
  observed: ReadonlyMap<string, number>,
  pointOfDelivery: PointOfDelivery,
  specialties: readonly string[],
): Record<string, IsrCell>[] {
  const cells: Record<string, IsrCell>[] = practices.map(() => ({}));
  const expectedAll = new Float64Array(practices.length);
  const observedAll = new Float64Array(practices.length);
  for (const specialty of specialties.length ? specialties : ['']) {
    const raw = practices.map((p) => expectedActivity(p, pointOfDelivery, specialty));
    const counts = practices.map((p) => observed.get(`${p.code} ${specialty}`) ?? 0);
    const totalRaw = raw.reduce((sum, e) => sum + e, 0);
    const scale = totalRaw > 0 ? counts.reduce((sum, o) => sum + o, 0) / totalRaw : 0;
    practices.forEach((_, i) => {
      const e = raw[i]! * scale;
      if (specialties.length) cells[i]![specialty] = isrCell(specialty, counts[i]!, e);
      expectedAll[i]! += e;
      observedAll[i]! += counts[i]!;
    });
  }
  cells.forEach((c, i) => {
    c[ALL_SPECIALTIES] = isrCell(ALL_SPECIALTIES, observedAll[i]!, expectedAll[i]!);
  });
  return cells;
}

/**
 * Standardised ratios for every practice × specialty (and all specialties together) over twelve
 * months ending `to` (default: the latest month held).
 */
export async function standardisedGrid(
  db: Db,
  facts: FactStore,
  group: Group,
  pointOfDelivery: PointOfDelivery,
  requestedTo: string | undefined,
  populations?: GroupPopulations,
) {
  const people = populations ?? (await groupPopulations(db, group));
  const codes = people.practices.map((p) => p.code);
  const [months, held] = await Promise.all([
    practiceActivityMonths(facts, codes),
    practiceActivityPoints(facts, codes),
  ]);
  if (!months.length) {
    throw new AppError('not_found', `No practice activity is held for ${group.name}`);
  }
  if (!held.includes(pointOfDelivery)) {
    throw new AppError(
      'not_found',
      `No ${inSentence(pointsOfDelivery[pointOfDelivery])} by practice are held for ${group.name}`,
    );
  }
  const to = requestedTo ?? months.at(-1)!;
  if (!months.includes(to)) {
    throw new AppError(
      'invalid_input',
      `to must be a month with activity, from ${months[0]} to ${months.at(-1)}`,
    );
  }
  const from = months.includes(monthMinus(to, 11)) ? monthMinus(to, 11) : months[0]!;
  const counts = await practiceSpecialtyCounts(facts, codes, pointOfDelivery, from, to);
  const synthetic = counts.some((c) => c.synthetic);
  const observed = new Map(
    counts.map((c) => [`${c.practice_code} ${c.treatment_function}`, c.observed]),
  );
  const specialties = bySpecialty.includes(pointOfDelivery)
    ? [...new Set(counts.map((c) => c.treatment_function))]
        .filter((s) => s !== '')
        .sort((a, b) => specialtyName(a).localeCompare(specialtyName(b)))
    : [];

  const cells = standardisedCells(people.practices, observed, pointOfDelivery, specialties);
  const rows: IsrRow[] = people.practices.map((p, i) => ({
    code: p.code,
    name: p.name,
    listSize: p.listSize,
    ageSexFrom: p.ageSexFrom,
    cells: cells[i]!,
  }));
  return {
    pointOfDelivery,
    pointOfDeliveryName: pointsOfDelivery[pointOfDelivery],
    /** Points of delivery with activity held, in the order of pointOfDeliveryCodes. */
    pointsHeld: pointOfDeliveryCodes.filter((code) => held.includes(code)),
    from,
    to,
    months,
    specialties: specialties.map((code) => ({ code, name: specialtyName(code) })),
    rows,
    estimatedPopulations: people.estimated,
    extractDates: people.extractDates,
    dataStatus: synthetic ? ('synthetic' as const) : ('real' as const),
    sources: [
      synthetic ? PRACTICE_ACTIVITY_SOURCE : 'Practice activity as imported',
      `NHS Digital patients registered at a GP practice by sex and age (${people.extractDates.join(', ')})`,
    ],
    period: `${from} to ${to}`,
    method: isrMethod,
  };
}

export type StandardisedGrid = Awaited<ReturnType<typeof standardisedGrid>>;

export function parseSpecialty(raw: string | undefined, grid: StandardisedGrid): string {
  const specialty = raw ?? ALL_SPECIALTIES;
  if (specialty !== ALL_SPECIALTIES && !grid.specialties.some((s) => s.code === specialty)) {
    throw new AppError(
      'invalid_input',
      `specialty must be "all" or a treatment function code with activity: ${grid.specialties.map((s) => s.code).join(', ')}`,
    );
  }
  return specialty;
}

/** One specialty's ratios as a funnel: x = expected events, y = ratio, with exact Poisson limits. */
export function specialtyFunnel(grid: StandardisedGrid, specialty: string) {
  const cells = grid.rows
    .map((row) => ({ row, cell: row.cells[specialty]! }))
    .filter(({ cell }) => cell.expected > 0);
  const maxExpected = Math.max(...cells.map(({ cell }) => cell.expected), 1);
  const curves = {
    lower2s: [] as { x: number; y: number }[],
    upper2s: [] as { x: number; y: number }[],
    lower3s: [] as { x: number; y: number }[],
    upper3s: [] as { x: number; y: number }[],
  };
  const steps = 80;
  const top = Math.max(2, Math.ceil(maxExpected * 1.3));
  for (let i = 0; i <= steps; i++) {
    const observed = Math.max(1, Math.round(top ** (i / steps)));
    const limits = ratioFunnelLimits(observed, 100);
    for (const name of ['lower2s', 'upper2s', 'lower3s', 'upper3s'] as const) {
      curves[name].push({ x: limits.expected[name], y: limits[name] });
    }
  }
  return {
    specialty,
    specialtyName: specialty === ALL_SPECIALTIES ? 'All specialties' : specialtyName(specialty),
    points: cells.map(({ row, cell }) => ({
      ...cell,
      code: row.code,
      name: row.name,
      listSize: row.listSize,
    })),
    curves: Object.entries(curves).map(([name, points]) => ({
      name: name as 'lower2s' | 'upper2s' | 'lower3s' | 'upper3s',
      points,
    })),
  };
}

/** A practice's monthly activity as an XmR chart. */
export async function practiceActivityChart(
  facts: FactStore,
  group: Group,
  practice: { code: string; name: string },
  pointOfDelivery: PointOfDelivery,
  specialty: string,
  rebase: string | undefined,
) {
  const series = await practiceMonthly(
    facts,
    practice.code,
    pointOfDelivery,
    specialty === ALL_SPECIALTIES ? '*' : specialty,
  );
  if (series.length < 2) {
    throw new AppError(
      'not_found',
      `No ${inSentence(pointsOfDelivery[pointOfDelivery])} are held for ${practice.name}`,
    );
  }
  const months = series.map((s) => s.month);
  const chart = xmrChart(
    series.map((s) => s.value),
    { improvementDirection: 'neutral', rebaseAt: parseRebase(rebase, months) },
  );
  const synthetic = series.some((s) => s.synthetic);
  return {
    practice,
    group: { code: group.code, name: group.name },
    pointOfDelivery,
    pointOfDeliveryName: pointsOfDelivery[pointOfDelivery],
    specialty,
    specialtyName: specialty === ALL_SPECIALTIES ? 'All specialties' : specialtyName(specialty),
    months,
    chart,
    icon: variationIcon(chart),
    dataStatus: synthetic ? ('synthetic' as const) : ('real' as const),
    sources: [synthetic ? PRACTICE_ACTIVITY_SOURCE : 'Practice activity as imported'],
    period: `${months[0]} to ${months.at(-1)}`,
    method:
      'XmR chart (NHS Making Data Count) of monthly counts: mean ± 2.66 × mean moving range, moving ranges screened at 3.267 × their mean; neither direction is better',
  };
}
