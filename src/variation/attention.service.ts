// "Needs attention": what stands out for a group, each item with the chart that shows it and why it is listed.
import type { Group } from '../organisations/group.service.js';
import type { Db } from '../platform/db/schema.js';
import type { FactStore } from '../platform/facts/fact-store.js';
import { xmrChart } from '../stats/spc.js';
import { specialtyName } from './activity.js';
import { practiceMonthly } from './activity.repository.js';
import { aeChart, groupActivityChart, groupActivityMeasures } from './group-variation.service.js';
import { groupPopulations } from './practice-population.service.js';
import { ALL_SPECIALTIES, standardisedGrid } from './practice-variation.service.js';
import { mainAcuteProviders } from './providers.js';
import { pointTypeText, recentSpecialCauses, signalText } from './signals.js';

export interface AttentionItem {
  kind: 'funnel-outlier' | 'special-cause' | 'assurance';
  subject: string;
  what: string;
  why: string;
  href: string;
  dataStatus: 'real' | 'synthetic';
  /** For ordering: larger stands out more. */
  weight: number;
}

/** How many recent months count as "recent" for special causes. */
export const RECENT_MONTHS = 6;

function describeSpecialCauses(points: ReturnType<typeof recentSpecialCauses>) {
  const types = [...new Set(points.map((p) => p.specialCauseType))].join(', ');
  const kinds = [...new Set(points.map((p) => pointTypeText[p.pointType] ?? p.pointType))].join(
    ', ',
  );
  return `${kinds} in ${points.map((p) => p.month).join(', ')} (${types})`;
}

export async function needsAttention(db: Db, facts: FactStore, group: Group) {
  const items: AttentionItem[] = [];
  const base = `/groups/${group.code}`;

  // Funnel outliers at 99.8%: referrals by practice and specialty, latest twelve months.
  const populations = await groupPopulations(db, group);
  const grid = await standardisedGrid(
    db,
    facts,
    group,
    'gp-referral',
    undefined,
    populations,
  ).catch(() => undefined);
  if (grid) {
    for (const row of grid.rows) {
      for (const cell of Object.values(row.cells)) {
        if (cell.signal !== 'high-99.8' && cell.signal !== 'low-99.8') continue;
        const specialty =
          cell.specialty === ALL_SPECIALTIES ? 'all specialties' : specialtyName(cell.specialty);
        items.push({
          kind: 'funnel-outlier',
          subject: `${row.name} (${row.code})`,
          what: `GP referrals, ${specialty}: ${cell.signal === 'high-99.8' ? 'higher' : 'lower'} than expected`,
          why: `Standardised ratio ${Math.round(cell.ratio ?? 0)} (${cell.observed} referrals, ${cell.expected.toFixed(1)} expected for its age and sex mix, ${grid.period}) is ${signalText[cell.signal].toLowerCase()}.`,
          href: `${base}/variation/practices/funnel?pod=gp-referral&specialty=${cell.specialty}`,
          dataStatus: grid.dataStatus,
          weight: 2 + Math.abs(Math.log((cell.ratio ?? 100) / 100)),
        });
      }
    }
  }

  // Special causes in the last six months: the group's real activity…
  for (const measure of Object.keys(groupActivityMeasures)) {
    const result = await groupActivityChart(facts, group, measure, undefined).catch(
      () => undefined,
    );
    if (!result) continue;
    const recent = recentSpecialCauses(result.chart, result.months, RECENT_MONTHS);
    if (!recent.length) continue;
    items.push({
      kind: 'special-cause',
      subject: group.name,
      what: `${result.title}: special cause variation in the last ${RECENT_MONTHS} months`,
      why: describeSpecialCauses(recent),
      href: `${base}/variation/activity/${measure}`,
      dataStatus: 'real',
      weight: 1.5 + recent.length / 10,
    });
  }
  // …each practice's referrals (all specialties)…
  for (const practice of populations.practices) {
    const series = await practiceMonthly(facts, practice.code, 'gp-referral', '*');
    if (series.length < 2) continue;
    const chart = xmrChart(series.map((s) => s.value));
    const recent = recentSpecialCauses(
      chart,
      series.map((s) => s.month),
      RECENT_MONTHS,
    );
    if (!recent.length) continue;
    items.push({
      kind: 'special-cause',
      subject: `${practice.name} (${practice.code})`,
      what: `GP referrals (all specialties): special cause variation in the last ${RECENT_MONTHS} months`,
      why: describeSpecialCauses(recent),
      href: `${base}/practices/${practice.code}/activity?pod=gp-referral&specialty=all`,
      dataStatus: series.some((s) => s.synthetic) ? 'synthetic' : 'real',
      weight: 1 + recent.length / 10,
    });
  }
  // …and A&E at the group's main trusts, with assurance against the 95% standard.
  for (const provider of mainAcuteProviders[group.code] ?? []) {
    const ae = await aeChart(db, facts, group, provider, undefined).catch(() => undefined);
    if (!ae) continue;
    const recent = recentSpecialCauses(ae.chart, ae.months, RECENT_MONTHS);
    const href = `${base}/variation/ae?provider=${provider}`;
    if (recent.length) {
      items.push({
        kind: 'special-cause',
        subject: `${ae.provider.name} (${provider})`,
        what: `A&E 4-hour performance: special cause variation in the last ${RECENT_MONTHS} months`,
        why: describeSpecialCauses(recent),
        href,
        dataStatus: 'real',
        weight: 1.5 + recent.length / 10,
      });
    }
    if (ae.chart.assurance === 'consistent_fail') {
      const latest = ae.chart.segments.at(-1)!;
      items.push({
        kind: 'assurance',
        subject: `${ae.provider.name} (${provider})`,
        what: 'A&E 4-hour standard will not be met without change',
        why: `The ${ae.target}% standard is above the upper process limit (${latest.upl.toFixed(1)}%) of performance since ${ae.months[latest.start]}: the process as it is will consistently miss it.`,
        href,
        dataStatus: 'real',
        weight: 3,
      });
    }
  }
  items.sort((a, b) => b.weight - a.weight || a.subject.localeCompare(b.subject));
  return {
    items,
    counts: {
      'funnel-outlier': items.filter((i) => i.kind === 'funnel-outlier').length,
      'special-cause': items.filter((i) => i.kind === 'special-cause').length,
      assurance: items.filter((i) => i.kind === 'assurance').length,
    },
    period: grid?.period ?? null,
    method:
      'Listed: practice × specialty referral ratios beyond the 99.8% funnel limits (latest twelve months); special cause variation in the last six months of the group’s activity, each practice’s referrals and the main trusts’ A&E performance; A&E assurance failures against the 95% standard.',
  };
}
