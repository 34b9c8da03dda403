// Financial risk of a budget by Monte Carlo: how often a population of a given size overspends by chance alone.
import { normal, seededRandom } from '../stats/random.js';

/**
 * What one year of a person's care costs, in two parts: most people (a spread-out cost) and a few
 * high-cost patients (lognormal). Defaults are Flock's illustrative assumptions, stated on the page;
 * replace them with local figures.
 */
export interface RiskAssumptions {
  /** Mean annual cost of an ordinary (not high-cost) patient, £. */
  ordinaryMean: number;
  /** Coefficient of variation (sd ÷ mean) of an ordinary patient's annual cost. */
  ordinaryCv: number;
  /** High-cost patients per 1,000 registered in a year. */
  highCostPer1000: number;
  /** Mean annual cost of a high-cost patient, £. */
  highCostMean: number;
  /** Coefficient of variation of a high-cost patient's cost (lognormal). */
  highCostCv: number;
  /** Stop-loss: the budget pays at most this per patient a year; the rest is covered (a premium in the budget). */
  stopLoss: number | null;
}

export const defaultAssumptions: RiskAssumptions = {
  ordinaryMean: 900,
  ordinaryCv: 2.5,
  highCostPer1000: 5,
  highCostMean: 40_000,
  highCostCv: 1,
  stopLoss: null,
};

interface Moments {
  mean: number;
  variance: number;
}

/** Lognormal parameters for a mean and coefficient of variation. */
function lognormal(mean: number, cv: number) {
  const sigma2 = Math.log(1 + cv * cv);
  return { mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}

/** Mean and variance of min(X, cap) for a lognormal X, by Simpson's rule over the normal scale. */
export function cappedLognormalMoments(mean: number, cv: number, cap: number | null): Moments {
  if (cap === null) return { mean, variance: (mean * cv) ** 2 };
  const { mu, sigma } = lognormal(mean, cv);
  const steps = 4000;
  const lo = -9;
  const h = 18 / steps;
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i <= steps; i++) {
    const z = lo + i * h;
    const w =
      (i === 0 || i === steps ? 1 : i % 2 ? 4 : 2) *
      (h / 3) *
      (Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI));
    const x = Math.min(Math.exp(mu + sigma * z), cap);
    m1 += w * x;
    m2 += w * x * x;
  }
  return { mean: m1, variance: Math.max(0, m2 - m1 * m1) };
}

/** A Poisson draw: by inversion for small means, a rounded normal for large. */
function poisson(random: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean < 40) {
    let k = 0;
    let p = Math.exp(-mean);
    let u = random();
    while (u > p) {
      u -= p;
      k += 1;
      p *= mean / k;
      if (p < 1e-300) break;
    }
    return k;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
}

/** One year's spend for a population: a sampler built once per set of assumptions. */
export function yearSampler(a: RiskAssumptions) {
  const ordinary = { mean: a.ordinaryMean, variance: (a.ordinaryMean * a.ordinaryCv) ** 2 };
  const high = cappedLognormalMoments(a.highCostMean, a.highCostCv, a.stopLoss);
  const { mu, sigma } = lognormal(a.highCostMean, a.highCostCv);
  const rate = a.highCostPer1000 / 1000;
  return {
    /** The budget: expected spend (any stop-loss premium is a fixed cost and left out of both). */
    expected: (people: number) => people * (1 - rate) * ordinary.mean + people * rate * high.mean,
    /** A year's spend: ordinary patients summed by the central limit theorem; high-cost ones drawn one by one when few. */
    draw(random: () => number, people: number): number {
      const highCount = poisson(random, people * rate);
      const ordinaryCount = Math.max(0, people - highCount);
      let spend =
        ordinaryCount * ordinary.mean +
        Math.sqrt(ordinaryCount * ordinary.variance) * normal(random);
      if (highCount <= 30) {
        for (let i = 0; i < highCount; i++) {
          const x = Math.exp(mu + sigma * normal(random));
          spend += a.stopLoss === null ? x : Math.min(x, a.stopLoss);
        }
      } else {
        spend += highCount * high.mean + Math.sqrt(highCount * high.variance) * normal(random);
      }
      return spend;
    },
  };
}

