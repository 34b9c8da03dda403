// Loads the shared reference vectors (inputs and expected outputs from the anchor packages' own tests).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../app/config.js';

export interface ReferenceCase {
  id: string;
  method: string;
  inputs: Record<string, unknown>;
  expected: Record<string, unknown>;
  tolerance: { kind: 'relative' | 'absolute' | 'exact'; value: number };
}

export const referenceVectorsPath = path.join(
  projectRoot,
  '../shared/reference/stats-vectors.json',
);

export function referenceCases(method: string): ReferenceCase[] {
  const file = JSON.parse(readFileSync(referenceVectorsPath, 'utf8')) as { cases: ReferenceCase[] };
  return file.cases.filter((c) => c.method === method);
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
