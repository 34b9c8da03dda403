// Group-level variation from real published data: groups compared, the group's activity and A&E over time.
import { sql } from 'kysely';
import type { Group } from '../organisations/group.service.js';
import type { Db } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { FactStore } from '../platform/facts/fact-store.js';
import { rateFunnelLimits, rateSignificance } from '../stats/funnel.js';
import { crudeRate } from '../stats/rates.js';
import { variationIcon, xmrChart, type ImprovementDirection } from '../stats/spc.js';
import { marMeasures, type MarMeasure } from './activity.js';
import {
  aeMonthly,
  aeProviders,
  commissionerMonthly,
  commissionerTotals,
  completeMarYears,
  groupRegisteredPatients,
} from './activity.repository.js';
import { historicProviderNames, mainAcuteProviders } from './providers.js';
import { signalOf, type Signal } from './signals.js';

export const MAR_SOURCE =
  'NHS England Monthly Activity Return (MAR) by commissioner, monthly workbooks converted to CSV';
export const PAYMENTS_SOURCE = 'NHS Digital NHS Payments to General Practice (registered patients)';
export const AE_SOURCE =
  'NHS England A&E Attendances and Emergency Admissions (NHSRdatasets ae_attendances)';

// ---- between groups -----------------------------------------------------------------------

export interface GroupRate {
  code: string;
  name: string;
  referrals: number;
  patients: number;
  practices: number;
  ratePer1000: number;
  lower95: number | null;
  upper95: number | null;
  lower998: number | null;
  upper998: number | null;
  signal: Signal;
  isThisGroup: boolean;
}

const fyMonths = (year: string) => {
  const start = Number(year.slice(0, 4));
  return { from: `${start}-04`, to: `${start + 1}-03` };
};

/** Financial years with a full year of MAR and a payments file (registered patients). */
export async function betweenGroupsYears(db: Db, facts: FactStore): Promise<string[]> {
  const withPatients = new Set(
    (
      await sql<{ financial_year: string }>`SELECT DISTINCT financial_year FROM gp_payment`.execute(
        db,
      )
    ).rows.map((r) => r.financial_year),
  );
  return (await completeMarYears(facts)).filter((year) => withPatients.has(year));
}

/**
 * GP referrals per 1,000 registered patients for every group in England in a financial year:
 * MAR referrals made (all specialties) over 12 months ÷ registered patients of the group's member
 * practices at the year end (payments file), as a funnel plot with 95% and 99.8% limits.
 */
