// Loads the shared reference vectors (inputs and expected outputs from the anchor packages' own tests).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedDataPath } from '../app/config.js';

export interface ReferenceCase {
  id: string;
  method: string;
  inputs: Record<string, unknown>;
  expected: Record<string, unknown>;
  tolerance: { kind: 'relative' | 'absolute' | 'exact'; value: number };
}

/** Beside the shared data folder: ../reference. */
export const referenceVectorsPath = path.join(sharedDataPath(), '../reference/stats-vectors.json');

export function allReferenceCases(): ReferenceCase[] {
  return (JSON.parse(readFileSync(referenceVectorsPath, 'utf8')) as { cases: ReferenceCase[] })
    .cases;
}

export function referenceCases(method: string): ReferenceCase[] {
  return allReferenceCases().filter((c) => c.method === method);
}

/** True when `actual` matches `expected` within the case's tolerance. */
export function withinTolerance(
  actual: number | null,
  expected: number | null,
  tolerance: ReferenceCase['tolerance'],
) {
  if (expected === null || actual === null) return expected === actual;
  if (tolerance.kind === 'exact') return actual === expected;
  const difference = Math.abs(actual - expected);
  return tolerance.kind === 'absolute'
    ? difference <= tolerance.value
    : difference <= tolerance.value * Math.max(Math.abs(expected), Number.MIN_VALUE);
}

/**
 * Every difference between a result and a case's expected output, as "path: actual ≠ expected".
 * Numbers compare within the tolerance; fields the case does not expect are ignored.
 */
export function differences(
  actual: unknown,
  expected: unknown,
  tolerance: ReferenceCase['tolerance'],
  at = 'result',
): string[] {
  if (typeof expected === 'number' || expected === null) {
    const ok =
      (actual === null || typeof actual === 'number') &&
      withinTolerance(actual, expected, tolerance);
    return ok ? [] : [`${at}: ${String(actual)} ≠ ${String(expected)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [`${at}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`];
    }
    return expected.flatMap((item, i) => differences(actual[i], item, tolerance, `${at}[${i}]`));
  }
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || actual === null) return [`${at}: missing`];
    const expectedKeys = Object.keys(expected);
    const extra =
      // An expected map of flagged points must match exactly: an extra flag is a wrong answer.
      at.endsWith('points') || at.endsWith('non_common')
        ? Object.keys(actual).filter((key) => !expectedKeys.includes(key))
        : [];
    return [
      ...extra.map((key) => `${at}.${key}: unexpected`),
      ...expectedKeys.flatMap((key) =>
        differences(
          (actual as Record<string, unknown>)[key],
          (expected as Record<string, unknown>)[key],
          tolerance,
          `${at}.${key}`,
        ),
      ),
    ];
  }
  return actual === expected
    ? []
    : [`${at}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`];
}
