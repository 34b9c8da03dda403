// Funnel significance and SPC results in the words and codes pages use.
import type { FunnelSignificance } from '../stats/funnel.js';
import type { XmrChart } from '../stats/spc.js';

export type Signal = 'high-99.8' | 'high-95' | 'none' | 'low-95' | 'low-99.8' | 'not-applicable';

export function signalOf(significance: FunnelSignificance): Signal {
  switch (significance) {
    case 'High (0.001)':
      return 'high-99.8';
    case 'High (0.025)':
      return 'high-95';
    case 'Low (0.001)':
      return 'low-99.8';
    case 'Low (0.025)':
      return 'low-95';
    case 'Not significant':
      return 'none';
    default:
      return 'not-applicable';
  }
}

export const signalText: Record<Signal, string> = {
  'high-99.8': 'Higher (beyond 99.8% limit)',
  'high-95': 'Higher (beyond 95% limit)',
  none: 'Within the limits',
  'low-95': 'Lower (beyond 95% limit)',
  'low-99.8': 'Lower (beyond 99.8% limit)',
  'not-applicable': 'Too few events to judge',
};

/** Which funnel-chart colour a point gets (the chart has no "not applicable" colour). */
export const chartSignal = (signal: Signal) => (signal === 'not-applicable' ? 'none' : signal);

export const pointTypeText: Record<string, string> = {
  common_cause: 'Common cause',
  special_cause_improvement: 'Special cause: improvement',
  special_cause_concern: 'Special cause: concern',
  special_cause_neutral_high: 'Special cause: higher (neutral)',
  special_cause_neutral_low: 'Special cause: lower (neutral)',
};

export const variationIconText: Record<string, string> = {
  'common-cause': 'Common cause variation: no significant change',
  'improvement-high': 'Special cause variation: improvement (higher)',
  'improvement-low': 'Special cause variation: improvement (lower)',
  'concern-high': 'Special cause variation: concern (higher)',
  'concern-low': 'Special cause variation: concern (lower)',
  'neutral-high': 'Special cause variation: higher (neither better nor worse)',
  'neutral-low': 'Special cause variation: lower (neither better nor worse)',
};

export const assuranceText: Record<string, string> = {
  consistent_pass: 'Assurance: will consistently meet the target',
  consistent_fail: 'Assurance: will consistently miss the target without change',
  inconsistent: 'Assurance: will hit and miss the target (target within the limits)',
};

/** Points of a chart in the last n months that show special cause. */
export function recentSpecialCauses(chart: XmrChart, months: readonly string[], lastN = 6) {
  const start = Math.max(0, chart.points.length - lastN);
  const recent: (XmrChart['points'][number] & { month: string })[] = [];
  for (let i = start; i < chart.points.length; i++) {
    const point = chart.points[i]!;
    if (point.specialCauseFlag) recent.push({ ...point, month: months[i]! });
  }
  return recent;
}