export async function betweenGroups(
  db: Db,
  facts: FactStore,
  group: Group,
  requestedYear: string | undefined,
) {
  const years = await betweenGroupsYears(db, facts);
  const year = requestedYear ?? years.at(-1);
  if (!year || !years.includes(year)) {
    throw new AppError(
      'not_found',
      years.length
        ? `Between-group comparison is available for ${years.join(', ')}`
        : 'No year has both a full year of activity returns and registered patients',
    );
  }
  const { from, to } = fyMonths(year);
  const measure: MarMeasure = 'gp-referrals-made-all';
  const [totals, patients] = await Promise.all([
    commissionerTotals(facts, measure, from, to),
    groupRegisteredPatients(db, year),
  ]);
  const byCode = new Map(patients.map((p) => [p.code, p]));
  const included = totals.filter((t) => t.months === 12 && byCode.has(t.code));
  const partYear = totals.filter((t) => t.months < 12 && byCode.has(t.code));
  const noPatients = totals.filter((t) => t.code !== 'ENG' && !byCode.has(t.code));
  const totalReferrals = included.reduce((sum, t) => sum + t.total, 0);
  const totalPatients = included.reduce((sum, t) => sum + byCode.get(t.code)!.patients, 0);
  const averagePerPerson = totalReferrals / totalPatients;
  const rows: GroupRate[] = included.map((t) => {
    const p = byCode.get(t.code)!;
    const rate = crudeRate(t.total, p.patients, [0.95, 0.998], 1000);
    const significance = rateSignificance({
      numerator: t.total,
      rate: rate.value,
      denominator: p.patients,
      rateType: 'crude',
      multiplier: 1000,
      weightedAveragePerPerson: averagePerPerson,
    });
    return {
      code: t.code,
      name: p.name !== p.code ? p.name : t.name,
      referrals: t.total,
      patients: p.patients,
      practices: p.practices,
      ratePer1000: rate.value!,
      lower95: rate.limits[0]!.lower,
      upper95: rate.limits[0]!.upper,
      lower998: rate.limits[1]!.lower,
      upper998: rate.limits[1]!.upper,
      signal: signalOf(significance),
      isThisGroup: t.code === group.code,
    };
  });
  rows.sort((a, b) => b.ratePer1000 - a.ratePer1000);
  const self = rows.find((r) => r.isThisGroup) ?? null;
  // Peers: the ten groups nearest in registered patients.
  const peers = self
    ? rows
        .filter((r) => !r.isThisGroup)
        .sort((a, b) => Math.abs(a.patients - self.patients) - Math.abs(b.patients - self.patients))
        .slice(0, 10)
        .sort((a, b) => b.ratePer1000 - a.ratePer1000)
    : [];
  return {
    year,
    years,
    measure: marMeasures[measure],
    averagePer1000: averagePerPerson * 1000,
    totalReferrals,
    totalPatients,
    rows,
    self,
    rank: self ? rows.indexOf(self) + 1 : null,
    peers,
    excluded: {
      partYear: partYear.map((t) => ({ code: t.code, name: t.name, months: t.months })),
      noPatients: noPatients.map((t) => ({ code: t.code, name: t.name })),
    },
    funnel: rateFunnelCurves(
      averagePerPerson,
      1000,
      Math.min(...rows.map((r) => r.patients)),
      Math.max(...rows.map((r) => r.patients)),
    ),
    dataStatus: 'real' as const,
    sources: [MAR_SOURCE, PAYMENTS_SOURCE],
    period: `April ${from.slice(0, 4)} to March ${to.slice(0, 4)}`,
    method:
      'Crude rate per 1,000 registered patients with Byars 95% and 99.8% limits; funnel limits by exact Poisson (PHE Fingertips method) around England’s rate; denominators are registered patients of the practices the year’s payments file assigns to each group',
  };
}

/** Funnel curves for a crude rate across a span of populations (PHE: limits found per event count). */
function rateFunnelCurves(
  averagePerPerson: number,
  multiplier: number,
  minPop: number,
  maxPop: number,
) {
  const low = Math.max(1, Math.floor(averagePerPerson * minPop * 0.5));
  const high = Math.ceil(averagePerPerson * maxPop * 1.2);
  const steps = 60;
  const curves = {
    lower2s: [] as { x: number; y: number }[],
    upper2s: [] as { x: number; y: number }[],
    lower3s: [] as { x: number; y: number }[],
    upper3s: [] as { x: number; y: number }[],
  };
  for (let i = 0; i <= steps; i++) {
    const events = Math.round(low * (high / low) ** (i / steps));
    const limits = rateFunnelLimits(events, averagePerPerson, multiplier, 1);
    for (const name of ['lower2s', 'upper2s', 'lower3s', 'upper3s'] as const) {
      curves[name].push({ x: limits[name].population1Year, y: limits[name].limit });
    }
  }
  return Object.entries(curves).map(([name, points]) => ({
    name: name as 'lower2s' | 'upper2s' | 'lower3s' | 'upper3s',
    points,
  }));
}

// ---- the group's own activity over time ----------------------------------------------------

/** The MAR measures shown as SPC charts for a group, with which direction is better. */
export const groupActivityMeasures: Partial<
  Record<MarMeasure, { title: string; direction: ImprovementDirection }>
> = {
  'gp-referrals-made-all': { title: 'GP referrals made (all specialties)', direction: 'neutral' },
  'first-outpatient-ga': { title: 'First outpatient attendances (G&A)', direction: 'neutral' },
  'elective-total': { title: 'Elective admissions (G&A)', direction: 'neutral' },
  'non-elective-total': { title: 'Emergency admissions (G&A)', direction: 'decrease' },
};

