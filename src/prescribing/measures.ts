// Prescribing measures as data: one JSON file each in measures/, checked against this schema on load.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../app/config.js';
import { starPuWeights } from './star-pu.js';

export const measuresDir = path.join(projectRoot, 'measures');

/**
 * A code filter as OpenPrescribing writes them: a BNF code prefix ("0501"), a full code (15
 * characters for drugs, 11 for appliances), or a pattern with % ("0407020Q0%AI": the generic and
 * every brand of it); "~" in front takes codes out; anything after "#" is a comment.
 */
const codeFilter = z
  .string()
  .regex(
    /^~?[0-9A-Z%]{1,15}(\s+#.*)?$/,
    'a code filter is an optional ~, then 1 to 15 of 0-9, A-Z and %, then an optional # comment',
  );

const amountKind = z.enum(['items', 'quantity', 'cost']);

const codes = z
  .object({
    measure: amountKind,
    codes: z.array(codeFilter).min(1),
    /**
     * Keep only codes whose median price per unit across the month's practices (net ingredient
     * cost ÷ quantity, where quantity > 0) is at least this many pence.
     */
    minMedianPricePerUnitPence: z.number().positive().optional(),
    /**
     * Count only prescription items whose quantity is above (or equal to) this: the EPD's quantity
     * per item, kept for the presentations such a set names (OpenPrescribing's raw prescribing).
     */
    quantityPerItem: z
      .union([
        z.object({ above: z.number().nonnegative() }).strict(),
        z.object({ equals: z.number().positive() }).strict(),
      ])
      .optional(),
  })
  .strict()
  .refine((c) => c.codes.some((f) => !f.startsWith('~')), 'at least one code filter must include')
  .refine(
    (c) => c.quantityPerItem === undefined || c.measure !== 'cost',
    'a count by quantity per item counts items or quantity, not cost',
  );

/**
 * A numerator that counts prescription items meeting any of several code and quantity-per-item
 * conditions (OpenPrescribing's three-day courses: each antibiotic its own course length).
 */
const anyOfItems = z
  .object({
    measure: z.enum(['items', 'quantity']),
    anyOf: z
      .array(
        z
          .object({
            codes: z.array(codeFilter).min(1),
            quantityPerItem: z.union([
              z.object({ above: z.number().nonnegative() }).strict(),
              z.object({ equals: z.number().positive() }).strict(),
            ]),
          })
          .strict(),
      )
      .min(2),
  })
  .strict();

/** A numerator that adds up other measures' numerators (OpenPrescribing's low-priority omnibus). */
const sumOfMeasures = z
  .object({
    measure: amountKind,
    sumOf: z.array(z.string()).min(2),
  })
  .strict();

const population = z.union([
  z.object({ population: z.literal('list_size') }).strict(),
  z.object({ population: z.literal('star_pu'), weighting: z.string() }).strict(),
  z.object({ population: z.literal('astro_pu'), basis: z.enum(['items', 'cost']) }).strict(),
]);

/** The weighting (a key of star-pu-weights.json, which also holds ASTRO-PU) a population denominator uses. */
export function populationWeighting(d: z.infer<typeof population>): string {
  if (d.population === 'star_pu') return d.weighting;
  if (d.population === 'astro_pu') return `astro_pu_${d.basis}`;
  return 'list_size';
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** Where an adopted definition comes from in OpenPrescribing's repository, and how its codes were chosen. */
const openPrescribing = z
  .object({
    id: z.string().regex(/^[a-z0-9_]+$/),
    commit: z.string().regex(/^[0-9a-f]{40}$/, 'the full commit of the definition file'),
    definition: z.string().min(1),
    /** "bnf-codes": OpenPrescribing's own filters; "derived-from-bnf-names": its dm+d selection, read from BNF names. */
    selection: z.enum(['bnf-codes', 'derived-from-bnf-names']),
    note: z.string().optional(),
  })
  .strict();

export const measureSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _'),
    title: z.string().min(3).max(100),
    description: z.string().min(10),
    whyItMatters: z.string().min(40),
    tags: z.array(z.string()).default([]),
    unit: z.enum(['percentage', 'per1000']),
    /** true: lower is better; false: higher is better; null: no direction (neither is better). */
    lowIsGood: z.boolean().nullable(),
    costBased: z.boolean(),
    numerator: z.union([codes, sumOfMeasures, anyOfItems]),
    denominator: z.union([codes, population]),
    openPrescribing: openPrescribing.optional(),
    /** For Flock's own measures: how this differs from OpenPrescribing's nearest measure. */
    differsFromOpenPrescribing: z.string().min(20).optional(),
    author: z.string().min(2),
    reviewed: isoDate,
    nextReview: isoDate,
    references: z.array(z.string()).default([]),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.costBased && m.numerator.measure !== 'cost')
      ctx.addIssue({
        code: 'custom',
        path: ['costBased'],
        message: 'a cost-based measure counts cost in its numerator',
      });
    if (m.costBased && !('population' in m.denominator))
      ctx.addIssue({
        code: 'custom',
        path: ['costBased'],
        message: 'cost savings are computed for measures per head of population only',
      });
    if ('population' in m.denominator && m.denominator.population === 'star_pu') {
      const weighting = m.denominator.weighting;
      if (!(weighting in starPuWeights()))
        ctx.addIssue({
          code: 'custom',
          path: ['denominator', 'weighting'],
          message: `no STAR-PU weighting "${weighting}"`,
        });
    }
    if (m.unit === 'percentage' && 'population' in m.denominator)
      ctx.addIssue({
        code: 'custom',
        path: ['unit'],
        message: 'a percentage needs prescribing in its denominator',
      });
    if ((m.openPrescribing === undefined) === (m.differsFromOpenPrescribing === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['openPrescribing'],
        message:
          'a measure either names the OpenPrescribing definition it adopts, or says how it differs from OpenPrescribing (differsFromOpenPrescribing)',
      });
  });

