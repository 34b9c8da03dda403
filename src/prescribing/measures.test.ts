import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { swapSets } from './compute.service.js';
import { genericCode } from './substitution-sets.js';
import { filterSql, loadMeasures, measures, numeratorSets } from './measures.js';
import { genericEquivalent } from './substitution-sets.js';
import { starPu, starPuBand, starPuWeights } from './star-pu.js';

describe('measures as data', () => {
  it('ships valid measures, each with why it matters, an author, a review date and its relation to OpenPrescribing', () => {
    const shipped = measures();
    expect(shipped.length).toBeGreaterThanOrEqual(50);
    for (const m of shipped) {
      expect(m.whyItMatters.length).toBeGreaterThan(40);
      expect(m.nextReview > m.reviewed).toBe(true);
      // Either an adopted definition with its commit, or Flock's own, named so it cannot be mistaken.
      if (m.openPrescribing) expect(m.openPrescribing.commit).toMatch(/^[0-9a-f]{40}$/);
      else expect(m.title).toMatch(/\(Flock measure\)$/);
    }
    // The omnibus adds up the 24 measures of NHS England's list.
    const omnibus = shipped.find((m) => m.id === 'low_value_items_cost_per_1000')!;
    expect(numeratorSets(omnibus)).toHaveLength(24);
  });

  it('reads code filters as OpenPrescribing does: prefix, full code or % pattern', () => {
    expect(filterSql('0501')).toBe("bnf_code LIKE '0501%'");
    expect(filterSql('0501080W0AAAEAE')).toBe("bnf_code = '0501080W0AAAEAE'");
    expect(filterSql('0407020Q0%AI')).toBe("bnf_code LIKE '0407020Q0%AI'");
    // Appliances (chapters 20 to 23) have 11-character codes.
    expect(filterSql('21010900600')).toBe("bnf_code = '21010900600'");
    expect(filterSql('2020')).toBe("bnf_code LIKE '2020%'");
  });

  it('refuses a measure file with the file name and the problem', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flock-measures-'));
    const good = measures()[0]!;
    writeFileSync(
      path.join(dir, `${good.id}.json`),
      JSON.stringify({ ...good, numerator: { measure: 'items', codes: ['05 01%'] } }),
    );
    expect(() => loadMeasures(dir)).toThrow(`measures/${good.id}.json: numerator.codes.0`);
    writeFileSync(
      path.join(dir, `${good.id}.json`),
      JSON.stringify({ ...good, openPrescribing: undefined }),
    );
    expect(() => loadMeasures(dir)).toThrow(/differsFromOpenPrescribing/);
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
  it('gives no set to devices, to codes without a generic (A0) and to the exclusions, but pools testing strips', () => {
    expect(genericEquivalent('0206020A0BCAAAA')).toBe('0206020A0AAAAAA');
    expect(genericEquivalent('21010900600')).toBeUndefined();
    expect(genericEquivalent('0106040M0BBAAA0')).toBeUndefined();
    expect(genericEquivalent('0601060D0BJAAA0')).toBe('0601060D0AAA0A0');
    expect(genericEquivalent('1502010J0AABYBY')).toBeUndefined();
  });

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
