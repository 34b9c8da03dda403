// The year's financial business rules as versioned data (finance-rules/<year>.json), and a plan checked against them.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../app/config.js';
import { poundsToPence } from '../platform/money.js';
import { divideRounded } from './allocation.js';

export const rulesDir = path.join(projectRoot, 'finance-rules');

const decimalText = z.string().regex(/^\d+(\.\d+)?$/, 'a number written as text, like "0.5"');

const rule = z
  .object({
    kind: z.enum(['percent', 'pounds per head']),
    comparison: z.enum(['at least', 'at most']),
    value: decimalText,
    source: z.string().min(10),
    confirmed: z.boolean(),
  })
  .strict()
  .refine((r) => r.kind !== 'percent' || Number(r.value) <= 100, {
    message: 'a percentage must be between 0 and 100',
    path: ['value'],
  });

export const ruleKeys = [
  'plannedSurplus',
  'contingency',
  'nonRecurrentHeadroom',
  'runningCostPerHead',
] as const;
export type RuleKey = (typeof ruleKeys)[number];

export const ruleLabels: Record<RuleKey, string> = {
  plannedSurplus: 'Planned surplus (% of allocation)',
  contingency: 'Contingency reserve (% of allocation)',
  nonRecurrentHeadroom: 'Non-recurrent headroom (% of allocation)',
  runningCostPerHead: 'Running costs (£ per registered patient)',
};

const ruleSetSchema = z
  .object({
    year: z.string().regex(/^\d{4}\/\d{2}$/, 'a financial year like 2014/15'),
    note: z.string(),
    rules: z
      .object(
        Object.fromEntries(ruleKeys.map((k) => [k, rule.optional()])) as Record<
          RuleKey,
          z.ZodOptional<typeof rule>
        >,
      )
      .strict(),
  })
  .strict();

export type RuleSet = z.infer<typeof ruleSetSchema>;
export type Rule = z.infer<typeof rule>;

/** Reads and checks every year's file; a bad file stops with its name and the problem. */
export function loadRuleSets(dir = rulesDir): RuleSet[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = ruleSetSchema.safeParse(
        JSON.parse(readFileSync(path.join(dir, file), 'utf8')),
      );
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(
          `finance-rules/${file}: ${issue?.path.join('.') || '(file)'}: ${issue?.message}`,
        );
      }
      if (file !== `${parsed.data.year.replace('/', '-')}.json`)
        throw new Error(`finance-rules/${file}: year ${parsed.data.year} must match the file name`);
      return parsed.data;
    });
}

let cached: RuleSet[] | undefined;
export const ruleSets = () => (cached ??= loadRuleSets());

/** What a plan sets aside, in pence, and for how many registered patients. */
export interface PlanFigures {
  allocationPence: bigint;
  plannedSurplusPence: bigint;
  contingencyPence: bigint;
  nonRecurrentHeadroomPence: bigint;
  runningCostsPence: bigint;
  registeredPopulation: number;
}

export interface RuleCheck {
  key: RuleKey;
  label: string;
  rule: Rule;
  /** What the rule asks for, in pence. */
  requiredPence: bigint;
  /** What the plan has, in pence. */
  plannedPence: bigint;
  /** How far short (or over, for an "at most" rule) the plan is, in pence; 0 when it passes. */
  gapPence: bigint;
  passes: boolean;
}

/** Hundredths of a percent, or pence per head, from the rule's decimal text. */
const scaled = (text: string) => poundsToPence(text);

/**
 * Checks a plan against each rule of the year: percentages of the allocation (rounded to the penny)
 * and running costs against the allowance per head × registered population.
 */
export function checkPlan(rules: RuleSet, plan: PlanFigures): RuleCheck[] {
  const planned: Record<RuleKey, bigint> = {
    plannedSurplus: plan.plannedSurplusPence,
    contingency: plan.contingencyPence,
    nonRecurrentHeadroom: plan.nonRecurrentHeadroomPence,
    runningCostPerHead: plan.runningCostsPence,
  };
  return ruleKeys.flatMap((key) => {
    const r = rules.rules[key];
    if (!r) return [];
    const required =
      r.kind === 'percent'
        ? divideRounded(plan.allocationPence * scaled(r.value), 10_000n)
        : scaled(r.value) * BigInt(Math.round(plan.registeredPopulation));
    const actual = planned[key];
    const gap = r.comparison === 'at least' ? required - actual : actual - required;
    return [
      {
        key,
        label: ruleLabels[key],
        rule: r,
        requiredPence: required,
        plannedPence: actual,
        gapPence: gap > 0n ? gap : 0n,
        passes: gap <= 0n,
      },
    ];
  });
}

/**
 * The rule set for a financial year. When none is held for it, each rule is carried forward from the
 * latest earlier year that sets it, and marked so (the pages say which year each figure is from).
 * Undefined when there is no earlier year either.
 */
export function rulesForYear(
  year: string,
):
  | { rules: RuleSet; carriedForward: boolean; ruleYears: Partial<Record<RuleKey, string>> }
  | undefined {
  const sets = ruleSets();
  const exact = sets.find((s) => s.year === year);
  if (exact)
    return {
      rules: exact,
      carriedForward: false,
      ruleYears: Object.fromEntries(ruleKeys.filter((k) => exact.rules[k]).map((k) => [k, year])),
    };
  const earlier = sets.filter((s) => s.year < year);
  const latest = earlier.at(-1);
  if (!latest) return undefined;
  const rules: RuleSet['rules'] = {};
  const ruleYears: Partial<Record<RuleKey, string>> = {};
  for (const key of ruleKeys) {
    const from = [...earlier].reverse().find((s) => s.rules[key]);
    if (from) {
      rules[key] = from.rules[key];
      ruleYears[key] = from.year;
    }
  }
  return {
    rules: {
      year: latest.year,
      note: `No rules are held for ${year}: each figure is the latest held (${ruleKeys
        .filter((k) => ruleYears[k])
        .map((k) => `${ruleLabels[k].replace(/ \(.*\)$/, '').toLowerCase()} ${ruleYears[k]}`)
        .join(', ')}).`,
      rules,
    },
    carriedForward: true,
    ruleYears,
  };
}
