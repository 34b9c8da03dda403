// STAR-PU: prescribing units weighted by age and sex, from NHS Digital's published weights (2013).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../app/config.js';

/** The nine age bands the weights are published for. */
export const starPuBands = [
  '0-4',
  '5-14',
  '15-24',
  '25-34',
  '35-44',
  '45-54',
  '55-64',
  '65-74',
  '75+',
] as const;
export type StarPuBand = (typeof starPuBands)[number];

const weightsSchema = z.record(
  z.string(),
  z.object(
    Object.fromEntries(starPuBands.map((b) => [b, z.tuple([z.number(), z.number()])])) as Record<
      StarPuBand,
      z.ZodTuple<[z.ZodNumber, z.ZodNumber]>
    >,
  ),
);

/** Weighting name → band → [male, female] weight per patient. */
export type StarPuWeights = z.infer<typeof weightsSchema>;

let cached: StarPuWeights | undefined;
export function starPuWeights(): StarPuWeights {
  cached ??= weightsSchema.parse(
    JSON.parse(
      readFileSync(path.join(projectRoot, 'src/prescribing/star-pu-weights.json'), 'utf8'),
    ),
  );
  return cached;
}

/** The STAR-PU band a registered 5-year band ("0-4" … "95+", or "90+") falls in. */
export function starPuBand(fiveYearBand: string): StarPuBand | undefined {
  const lower = Number.parseInt(fiveYearBand, 10);
  if (!Number.isFinite(lower)) return undefined;
  if (lower < 5) return '0-4';
  if (lower < 15) return '5-14';
  if (lower >= 75) return '75+';
  const decade = Math.floor((lower - 15) / 10) * 10 + 15;
  return `${decade}-${decade + 9}` as StarPuBand;
}

export interface AgeSexCount {
  sex: 'female' | 'male';
  band: string;
  patients: number;
}

/** Σ over sex and band of patients × weight: a practice's STAR-PU for one weighting. */
export function starPu(weights: StarPuWeights[string], population: readonly AgeSexCount[]): number {
  let total = 0;
  for (const { sex, band, patients } of population) {
    const star = starPuBand(band);
    if (!star) throw new Error(`no STAR-PU band for age band "${band}"`);
    total += patients * weights[star][sex === 'male' ? 0 : 1];
  }
  return total;
}
