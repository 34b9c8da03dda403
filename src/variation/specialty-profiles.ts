// Assumed referral patterns by specialty: each one's share of activity and how its rate varies with age and sex.
//
// No age- and sex-specific practice activity is published, so these shapes are stated assumptions
// (typical of English hospital activity: cataract referrals rise steeply with age, gynaecology is
// women of working age, and so on). They drive the synthetic demo data and are the reference rates
// for indirect standardisation; docs/methods.md says so wherever a standardised ratio is shown.
import type { PointOfDelivery } from './activity.js';

type Sex = 'female' | 'male';

export interface SpecialtyProfile {
  code: string;
  /** Share of each point of delivery's activity (by specialty) in this specialty. */
  share: Partial<Record<PointOfDelivery, number>>;
  /** Relative rate for a person of this age (band midpoint) and sex. */
  rate: (age: number, sex: Sex) => number;
}

const rising = (slope: number, pivot: number) => (age: number) => Math.exp(slope * (age - pivot));
const adultsOnly = (age: number) => (age < 16 ? 0.15 : 1);

export const specialtyProfiles: SpecialtyProfile[] = [
  {
    code: '110',
    share: { 'gp-referral': 0.12, 'first-outpatient': 0.12, 'elective-admission': 0.12 },
    rate: (a, s) => rising(0.02, 50)(a) * adultsOnly(a) * (s === 'female' ? 1.2 : 1),
  },
  {
    code: '130',
    share: { 'gp-referral': 0.09, 'first-outpatient': 0.09, 'elective-admission': 0.14 },
    rate: (a) => rising(0.05, 60)(a) + 0.1,
  },
  {
    code: '120',
    share: { 'gp-referral': 0.07, 'first-outpatient': 0.07, 'elective-admission': 0.04 },
    rate: (a) => (a < 10 ? 1.4 : 0.8 + a / 150),
  },
  {
    code: '330',
    share: { 'gp-referral': 0.08, 'first-outpatient': 0.08, 'elective-admission': 0.05 },
    rate: (a) => 0.6 + a / 80,
  },
  {
    code: '100',
    share: { 'gp-referral': 0.08, 'first-outpatient': 0.08, 'elective-admission': 0.12 },
    rate: (a) => adultsOnly(a) * (0.6 + a / 100),
  },
  {
    code: '502',
    share: { 'gp-referral': 0.07, 'first-outpatient': 0.07, 'elective-admission': 0.07 },
    rate: (a, s) => (s === 'male' || a < 13 ? 0 : a < 65 ? 1 : 0.5),
  },
  {
    code: '101',
    share: { 'gp-referral': 0.05, 'first-outpatient': 0.05, 'elective-admission': 0.07 },
    rate: (a, s) => rising(0.04, 60)(a) * adultsOnly(a) * (s === 'male' ? 2 : 0.7),
  },
  {
    code: '320',
    share: { 'gp-referral': 0.06, 'first-outpatient': 0.06, 'elective-admission': 0.05 },
    rate: (a) => adultsOnly(a) * rising(0.045, 60)(a),
  },
  {
    code: '301',
    share: { 'gp-referral': 0.06, 'first-outpatient': 0.06, 'elective-admission': 0.14 },
    rate: (a) => adultsOnly(a) * rising(0.025, 50)(a),
  },
  {
    code: '300',
    share: { 'gp-referral': 0.04, 'first-outpatient': 0.04, 'elective-admission': 0.04 },
    rate: (a) => adultsOnly(a) * rising(0.035, 60)(a),
  },
  {
    code: '340',
    share: { 'gp-referral': 0.03, 'first-outpatient': 0.03, 'elective-admission': 0.01 },
    rate: (a) => (a < 10 ? 0.6 : rising(0.03, 60)(a)),
  },
  {
    code: '400',
    share: { 'gp-referral': 0.03, 'first-outpatient': 0.03, 'elective-admission': 0.01 },
    rate: (a) => adultsOnly(a),
  },
  {
    code: '410',
    share: { 'gp-referral': 0.03, 'first-outpatient': 0.03, 'elective-admission': 0.02 },
    rate: (a, s) => adultsOnly(a) * (0.5 + a / 80) * (s === 'female' ? 1.6 : 1),
  },
  {
    code: '420',
    share: { 'gp-referral': 0.05, 'first-outpatient': 0.05, 'elective-admission': 0.03 },
    rate: (a) => (a < 16 ? 1 : 0),
  },
  {
    code: '430',
    share: { 'gp-referral': 0.02, 'first-outpatient': 0.02, 'elective-admission': 0.01 },
    rate: (a) => (a < 70 ? 0 : rising(0.08, 80)(a)),
  },
  {
    code: '103',
    share: { 'gp-referral': 0.05, 'first-outpatient': 0.05, 'elective-admission': 0.03 },
    rate: (a, s) => (s === 'male' || a < 25 ? 0.01 : a < 75 ? 1 : 0.6),
  },
  {
    code: '104',
    share: { 'gp-referral': 0.04, 'first-outpatient': 0.04, 'elective-admission': 0.04 },
    rate: (a) => adultsOnly(a) * rising(0.035, 60)(a),
  },
  {
    code: '140',
    share: { 'gp-referral': 0.03, 'first-outpatient': 0.03, 'elective-admission': 0.06 },
    rate: (a) => (a < 12 ? 0.5 : a < 40 ? 1.3 : 0.8),
  },
];

/** Points of delivery recorded by specialty; emergency admissions are recorded as one total. */
export const bySpecialty: readonly PointOfDelivery[] = [
  'gp-referral',
  'first-outpatient',
  'elective-admission',
];

/** Bands are few and asked for millions of times in national runs. */
const midpoints = new Map<string, number>();

/** The midpoint age of a registered-patient band ("0-4" → 2.5, "95+" → 97). */
export function bandMidpoint(band: string): number {
  let midpoint = midpoints.get(band);
  if (midpoint === undefined) {
    const [low, high] = band.split('-').map(Number);
    midpoint = band.endsWith('+')
      ? Number(band.slice(0, -1)) + 2
      : ((low ?? 0) + (high ?? 0) + 1) / 2;
    midpoints.set(band, midpoint);
  }
  return midpoint;
}

/** Emergency admissions rise with age in every specialty together. */
export const emergencyRate = (age: number) => 0.4 + Math.exp(0.045 * (age - 60));

export function rateFor(
  pointOfDelivery: PointOfDelivery,
  specialty: string,
  age: number,
  sex: Sex,
): number {
  if (pointOfDelivery === 'emergency-admission' || specialty === '') return emergencyRate(age);
  const profile = specialtyProfiles.find((p) => p.code === specialty);
  return profile ? profile.rate(age, sex) : 1;
}