export interface RiskUnit {
  key: string;
  label: string;
  kind: 'practice' | 'pcn' | 'group' | 'size';
  people: number;
  /** For practices: the PCN whose pool they would share. */
  pool?: string;
}

export interface RiskSummary {
  key: string;
  label: string;
  kind: RiskUnit['kind'];
  people: number;
  /** Probability of overspending the expected cost by more than 1%, 5%, 10%. */
  over1: number;
  over5: number;
  over10: number;
  /** 5th, 50th and 95th percentiles of spend relative to budget, % (0 = on budget). */
  p5: number;
  p50: number;
  p95: number;
  /** For practices in a pool: the chance of a 5% overspend when overspends are shared across the pool. */
  pooledOver5?: number;
}

const percentile = (sorted: Float64Array, p: number) => {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return (
    sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? 0) - sorted[lo]!)
  );
};

function summarise(unit: RiskUnit, deviations: Float64Array): RiskSummary {
  let over1 = 0;
  let over5 = 0;
  let over10 = 0;
  for (const d of deviations) {
    if (d > 0.01) over1++;
    if (d > 0.05) over5++;
    if (d > 0.1) over10++;
  }
  const sorted = Float64Array.from(deviations).sort();
  const n = deviations.length;
  return {
    key: unit.key,
    label: unit.label,
    kind: unit.kind,
    people: unit.people,
    over1: over1 / n,
    over5: over5 / n,
    over10: over10 / n,
    p5: 100 * percentile(sorted, 0.05),
    p50: 100 * percentile(sorted, 0.5),
    p95: 100 * percentile(sorted, 0.95),
  };
}

/**
 * Simulates `years` years. Practices are drawn each year; a PCN's and the group's spend are the sums
 * of their practices' in the same year (so pooling is exact), and `sizes` are independent populations
 * for the spread-against-size chart. Deviation = spend ÷ expected − 1.
 */
export function simulateRisk(
  units: readonly RiskUnit[],
  assumptions: RiskAssumptions,
  years: number,
  seed: number,
): RiskSummary[] {
  const random = seededRandom(seed);
  const sampler = yearSampler(assumptions);
  const practices = units.filter((u) => u.kind === 'practice');
  const pcns = units.filter((u) => u.kind === 'pcn');
  const group = units.find((u) => u.kind === 'group');
  const sizes = units.filter((u) => u.kind === 'size');
  const expected = new Map(units.map((u) => [u.key, sampler.expected(u.people)]));
  const deviations = new Map(units.map((u) => [u.key, new Float64Array(years)]));
  const pcnIndex = new Map(pcns.map((p, i) => [p.key, i]));
  const pcnSpend = new Float64Array(pcns.length);
  for (let y = 0; y < years; y++) {
    pcnSpend.fill(0);
    let groupSpend = 0;
    for (const p of practices) {
      const spend = sampler.draw(random, p.people);
      deviations.get(p.key)![y] = spend / expected.get(p.key)! - 1;
      groupSpend += spend;
      const i = p.pool === undefined ? undefined : pcnIndex.get(p.pool);
      if (i !== undefined) pcnSpend[i]! += spend;
    }
    pcns.forEach((p, i) => (deviations.get(p.key)![y] = pcnSpend[i]! / expected.get(p.key)! - 1));
    if (group) deviations.get(group.key)![y] = groupSpend / expected.get(group.key)! - 1;
    for (const s of sizes)
      deviations.get(s.key)![y] = sampler.draw(random, s.people) / expected.get(s.key)! - 1;
  }
  return units.map((u) => {
    const summary = summarise(u, deviations.get(u.key)!);
    if (u.kind === 'practice' && u.pool !== undefined && deviations.has(u.pool)) {
      // Sharing the pool's overspend in proportion to budget: the practice's deviation is the pool's.
      const pooled = deviations.get(u.pool)!;
      let over5 = 0;
      for (const d of pooled) if (d > 0.05) over5++;
      summary.pooledOver5 = over5 / pooled.length;
    }
    return summary;
  });
}

/** Populations for the spread-against-size chart. */
export const comparisonSizes = [
  2_000, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000,
];