export function parseRebase(raw: string | undefined, months: readonly string[]): number[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean)
    .map((m) => {
      const index = months.indexOf(m);
      if (!/^\d{4}-\d{2}$/.test(m) || index <= 0) {
        throw new AppError(
          'invalid_input',
          `rebase must be months (YYYY-MM) inside the series, after its first month; "${m}" is not`,
        );
      }
      return index;
    });
}

/** A group's monthly MAR series as an XmR chart. */
export async function groupActivityChart(
  facts: FactStore,
  group: Group,
  measure: string,
  rebase: string | undefined,
) {
  const definition = groupActivityMeasures[measure as MarMeasure];
  if (!definition) {
    throw new AppError(
      'not_found',
      `No activity chart "${measure}"; choose one of ${Object.keys(groupActivityMeasures).join(', ')}`,
    );
  }
  const series = await commissionerMonthly(facts, group.code, measure);
  if (series.length < 2) {
    throw new AppError(
      'not_found',
      `${group.name} has no Monthly Activity Return for this measure`,
    );
  }
  const months = series.map((s) => s.month);
  const chart = xmrChart(
    series.map((s) => s.value),
    { improvementDirection: definition.direction, rebaseAt: parseRebase(rebase, months) },
  );
  return {
    measure,
    title: definition.title,
    direction: definition.direction,
    months,
    chart,
    icon: variationIcon(chart),
    dataStatus: 'real' as const,
    sources: [MAR_SOURCE],
    period: `${months[0]} to ${months.at(-1)}`,
    method:
      'XmR chart (NHS Making Data Count): mean ± 2.66 × mean moving range, moving ranges screened at 3.267 × their mean; special-cause rules in order: outside limits, 7-point trend, 2 of 3 near a limit, 7 points one side of the mean',
  };
}

// ---- A&E 4-hour performance -----------------------------------------------------------------

export const FOUR_HOUR_STANDARD = 95;

export async function providerNames(db: Db): Promise<Map<string, string>> {
  const rows = await sql<{ code: string; name: string }>`
    SELECT code, name FROM organisation WHERE type = 'provider'`.execute(db);
  const names = new Map(rows.rows.map((r) => [r.code, r.name]));
  for (const [code, name] of Object.entries(historicProviderNames)) names.set(code, name);
  return names;
}

/** A provider's share of A&E attendances seen within 4 hours, monthly, as an XmR chart against 95%. */
export async function aeChart(
  db: Db,
  facts: FactStore,
  group: Group,
  requested: string | undefined,
  rebase: string | undefined,
) {
  const main = mainAcuteProviders[group.code] ?? [];
  const providers = await aeProviders(facts);
  const names = await providerNames(db);
  const provider = (requested ?? main[0] ?? providers[0]?.code ?? '').toUpperCase();
  const series = await aeMonthly(facts, provider);
  if (series.length < 2) {
    throw new AppError('not_found', `No A&E attendances are held for provider ${provider}`);
  }
  const months = series.map((s) => s.month);
  const performance = series.map((s) => ((s.attendances - s.breaches) / s.attendances) * 100);
  const chart = xmrChart(performance, {
    improvementDirection: 'increase',
    target: FOUR_HOUR_STANDARD,
    rebaseAt: parseRebase(rebase, months),
  });
  return {
    provider: { code: provider, name: names.get(provider) ?? provider },
    mainProviders: main.map((code) => ({ code, name: names.get(code) ?? code })),
    providers: providers.map((p) => ({ code: p.code, name: names.get(p.code) ?? p.code })),
    months,
    series: series.map((s, i) => ({ ...s, performance: performance[i]! })),
    chart,
    icon: variationIcon(chart),
    target: FOUR_HOUR_STANDARD,
    dataStatus: 'real' as const,
    sources: [AE_SOURCE],
    period: `${months[0]} to ${months.at(-1)}`,
    method:
      'Percentage of attendances (all department types) seen within 4 hours; XmR chart with assurance against the 95% standard using the latest limits',
  };
}
