import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { genericCode, swapSets } from './compute.service.js';
import { loadMeasures, measures } from './measures.js';
import { starPu, starPuBand, starPuWeights } from './star-pu.js';

describe('measures as data', () => {
  it('ships at least 15 valid measures, each with why it matters, an author and a review date', () => {
    const shipped = measures();
    expect(shipped.length).toBeGreaterThanOrEqual(15);
    for (const m of shipped) {
      expect(m.whyItMatters.length).toBeGreaterThan(40);
      expect(m.nextReview > m.reviewed).toBe(true);
    }
  });

  it('refuses a measure file with the file name and the problem', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flock-measures-'));
    const good = measures()[0]!;
    writeFileSync(
      path.join(dir, `${good.id}.json`),
      JSON.stringify({ ...good, numerator: { ...good.numerator, bnf: ['05 01%'] } }),
    );
    expect(() => loadMeasures(dir)).toThrow(`measures/${good.id}.json: numerator.bnf.0`);
    writeFileSync(path.join(dir, `${good.id}.json`), JSON.stringify({ ...good, extra: 1 }));
    expect(() => loadMeasures(dir)).toThrow(/Unrecognized key/);
  });
});

describe('STAR-PU', () => {
  it('maps registered 5-year bands to the published bands', () => {
    expect(
      ['0-4', '5-9', '10-14', '15-19', '20-24', '70-74', '75-79', '90+', '95+'].map(starPuBand),
    ).toEqual(['0-4', '5-14', '5-14', '15-24', '15-24', '65-74', '75+', '75+', '75+']);
  });

  it('holds the 2013 ASTRO-PU weights beside the STAR-PU ones', () => {
    expect(starPuWeights().astro_pu_items!['75+']).toEqual([
      44.946292398939512, 48.484667998770362,
    ]);
    expect(starPuWeights().astro_pu_cost!['0-4']).toEqual([1, 0.87476460222509533]);
  });

  it('sums patients × weight over sex and band', () => {
    const w = starPuWeights().oral_antibacterials_item!;
    const units = starPu(w, [
      { sex: 'male', band: '5-9', patients: 100 },
      { sex: 'male', band: '10-14', patients: 50 },
      { sex: 'female', band: '80-84', patients: 10 },
    ]);
    expect(units).toBeCloseTo(150 * w['5-14'][0] + 10 * w['75+'][1], 12);
  });
});

describe('substitution sets', () => {
  it('maps a brand to its generic equivalent and joins equivalent formulations', () => {
    expect(genericCode('0212000B0BBAAAB')).toBe('0212000B0AAABAB');
    expect(genericCode('0212000B0AAABAB')).toBe('0212000B0AAABAB');
    const sets = new Map(
      swapSets([
        { code: '0101010I0AAABAB', alternative_code: '0101010I0AAAEAE' },
        { code: '0101010I0AAAEAE', alternative_code: '0101010I0AAAHAH' },
      ]).map((s) => [s.code, s.set]),
    );
    expect(new Set(sets.values())).toEqual(new Set(['0101010I0AAABAB']));
    expect(sets.size).toBe(3);
  });
});
