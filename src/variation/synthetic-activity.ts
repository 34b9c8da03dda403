// Generates synthetic activity by practice that adds up exactly to a group's real monthly totals.
//
// For each month and point of delivery the group's real total (Monthly Activity Return) is split at
// random (multinomially) among practices × specialties in proportion to:
//   each specialty's share × the practice's expected activity from its age/sex mix (specialty
//   profiles) × a practice effect × a practice–specialty effect (log-normal, the over-dispersion
//   seen between real practices) × a few planted outliers (true differences a funnel should find).
// The same seed and inputs always give the same rows.
import { multinomial, normal, seededRandom } from '../stats/random.js';
import type { PointOfDelivery } from './activity.js';
import { bandMidpoint, bySpecialty, rateFor, specialtyProfiles } from './specialty-profiles.js';

export interface PracticePopulation {
  code: string;
  /** Registered patients by sex and 5-year band. */
  bands: { sex: 'female' | 'male'; band: string; patients: number }[];
}

export interface PlantedOutlier {
  practiceCode: string;
  specialty: string;
  /** Multiplies the practice's true rate in this specialty (referrals, and what follows from them). */
  factor: number;
}

export interface GeneratorInput {
  practices: PracticePopulation[];
  /** The group's real monthly totals for each point of delivery ('YYYY-MM' → count). */
  totals: Partial<Record<PointOfDelivery, { month: string; total: number }[]>>;
  seed: number;
  /** Spread of the practice-wide and practice-by-specialty effects (standard deviation on the log scale). */
  practiceSpread?: number;
  specialtySpread?: number;
  /** How many outliers to plant (half high, half low). */
  outliers?: number;
}

export interface GeneratedActivity {
  practice_code: string;
  month: string;
  point_of_delivery: PointOfDelivery;
  treatment_function: string;
  count: number;
}

export function expectedActivity(
  practice: PracticePopulation,
  pointOfDelivery: PointOfDelivery,
  specialty: string,
): number {
  return practice.bands.reduce(
    (sum, b) => sum + b.patients * rateFor(pointOfDelivery, specialty, bandMidpoint(b.band), b.sex),
    0,
  );
}

/** Picks outliers at random among the larger specialties, so each is big enough to detect. */
function plantOutliers(
  random: () => number,
  practices: PracticePopulation[],
  count: number,
): PlantedOutlier[] {
  const candidates = specialtyProfiles.filter((p) => (p.share['gp-referral'] ?? 0) >= 0.05);
  const planted: PlantedOutlier[] = [];
  const used = new Set<string>();
  // Larger practices only: a true difference in a tiny list is hidden by chance, as in life.
  const sizes = practices.map((p) => p.bands.reduce((s, b) => s + b.patients, 0));
  const median = [...sizes].sort((a, b) => a - b)[Math.floor(sizes.length / 2)] ?? 0;
  const eligible = practices.filter((_, i) => sizes[i]! >= median);
  while (planted.length < count && eligible.length > 0) {
    const practice = eligible[Math.floor(random() * eligible.length)]!;
    const specialty = candidates[Math.floor(random() * candidates.length)]!.code;
    const key = `${practice.code} ${specialty}`;
    if (used.has(key)) continue;
    used.add(key);
    planted.push({
      practiceCode: practice.code,
      specialty,
      factor: planted.length % 2 === 0 ? 1.8 : 0.5,
    });
  }
  return planted;
}

export function generateActivity(input: GeneratorInput): {
  rows: GeneratedActivity[];
  planted: PlantedOutlier[];
} {
  const random = seededRandom(input.seed);
  const practiceSpread = input.practiceSpread ?? 0.05;
  const specialtySpread = input.specialtySpread ?? 0.05;
  const practices = [...input.practices].sort((a, b) => a.code.localeCompare(b.code));
  const planted = plantOutliers(random, practices, input.outliers ?? 4);
  const plantedFactor = new Map(planted.map((p) => [`${p.practiceCode} ${p.specialty}`, p.factor]));
  const practiceEffect = practices.map(() => Math.exp(practiceSpread * normal(random)));
  const specialtyEffect = new Map<string, number>();
  for (const practice of practices) {
    for (const profile of specialtyProfiles) {
      specialtyEffect.set(
        `${practice.code} ${profile.code}`,
        Math.exp(specialtySpread * normal(random)) *
          (plantedFactor.get(`${practice.code} ${profile.code}`) ?? 1),
      );
    }
  }

  const rows: GeneratedActivity[] = [];
  for (const [pod, series] of Object.entries(input.totals) as [
    PointOfDelivery,
    { month: string; total: number }[],
  ][]) {
    const cells: { practice: string; specialty: string; weight: number }[] = [];
    if (bySpecialty.includes(pod)) {
      const shareTotal = specialtyProfiles.reduce((s, p) => s + (p.share[pod] ?? 0), 0);
      for (const profile of specialtyProfiles) {
        const share = (profile.share[pod] ?? 0) / shareTotal;
        const expected = practices.map((p) => expectedActivity(p, pod, profile.code));
        const expectedTotal = expected.reduce((s, e) => s + e, 0) || 1;
        practices.forEach((practice, i) => {
          cells.push({
            practice: practice.code,
            specialty: profile.code,
            weight:
              (share *
                expected[i]! *
                practiceEffect[i]! *
                specialtyEffect.get(`${practice.code} ${profile.code}`)!) /
              expectedTotal,
          });
        });
      }
    } else {
      practices.forEach((practice, i) => {
        cells.push({
          practice: practice.code,
          specialty: '',
          weight: expectedActivity(practice, pod, '') * practiceEffect[i]!,
        });
      });
    }
    const weights = cells.map((c) => c.weight);
    for (const { month, total } of series) {
      const counts = multinomial(random, Math.round(total), weights);
      cells.forEach((cell, i) => {
        rows.push({
          practice_code: cell.practice,
          month,
          point_of_delivery: pod,
          treatment_function: cell.specialty,
          count: counts[i]!,
        });
      });
    }
  }
  return { rows, planted };
}

export const activityCsvHeader =
  'practice_code,month,point_of_delivery,treatment_function,count,synthetic';

export function activityCsvLines(rows: readonly GeneratedActivity[]): string[] {
  return rows.map(
    (r) =>
      `${r.practice_code},${r.month},${r.point_of_delivery},${r.treatment_function},${r.count},true`,
  );
}
