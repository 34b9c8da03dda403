// XmR statistical process control as NHS England's "Making Data Count" (NHSRplotthedots).
import { StatsInputError } from './input.js';

/** Process limits sit 2.66 mean moving ranges from the mean (3 sigma for an XmR chart). */
export const LIMIT = 2.66;
/** "Close to the limits" is beyond two thirds of the way out (2 sigma). */
export const CLOSE_TO_LIMIT = (2 * LIMIT) / 3;
/** Moving ranges above 3.267 × their mean are screened out before the limits are set. */
export const MOVING_RANGE_SCREEN = 3.267;

export type ImprovementDirection = 'increase' | 'decrease' | 'neutral';

export type SpecialCauseType =
  | 'Above UCL'
  | 'Below LCL'
  | '7 Point Trend (Increasing)'
  | '7 Point Trend (Decreasing)'
  | '2 in 3 Above CL'
  | '2 in 3 Below CL'
  | '7 Points Above CL'
  | '7 Points Below CL'
  | 'Common Cause';

export type PointType =
  | 'common_cause'
  | 'special_cause_improvement'
  | 'special_cause_concern'
  | 'special_cause_neutral_high'
  | 'special_cause_neutral_low';

export type AssuranceType = 'consistent_pass' | 'consistent_fail' | 'inconsistent';

export interface XmrOptions {
  screenOutliers?: boolean;
  /** Set the limits from the first n points of each segment, then hold them. */
  fixAfterNPoints?: number | null;
  /** Zero-based indices where a new segment (fresh limits) starts: rebasing after a change. */
  rebaseAt?: readonly number[];
  improvementDirection?: ImprovementDirection;
  target?: number | null;
}

export interface XmrLimits {
  mean: number;
  lpl: number;
  upl: number;
  nlpl: number;
  nupl: number;
}

export interface XmrPoint extends XmrLimits {
  value: number;
  segment: number;
  outsideLimits: boolean;
  relativeToMean: -1 | 0 | 1;
  closeToLimits: boolean;
  specialCauseType: SpecialCauseType;
  specialCauseFlag: boolean;
  pointType: PointType;
}

export interface XmrChart {
  points: XmrPoint[];
  /** Limits of each segment, oldest first; the last are the ones in force. */
  segments: (XmrLimits & { start: number; end: number })[];
  assurance: AssuranceType | null;
}

const mean = (values: readonly number[]) =>
  values.reduce((total, value) => total + value, 0) / values.length;

/** Mean and limits from a run of values (at least two, so there is a moving range). */
export function xmrLimits(values: readonly number[], screenOutliers = true): XmrLimits {
  if (values.length < 2) {
    throw new StatsInputError('process limits need at least two points');
  }
  if (values.some((value) => !Number.isFinite(value))) {
    throw new StatsInputError('every value must be a finite number');
  }
  const centre = mean(values);
  const ranges = values.slice(1).map((value, i) => Math.abs(value - values[i]!));
  let averageRange = mean(ranges);
  if (screenOutliers) {
    const kept = ranges.filter((range) => range < MOVING_RANGE_SCREEN * averageRange);
    // All ranges equal to zero would screen everything out; keep the unscreened mean then.
    if (kept.length > 0) averageRange = mean(kept);
  }
  return {
    mean: centre,
    lpl: centre - LIMIT * averageRange,
    upl: centre + LIMIT * averageRange,
    nlpl: centre - CLOSE_TO_LIMIT * averageRange,
    nupl: centre + CLOSE_TO_LIMIT * averageRange,
  };
}

/** 1 (or −1) at the seventh of seven strictly rising (falling) points; ties break a trend. */
export function sevenPointTrend(values: readonly number[]): number[] {
  // Counts of consecutive rising and falling steps ending at each point: 6 steps make 7 points.
  let rising = 0;
  let falling = 0;
  return values.map((value, i) => {
    const step = i === 0 ? 0 : Math.sign(value - values[i - 1]!);
    rising = step === 1 ? rising + 1 : 0;
    falling = step === -1 ? falling + 1 : 0;
    return rising >= 6 ? 1 : falling >= 6 ? -1 : 0;
  });
}

