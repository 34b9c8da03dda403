// `flock stats run`: the reference vectors checked from outside, through the real command line.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/app/config.js';
import { allReferenceCases, differences } from '../../src/stats/reference-vectors.js';

const run = promisify(execFile);

async function statsRun(input: string) {
  const child = run(process.execPath, [path.join(projectRoot, 'bin/flock.js'), 'stats', 'run'], {
    cwd: projectRoot,
    env: { ...process.env, FLOCK_DEMO: 'false' },
  });
  child.child.stdin?.end(input);
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('flock stats run', () => {
  it('answers every reference case within its tolerance, and errors per case', async () => {
    const cases = allReferenceCases();
    const input = [
      ...cases.map(({ id, method, inputs }) => ({ id, method, inputs })),
      { id: 'unknown', method: 'geometric_mean', inputs: {} },
      { id: 'malformed', method: 'wilson_score_ci', inputs: { x: -1 } },
    ];
    const { code, stdout, stderr } = await statsRun(JSON.stringify(input));
    expect(code, stderr).toBe(0);
    const outcomes = JSON.parse(stdout) as {
      id: string;
      method: string;
      result?: unknown;
      error?: string;
    }[];
    expect(outcomes).toHaveLength(input.length);
    for (const [i, c] of cases.entries()) {
      const outcome = outcomes[i]!;
      expect(outcome.id).toBe(c.id);
      expect(outcome.method).toBe(c.method);
      const rows = Array.isArray(outcome.result) ? outcome.result : [outcome.result];
      expect(
        rows.flatMap((row) => differences(row, c.expected, c.tolerance)),
        c.id,
      ).toEqual([]);
    }
    expect(outcomes.at(-2)).toMatchObject({
      id: 'unknown',
      error: expect.stringMatching(/unknown method/),
    });
    expect(outcomes.at(-1)).toMatchObject({
      id: 'malformed',
      error: expect.stringMatching(/inputs\.n/),
    });
  });

  it('refuses input that is not a JSON array with exit code 2', async () => {
    const notJson = await statsRun('{"id": 1');
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/not JSON/);
    const notArray = await statsRun('{"id": 1}');
    expect(notArray.code).toBe(2);
    expect(notArray.stderr).toMatch(/JSON array/);
  });
});
