// Every statistical method by its reference-vector name, with inputs checked: for `flock stats run`.
import { z } from 'zod';
import {
  expectedAtLimits,
  proportionFunnelLimits,
  proportionSignificance,
  rateFunnelLimits,
  rateSignificance,
  ratioFunnelLimits,
  ratioSignificance,
} from './funnel.js';
import { limitsAsFields, StatsInputError, type Statistic } from './input.js';
import { byarsLower, byarsUpper } from './poisson.js';
import { crudeRate } from './rates.js';
import {
  assurance,
  partOfSeven,
  sevenPointOneSideOfMean,
  sevenPointTrend,
  twoInThree,
  xmrChart,
  xmrLimits,
} from './spc.js';
import {
  directlyStandardisedRate,
  directlyStandardisedRateNonIndependent,
  indirectlyStandardisedRate,
  indirectlyStandardisedRatio,
} from './standardised.js';
import { proportion, wilsonInterval } from './wilson.js';

export interface MethodCase {
  id: string;
  method: string;
  inputs: unknown;
}

export type MethodOutcome =
  { id: string; method: string; result: unknown } | { id: string; method: string; error: string };

const count = z.number().finite();
const optionalCount = count.nullable().optional();
const confidence = z.union([count, z.array(count).min(1)]).default(0.95);
const direction = z.enum(['increase', 'decrease', 'neutral']).default('neutral');

const statisticFields = (statistic: Statistic) => ({
  value: statistic.value,
  ...limitsAsFields(statistic.limits),
});

interface Method<Schema extends z.ZodType> {
  inputs: Schema;
  run: (inputs: z.infer<Schema>) => unknown;
}

const method = <Schema extends z.ZodType>(
  inputs: Schema,
  run: (inputs: z.infer<Schema>) => unknown,
) => ({ inputs, run }) as Method<z.ZodType>;

const proportionRow = z.object({ x: optionalCount, n: optionalCount });