export type Measure = z.infer<typeof measureSchema>;
export type CodeSet = z.infer<typeof codes>;
export type QuantityCondition = NonNullable<CodeSet['quantityPerItem']>;

/** The code sets counted by quantity per item in a measure, each with its condition. */
export function perItemSets(m: Measure): { codes: string[]; quantityPerItem: QuantityCondition }[] {
  const sets: { codes: string[]; quantityPerItem: QuantityCondition }[] = [];
  if ('anyOf' in m.numerator) sets.push(...m.numerator.anyOf);
  if ('codes' in m.numerator && m.numerator.quantityPerItem)
    sets.push({ codes: m.numerator.codes, quantityPerItem: m.numerator.quantityPerItem });
  if ('codes' in m.denominator && m.denominator.quantityPerItem)
    sets.push({ codes: m.denominator.codes, quantityPerItem: m.denominator.quantityPerItem });
  return sets;
}

/** SQL for a quantity-per-item condition over `column`. */
export const quantityConditionSql = (q: QuantityCondition, column = 'quantity_per_item') =>
  'above' in q ? `${column} > ${q.above}` : `${column} = ${q.equals}`;

/** A code filter without its comment: "0501080W0 # Trimethoprim" → "0501080W0". */
export const filterCode = (filter: string) => filter.split('#')[0]!.trim();

/** The filters that include and those that exclude ("~"), comments removed. */
export function splitFilters(set: Pick<CodeSet, 'codes'>) {
  const all = set.codes.map(filterCode);
  return {
    include: all.filter((f) => !f.startsWith('~')),
    exclude: all.filter((f) => f.startsWith('~')).map((f) => f.slice(1)),
  };
}

/**
 * Whether a BNF code passes a filter, as OpenPrescribing reads them: % is any run of characters; a
 * full-length code (15 characters for drugs in chapters up to 19, 11 for appliances) must match
 * exactly; anything shorter is a prefix.
 */
export function filterSql(filter: string, column = 'bnf_code'): string {
  const fullLength = filter.slice(0, 2) <= '19' ? 15 : 11;
  if (filter.includes('%')) return `${column} LIKE '${filter}'`;
  if (filter.length === fullLength) return `${column} = '${filter}'`;
  return `${column} LIKE '${filter}%'`;
}

/** Multiplier from numerator ÷ denominator to the value shown. */
export const unitScale = (m: Measure) => (m.unit === 'percentage' ? 100 : 1000);

export const unitLabel = (m: Measure) => {
  if (m.unit === 'percentage') return '%';
  const population = 'population' in m.denominator ? m.denominator.population : undefined;
  const per =
    population === 'star_pu' ? 'STAR-PU' : population === 'astro_pu' ? 'ASTRO-PU' : 'patients';
  return m.numerator.measure === 'cost'
    ? `£ per 1,000 ${per}`
    : `${m.numerator.measure} per 1,000 ${per}`;
};

/** Which way is better, in words. */
export const directionText = (m: Pick<Measure, 'lowIsGood'>) =>
  m.lowIsGood === null
    ? 'Neither high nor low is better in itself'
    : m.lowIsGood
      ? 'Lower is better'
      : 'Higher is better';

/** Reads and checks every measure file; a bad file stops with its name and the problem. */
export function loadMeasures(dir = measuresDir): Measure[] {
  const measures: Measure[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    } catch (error) {
      throw new Error(`measures/${file}: not valid JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
    const parsed = measureSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`measures/${file}: ${issue?.path.join('.') || '(file)'}: ${issue?.message}`);
    }
    if (`${parsed.data.id}.json` !== file)
      throw new Error(`measures/${file}: id "${parsed.data.id}" must match the file name`);
    measures.push(parsed.data);
  }
  // A sum of measures names measures that exist and count the same thing from codes.
  const byId = new Map(measures.map((m) => [m.id, m]));
  for (const m of measures) {
    if (!('sumOf' in m.numerator)) continue;
    for (const id of m.numerator.sumOf) {
      const part = byId.get(id);
      if (
        !part ||
        !('codes' in part.numerator) ||
        part.numerator.measure !== m.numerator.measure ||
        part.numerator.quantityPerItem !== undefined
      )
        throw new Error(
          `measures/${m.id}.json: numerator.sumOf: "${id}" is not a measure counting ${m.numerator.measure} from codes alone`,
        );
    }
  }
  return measures;
}

let cached: Measure[] | undefined;
/** The shipped measures, read once. */
export const measures = () => (cached ??= loadMeasures());
export const findMeasure = (id: string) => measures().find((m) => m.id === id);

/** The code sets a measure's numerator counts: its own, or those of the measures it adds up. */
export function numeratorSets(m: Measure, all: readonly Measure[] = measures()): CodeSet[] {
  if ('codes' in m.numerator) return [m.numerator];
  if ('anyOf' in m.numerator) {
    const measure = m.numerator.measure;
    return m.numerator.anyOf.map((part) => ({ measure, ...part }));
  }
  return m.numerator.sumOf.map((id) => {
    const part = all.find((x) => x.id === id);
    if (!part || !('codes' in part.numerator)) throw new Error(`no measure ${id}`);
    return part.numerator;
  });
}
