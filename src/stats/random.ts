// Seeded random numbers for simulations and synthetic data: the same seed always gives the same stream.

/** A seeded generator of uniform numbers in [0, 1) (sfc32, seeded through splitmix32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  const split = () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
export function normal(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A binomial draw: by inversion for small means, a rounded normal approximation for large. */
export function binomial(random: () => number, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const mean = n * p;
  if (mean < 30 || n * (1 - p) < 30) {
    // Inversion: walk the probabilities until the uniform draw is used up.
    const q = 1 - p;
    let probability = q ** n;
    if (probability > 0) {
      let u = random();
      let k = 0;
      while (u > probability && k < n) {
        u -= probability;
        probability *= ((n - k) / (k + 1)) * (p / q);
        k += 1;
      }
      return k;
    }
  }
  const draw = Math.round(mean + Math.sqrt(mean * (1 - p)) * normal(random));
  return Math.min(n, Math.max(0, draw));
}

/** Splits a total among categories in proportion to weights, at random: the parts add up exactly. */
export function multinomial(
  random: () => number,
  total: number,
  weights: readonly number[],
): number[] {
  let remainingWeight = weights.reduce((sum, w) => sum + w, 0);
  let remaining = total;
  return weights.map((weight, i) => {
    if (i === weights.length - 1) return remaining;
    const share = remainingWeight > 0 ? weight / remainingWeight : 0;
    const draw = binomial(random, remaining, share);
    remaining -= draw;
    remainingWeight -= weight;
    return draw;
  });
}