export const methods: Record<string, Method<z.ZodType>> = {
  poisson_count_ci_byars: method(z.object({ x: count, confidence: count.default(0.95) }), (i) => ({
    lower: byarsLower(i.x, i.confidence),
    upper: byarsUpper(i.x, i.confidence),
  })),

  wilson_score_ci: method(z.object({ x: count, n: count, confidence: count.default(0.95) }), (i) =>
    wilsonInterval(i.x, i.n, i.confidence),
  ),

  proportion_wilson: method(
    z.union([
      proportionRow.extend({ confidence, multiplier: count.default(1) }),
      z.object({ rows: z.array(proportionRow), confidence, multiplier: count.default(1) }),
    ]),
    (i) => {
      const one = (row: z.infer<typeof proportionRow>) =>
        statisticFields(proportion(row.x, row.n, i.confidence, i.multiplier));
      return 'rows' in i ? i.rows.map(one) : one(i);
    },
  ),

  crude_rate_poisson: method(
    z.object({
      x: optionalCount,
      n: optionalCount,
      confidence,
      multiplier: count.default(100_000),
    }),
    (i) => {
      const rate = crudeRate(i.x, i.n, i.confidence, i.multiplier);
      return { ...statisticFields(rate), method: rate.method };
    },
  ),

  dsr_dobson: method(
    z.object({
      x: z.array(count.nullable()),
      n: z.array(count),
      stdpop: z.array(count).optional(),
      confidence,
      multiplier: count.default(100_000),
    }),
    (i) => {
      const dsr = directlyStandardisedRate({
        events: i.x,
        populations: i.n,
        standard: i.stdpop,
        confidence: i.confidence,
        multiplier: i.multiplier,
      });
      return {
        total_count: dsr.totalCount,
        total_pop: dsr.totalPopulation,
        ...statisticFields(dsr),
      };
    },
  ),

  dsr_dobson_nonindependent: method(
    z.object({
      n: z.array(count),
      stdpop: z.array(count).optional(),
      persons_by_eventfreq: z.record(z.string().regex(/^\d+$/), z.array(count)),
      confidence,
      multiplier: count.default(100_000),
    }),
    (i) => {
      const dsr = directlyStandardisedRateNonIndependent({
        personsByFrequency: Object.fromEntries(
          Object.entries(i.persons_by_eventfreq).map(([k, v]) => [Number(k), v]),
        ),
        populations: i.n,
        standard: i.stdpop,
        confidence: i.confidence,
        multiplier: i.multiplier,
      });
      return {
        total_count: dsr.totalCount,
        total_pop: dsr.totalPopulation,
        ...statisticFields(dsr),
      };
    },
  ),

  isratio: method(
    z.object({
      x: z.array(count.nullable()),
      n: z.array(count),
      x_ref: z.array(count),
      n_ref: z.array(count),
      confidence,
      refvalue: count.default(1),
    }),
    (i) => {
      const ratio = indirectlyStandardisedRatio({
        events: i.x,
        populations: i.n,
        referenceEvents: i.x_ref,
        referencePopulations: i.n_ref,
        confidence: i.confidence,
        reference: i.refvalue,
      });
      return {
        observed: ratio.observed,
        expected: ratio.expected,
        ...statisticFields(ratio),
        method: ratio.method,
      };
    },
  ),

  israte: method(
    z.object({
      x: z.array(count.nullable()),
      n: z.array(count),
      x_ref: z.array(count),
      n_ref: z.array(count),
      confidence,
      multiplier: count.default(100_000),
    }),
    (i) => {
      const rate = indirectlyStandardisedRate({
        events: i.x,
        populations: i.n,
        referenceEvents: i.x_ref,
        referencePopulations: i.n_ref,
        confidence: i.confidence,
        multiplier: i.multiplier,
      });
      return {
        observed: rate.observed,
        expected: rate.expected,
        ref_rate: rate.referenceRate,
        ...statisticFields(rate),
        method: rate.method,
      };
    },
  ),

  funnel_limits_proportion: method(
    z.object({ population: count, average_proportion: count, multiplier: count.default(100) }),
    (i) => {
      const limits = proportionFunnelLimits(i.population, i.average_proportion, i.multiplier);
      return {
        lower_2s_limit: limits.lower2s,
        upper_2s_limit: limits.upper2s,
        lower_3s_limit: limits.lower3s,
        upper_3s_limit: limits.upper3s,
        baseline: limits.baseline,
      };
    },
  ),

  funnel_significance_proportion: method(
    z.object({ numerator: count, denominator: count, average_proportion: count }),
    (i) => ({
      significance: proportionSignificance(i.numerator, i.denominator, i.average_proportion),
    }),
  ),

  funnel_limits_ratio: method(
    z.object({ observed_events: count, multiplier: count.default(100) }),
    (i) => {
      const expected = expectedAtLimits(i.observed_events);
      const isr = ratioFunnelLimits(i.observed_events, i.multiplier);
      const fields: Record<string, number> = {};
      for (const level of ['2s', '3s'] as const) {
        for (const side of ['lower', 'upper'] as const) {
          const key = `${side}${level}` as const;
          fields[`${side}_${level}_exp_events`] = expected[key];
          fields[`${side}_${level}_limit_count`] = i.observed_events / expected[key] - 1;
          fields[`${side}_${level}_limit_isr`] = isr[key];
        }
      }
      return fields;
    },
  ),

  funnel_significance_ratio: method(z.object({ observed: count, expected: count }), (i) => ({
    significance: ratioSignificance(i.observed, i.expected),
  })),

  funnel_limits_rate: method(
    z.object({
      events: count,
      average_rate_per_person: count,
      multiplier: count.default(100_000),
      years_of_data: count.default(1),
    }),
    (i) => {
      const limits = rateFunnelLimits(
        i.events,
        i.average_rate_per_person,
        i.multiplier,
        i.years_of_data,
      );
      const fields: Record<string, number> = { baseline: limits.baseline };
      for (const level of ['2s', '3s'] as const) {
        for (const side of ['lower', 'upper'] as const) {
          const at = limits[`${side}${level}`];
          fields[`${side}_${level}_population_1_year`] = at.population1Year;
          fields[`${side}_${level}_limit`] = at.limit;
        }
      }
      return fields;
    },
  ),

  funnel_significance_rate: method(
    z.object({
      numerator: count,
      rate: count.nullable(),
      denominator: optionalCount,
      rate_type: z.enum(['dsr', 'crude']),
      multiplier: count,
      weighted_average_per_person: count,
    }),
    (i) => ({
      significance: rateSignificance({
        numerator: i.numerator,
        rate: i.rate,
        denominator: i.denominator,
        rateType: i.rate_type,
        multiplier: i.multiplier,
        weightedAveragePerPerson: i.weighted_average_per_person,
      }),
    }),
  ),

  spc_xmr: method(
    z.object({
      values: z.array(count),
      screen_outliers: z.boolean().default(true),
      fix_after_n_points: z.number().int().nullable().default(null),
      improvement_direction: direction,
      rebase: z.array(z.number().int()).default([]),
      target: count.nullable().default(null),
    }),
    (i) => {
      const chart = xmrChart(i.values, {
        screenOutliers: i.screen_outliers,
        fixAfterNPoints:
          i.fix_after_n_points === null || i.fix_after_n_points >= i.values.length
            ? null
            : i.fix_after_n_points,
        rebaseAt: i.rebase,
        improvementDirection: i.improvement_direction,
        target: i.target,
      });
      const latest = chart.segments.at(-1)!;
      const byPosition = <T>(pick: (p: (typeof chart.points)[number]) => T | null) =>
        Object.fromEntries(
          chart.points.flatMap((p, index) => {
            const value = pick(p);
            return value === null ? [] : [[String(index + 1), value]];
          }),
        );
      return {
        mean: latest.mean,
        lpl: latest.lpl,
        upl: latest.upl,
        nlpl: latest.nlpl,
        nupl: latest.nupl,
        common_cause_count: chart.points.filter((p) => !p.specialCauseFlag).length,
        special_cause_points: byPosition((p) => (p.specialCauseFlag ? p.specialCauseType : null)),
        point_type_non_common: byPosition((p) =>
          p.pointType === 'common_cause' ? null : p.pointType,
        ),
        outside_limits: chart.points.map((p) => p.outsideLimits),
        relative_to_mean: chart.points.map((p) => p.relativeToMean),
        close_to_limits: chart.points.map((p) => p.closeToLimits),
        special_cause_flag: chart.points.map((p) => p.specialCauseFlag),
        assurance_type: chart.assurance,
      };
    },
  ),

  spc_xmr_limits: method(
    z.object({ values: z.array(count), screen_outliers: z.boolean().default(true) }),
    (i) => xmrLimits(i.values, i.screen_outliers),
  ),

  spc_rule_seven_point_trend: method(z.object({ y: z.array(count) }), (i) => ({
    result: sevenPointTrend(i.y),
  })),

  spc_rule_seven_point_one_side_mean: method(
    z.object({ relative_to_mean: z.array(z.number().int().min(-1).max(1)) }),
    (i) => ({ result: sevenPointOneSideOfMean(i.relative_to_mean) }),
  ),

  spc_rule_two_in_three: method(
    z.object({
      close_to_limits: z.array(z.number().int().min(0).max(1)),
      relative_to_mean: z.array(z.number().int().min(-1).max(1)),
    }),
    (i) => {
      if (i.close_to_limits.length !== i.relative_to_mean.length) {
        throw new StatsInputError('close_to_limits and relative_to_mean must be the same length');
      }
      return { result: twoInThree(i.close_to_limits, i.relative_to_mean) };
    },
  ),

  spc_rule_part_of_seven: method(
    z.object({ v: z.array(z.number().int().min(-1).max(1)) }),
    (i) => ({
      result: partOfSeven(i.v),
    }),
  ),

  spc_assurance: method(
    z.object({
      lpl: z.array(count),
      upl: z.array(count),
      target: count.nullable(),
      improvement_direction: direction,
    }),
    (i) => {
      if (i.lpl.length !== i.upl.length) {
        throw new StatsInputError('lpl and upl must be the same length');
      }
      return {
        assurance_type: i.lpl.map((lpl, k) =>
          assurance({ lpl, upl: i.upl[k]! }, i.target, i.improvement_direction),
        ),
      };
    },
  ),
};