/** Marks every point of a run of seven flagged at its seventh point (and the points after). */
export function partOfSeven(flags: readonly number[]): number[] {
  // A point is marked when a flag falls on it or within the six points after it.
  const marked = new Array<number>(flags.length);
  let nextFlag = Infinity;
  for (let i = flags.length - 1; i >= 0; i--) {
    if (Math.abs(flags[i]!) === 1) nextFlag = i;
    marked[i] = nextFlag - i < 7 ? 1 : 0;
  }
  return marked;
}

/** 1 from the seventh point in a row on one side of the mean; a point on the mean breaks a run. */
export function sevenPointOneSideOfMean(relativeToMean: readonly number[]): number[] {
  let run = 0;
  return relativeToMean.map((side, i) => {
    run = side !== 0 && i > 0 && side === relativeToMean[i - 1] ? run + 1 : side !== 0 ? 1 : 0;
    return run >= 7 ? 1 : 0;
  });
}

/**
 * 1 where a point lies in some window of three consecutive points, all on one side of the mean,
 * of which at least two are close to the limits.
 */
export function twoInThree(
  closeToLimits: readonly number[],
  relativeToMean: readonly number[],
): number[] {
  const at = (list: readonly number[], i: number) => list[i] ?? 0;
  const windowSignals = (start: number) => {
    let close = 0;
    let side = 0;
    for (let j = start; j < start + 3; j++) {
      close += at(closeToLimits, j);
      side += at(relativeToMean, j);
    }
    return close >= 2 && Math.abs(side) === 3;
  };
  return closeToLimits.map((_, i) =>
    windowSignals(i - 2) || windowSignals(i - 1) || windowSignals(i) ? 1 : 0,
  );
}

/** The special cause a point shows, highest-precedence rule first. */
function specialCauseTypes(
  values: readonly number[],
  relativeToMean: readonly number[],
  closeToLimits: readonly boolean[],
  outsideLimits: readonly boolean[],
): SpecialCauseType[] {
  const trend = partOfSeven(sevenPointTrend(values));
  const close = closeToLimits.map(Number);
  const twoOfThree = twoInThree(close, relativeToMean).map(
    (flag, i) => flag === 1 && close[i] === 1,
  );
  const shift = partOfSeven(sevenPointOneSideOfMean(relativeToMean));
  return values.map((value, i): SpecialCauseType => {
    const side = relativeToMean[i]! > 0 ? 'Above' : 'Below';
    if (outsideLimits[i]) return relativeToMean[i] === 1 ? 'Above UCL' : 'Below LCL';
    if (trend[i]) {
      // A point inside a trend takes the direction of the step after it (before it at the end).
      const inTrendNext = i + 1 < values.length && trend[i + 1] === 1;
      const step = inTrendNext ? values[i + 1]! - value : i > 0 ? value - values[i - 1]! : 0;
      return step > 0 ? '7 Point Trend (Increasing)' : '7 Point Trend (Decreasing)';
    }
    if (twoOfThree[i]) return `2 in 3 ${side} CL`;
    if (shift[i]) return `7 Points ${side} CL`;
    return 'Common Cause';
  });
}

/** Which side of the mean each special cause is on: +1 above or rising, −1 below or falling. */
const specialCauseSign: Record<SpecialCauseType, -1 | 0 | 1> = {
  'Above UCL': 1,
  'Below LCL': -1,
  '7 Point Trend (Increasing)': 1,
  '7 Point Trend (Decreasing)': -1,
  '2 in 3 Above CL': 1,
  '2 in 3 Below CL': -1,
  '7 Points Above CL': 1,
  '7 Points Below CL': -1,
  'Common Cause': 0,
};

