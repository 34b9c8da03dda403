// Prescribing measures as data: one JSON file each in measures/, checked against this schema on load.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../app/config.js';
import { starPuWeights } from './star-pu.js';

export const measuresDir = path.join(projectRoot, 'measures');

/** SQL LIKE patterns over BNF presentation codes: '%' any run, '_' one character. */
const pattern = z
  .string()
  .regex(/^[0-9A-Z_%]{2,15}$/, 'a BNF code pattern is 2 to 15 of 0-9, A-Z, _ and %');

const codes = z
  .object({
    measure: z.enum(['items', 'quantity', 'cost']),
    bnf: z.array(pattern).min(1),
    exclude: z.array(pattern).default([]),
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

export const measureSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _'),
    title: z.string().min(3).max(100),
    description: z.string().min(10),
    whyItMatters: z.string().min(40),
    tags: z.array(z.string()).default([]),
    unit: z.enum(['percentage', 'per1000']),
    lowIsGood: z.boolean(),
    costBased: z.boolean(),
    numerator: codes,
    denominator: z.union([codes, population]),
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
  });

export type Measure = z.infer<typeof measureSchema>;
export type CodeSet = z.infer<typeof codes>;

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
  return measures;
}

let cached: Measure[] | undefined;
/** The shipped measures, read once. */
export const measures = () => (cached ??= loadMeasures());
export const findMeasure = (id: string) => measures().find((m) => m.id === id);
