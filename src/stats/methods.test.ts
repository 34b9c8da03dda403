import { describe, expect, it } from 'vitest';
import { methodNames, runCase } from './methods.js';
import { allReferenceCases, differences } from './reference-vectors.js';

const cases = allReferenceCases();

describe('every reference vector through the method registry (as `flock stats run` runs them)', () => {
  it('covers every method named in the reference file', () => {
    const named = new Set(cases.map((c) => c.method));
    expect([...named].filter((name) => !methodNames.includes(name))).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(57);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const outcome = runCase({ id: c.id, method: c.method, inputs: c.inputs });
    expect(outcome).not.toHaveProperty('error');
    const result = 'result' in outcome ? outcome.result : undefined;
    // Cases with several input rows expect the same output for each row.
    const found = Array.isArray(result)
      ? result.flatMap((row, i) => differences(row, c.expected, c.tolerance, `result[${i}]`))
      : differences(result, c.expected, c.tolerance);
    expect(found).toEqual([]);
  });
});

describe('bad cases give an error object, not a crash', () => {
  it('names an unknown method', () => {
    expect(runCase({ id: 'a', method: 'median', inputs: {} })).toMatchObject({
      id: 'a',
      method: 'median',
      error: expect.stringMatching(/unknown method "median"/),
    });
  });

  it('names the bad input field', () => {
    expect(
      runCase({ id: 'b', method: 'wilson_score_ci', inputs: { x: 'many', n: 10 } }),
    ).toMatchObject({
      error: expect.stringMatching(/inputs\.x/),
    });
  });

  it('explains impossible values in the words of the method', () => {
    expect(runCase({ id: 'c', method: 'wilson_score_ci', inputs: { x: 11, n: 10 } })).toEqual({
      id: 'c',
      method: 'wilson_score_ci',
      error: 'numerator must not exceed denominator',
    });
    expect(
      runCase({ id: 'd', method: 'crude_rate_poisson', inputs: { x: 5, n: 10, confidence: 0.5 } }),
    ).toMatchObject({ error: expect.stringMatching(/between 90 and 100/) });
    expect(runCase({ id: 'e', method: 'spc_xmr', inputs: { values: [1] } })).toMatchObject({
      error: 'process limits need at least two points',
    });
  });

  it('refuses a case with no method', () => {
    expect(runCase({ id: 'f' })).toMatchObject({ id: 'f', error: expect.any(String) });
    expect(runCase(42)).toMatchObject({ id: '', error: expect.any(String) });
  });
});