export function pointType(type: SpecialCauseType, direction: ImprovementDirection): PointType {
  const sign = specialCauseSign[type];
  if (sign === 0) return 'common_cause';
  if (direction === 'neutral') {
    return sign > 0 ? 'special_cause_neutral_high' : 'special_cause_neutral_low';
  }
  return sign * (direction === 'increase' ? 1 : -1) > 0
    ? 'special_cause_improvement'
    : 'special_cause_concern';
}

/** Will the process meet the target? Judged on the limits in force (the latest segment). */
export function assurance(
  limits: { lpl: number; upl: number },
  target: number | null | undefined,
  direction: ImprovementDirection,
): AssuranceType | null {
  if (target === null || target === undefined || direction === 'neutral') return null;
  const increasing = direction === 'increase';
  if (target > limits.upl) return increasing ? 'consistent_fail' : 'consistent_pass';
  if (target < limits.lpl) return increasing ? 'consistent_pass' : 'consistent_fail';
  return 'inconsistent';
}

function segmentBounds(length: number, rebaseAt: readonly number[]) {
  const starts = [...new Set([0, ...rebaseAt])].sort((a, b) => a - b);
  if (starts.some((start) => !Number.isInteger(start) || start < 0 || start >= length)) {
    throw new StatsInputError('rebase points must be positions within the series');
  }
  return starts.map((start, i) => ({ start, end: starts[i + 1] ?? length }));
}

/** An XmR chart: limits per segment, every point classified, and assurance against a target. */
export function xmrChart(values: readonly number[], options: XmrOptions = {}): XmrChart {
  const direction = options.improvementDirection ?? 'neutral';
  const fixAfter = options.fixAfterNPoints ?? null;
  if (fixAfter !== null && !(Number.isInteger(fixAfter) && fixAfter >= 2)) {
    throw new StatsInputError('limits can be fixed after 2 or more points');
  }
  const points: XmrPoint[] = [];
  const segments: XmrChart['segments'] = [];
  for (const [segment, { start, end }] of segmentBounds(
    values.length,
    options.rebaseAt ?? [],
  ).entries()) {
    const run = values.slice(start, end);
    const baseline = fixAfter === null ? run : run.slice(0, fixAfter);
    const limits = xmrLimits(baseline, options.screenOutliers ?? true);
    segments.push({ ...limits, start, end });
    const { mean, lpl, upl, nlpl, nupl } = limits;
    const outside: boolean[] = [];
    const relative: (-1 | 0 | 1)[] = [];
    const close: boolean[] = [];
    for (const v of run) {
      const out = v > upl || v < lpl;
      outside.push(out);
      relative.push(Math.sign(v - mean) as -1 | 0 | 1);
      close.push(!out && (v < nlpl || v > nupl));
    }
    const types = specialCauseTypes(run, relative, close, outside);
    for (let i = 0; i < run.length; i++) {
      const type = types[i]!;
      points.push({
        value: run[i]!,
        segment,
        mean,
        lpl,
        upl,
        nlpl,
        nupl,
        outsideLimits: outside[i]!,
        relativeToMean: relative[i]!,
        closeToLimits: close[i]!,
        specialCauseType: type,
        specialCauseFlag: type !== 'Common Cause',
        pointType: pointType(type, direction),
      });
    }
  }
  return { points, segments, assurance: assurance(segments.at(-1)!, options.target, direction) };
}

export type VariationIcon =
  | 'common-cause'
  | 'improvement-high'
  | 'improvement-low'
  | 'concern-high'
  | 'concern-low'
  | 'neutral-high'
  | 'neutral-low';

/** The Making Data Count variation icon: what the latest point says. */
export function variationIcon(chart: XmrChart): VariationIcon {
  const last = chart.points.at(-1);
  if (!last || last.pointType === 'common_cause') return 'common-cause';
  const high = specialCauseSign[last.specialCauseType] === 1;
  const side = high ? 'high' : 'low';
  if (last.pointType === 'special_cause_improvement') return `improvement-${side}`;
  if (last.pointType === 'special_cause_concern') return `concern-${side}`;
  return `neutral-${side}`;
}