export const methodNames = Object.keys(methods);

function describeIssues(error: z.ZodError) {
  return error.issues
    .map(
      (issue) =>
        `inputs${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`,
    )
    .join('; ');
}

/** Runs one case; bad input or an unknown method gives an error object, never a throw. */
export function runCase(candidate: unknown): MethodOutcome {
  const shape = z.object({
    id: z.string().or(z.number()).transform(String),
    method: z.string(),
    inputs: z.unknown(),
  });
  const parsedCase = shape.safeParse(candidate);
  if (!parsedCase.success) {
    const id =
      typeof candidate === 'object' && candidate && 'id' in candidate ? String(candidate.id) : '';
    const name =
      typeof candidate === 'object' && candidate && 'method' in candidate
        ? String(candidate.method)
        : '';
    return { id, method: name, error: 'a case needs an "id", a "method" and "inputs"' };
  }
  const { id, method: name, inputs } = parsedCase.data;
  const entry = Object.hasOwn(methods, name) ? methods[name] : undefined;
  if (!entry) {
    return {
      id,
      method: name,
      error: `unknown method "${name}"; known: ${methodNames.join(', ')}`,
    };
  }
  const parsed = entry.inputs.safeParse(inputs);
  if (!parsed.success) return { id, method: name, error: describeIssues(parsed.error) };
  try {
    return { id, method: name, result: entry.run(parsed.data) };
  } catch (error) {
    if (error instanceof StatsInputError) return { id, method: name, error: error.message };
    throw error;
  }
}
