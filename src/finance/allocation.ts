// Allocation against target ("fair shares"): exact money arithmetic, no I/O. Method: docs/methods.md, "Allocation".

/** A non-negative decimal as an integer count of millionths: "208986.4" → 208986400000n. */
export function millionths(value: number | string): bigint {
  const text = typeof value === 'number' ? value.toFixed(6) : value.trim();
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === ''))
    throw new Error(`not a number of 0 or more: "${value}"`);
  const fraction = (m[2] ?? '').padEnd(7, '0');
  let result = BigInt(m[1] || '0') * 1_000_000n + BigInt(fraction.slice(0, 6));
  if (Number(fraction[6]) >= 5) result += 1n;
  return result;
}

/** a ÷ b rounded half away from zero (b > 0). */
export function divideRounded(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new Error('divisor must be positive');
  const sign = a < 0n ? -1n : 1n;
  const abs = a < 0n ? -a : a;
  return sign * ((abs * 2n + b) / (2n * b));
}

export interface AllocationInput {
  /** Registered (raw) population. */
  rawPopulation: number;
  /** Weighted population for the formula being applied. */
  weightedPopulation: number | string;
  /** The actual allocation, in pence. */
  allocationPence: bigint;
  /** Either the target itself, in pence … */
  targetPence?: bigint;
  /** … or the national amount per weighted head, in pence (target = weighted × this, to the penny). */
  perWeightedHeadPence?: bigint;
}

export interface AllocationResult {
  targetPence: bigint;
  allocationPence: bigint;
  /** Allocation − target. */
  distancePence: bigint;
  /** (Allocation − target) ÷ target × 100, as a number for display (a ratio, not money). */
  distancePercent: number;
  allocationPerHeadPence: bigint;
  targetPerHeadPence: bigint;
}

/**
 * Distance from target: DfT £ = allocation − target; DfT % = DfT ÷ target; per-head figures divide
 * by the raw population (NHS England, 2013/14 allocation working paper). Money stays in pence.
 */
export function distanceFromTarget(input: AllocationInput): AllocationResult {
  if (input.allocationPence < 0n) throw new RangeError('the allocation must not be negative');
  if (!(input.rawPopulation > 0)) throw new RangeError('the raw population must be more than 0');
  let target = input.targetPence;
  if (target === undefined) {
    if (input.perWeightedHeadPence === undefined)
      throw new RangeError('give the target or the amount per weighted head');
    if (input.perWeightedHeadPence < 0n)
      throw new RangeError('the amount per weighted head must not be negative');
    target = divideRounded(
      millionths(input.weightedPopulation) * input.perWeightedHeadPence,
      1_000_000n,
    );
  }
  if (target <= 0n) throw new RangeError('the target must be more than 0');
  const raw = BigInt(Math.round(input.rawPopulation));
  const distance = input.allocationPence - target;
  return {
    targetPence: target,
    allocationPence: input.allocationPence,
    distancePence: distance,
    distancePercent: Number((distance * 1_000_000n) / target) / 10_000,
    allocationPerHeadPence: divideRounded(input.allocationPence, raw),
    targetPerHeadPence: divideRounded(target, raw),
  };
}

/** Pence rounded to whole thousands of pounds, as the allocation tables print them (£000). */
export const thousandsOfPounds = (pence: bigint) => Number(divideRounded(pence, 100_000n));

/**
 * Shares of an amount in proportion to weights, in whole pence that add up exactly to the amount
 * (largest remainder: the pennies left after rounding down go to the largest fractions).
 */
export function fairShares(amountPence: bigint, weights: readonly (number | string)[]): bigint[] {
  const w = weights.map(millionths);
  const total = w.reduce((s, x) => s + x, 0n);
  if (total === 0n) return w.map(() => 0n);
  const floors = w.map((x) => (amountPence * x) / total);
  const remainders = w.map((x, i) => ({ i, r: amountPence * x - floors[i]! * total }));
  let left = amountPence - floors.reduce((s, x) => s + x, 0n);
  remainders.sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : a.i - b.i));
  for (const { i } of remainders) {
    if (left <= 0n) break;
    floors[i]! += 1n;
    left -= 1n;
  }
  return floors;
}
