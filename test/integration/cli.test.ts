// The flock command as an operator uses it: import with clear errors and exit codes, and user administration.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/app/config.js';
import { subsetData } from '../support/seeded.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'flock-cli-'));
const env = { ...process.env, FLOCK_DATA_DIR: dataDir, DATABASE_URL: '', FLOCK_DEMO: 'false' };

async function flock(
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = run(process.execPath, [path.join(projectRoot, 'bin/flock.js'), ...args], {
    env,
    cwd: projectRoot,
  });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('flock CLI (embedded database)', () => {
  it('imports a file, then reports the same file as unchanged', async () => {
    const file = path.join(subsetData(), 'practice-org-mapping/epraccur.csv');
    const first = await flock(['import', 'ods-practices', file]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /epraccur\.csv: imported as ods-practices: \d+ rows read, \d+ loaded/,
    );
    const second = await flock(['import', 'ods-practices', file]);
    expect(second.stdout).toMatch(/already imported .* nothing changed/);
  });

  it('stops on a bad file with exit code 3 and names the file, row and column', async () => {
    const bad = path.join(dataDir, 'PREVALENCE_2021_bad.csv');
    writeFileSync(
      bad,
      'PRACTICE_CODE,GROUP_CODE,REGISTER,PATIENT_LIST_TYPE,PRACTICE_LIST_SIZE\nH82006,HYP,many,TOTAL,6000\n',
    );
    const result = await flock(['import', 'qof-prevalence', bad]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('nothing was changed');
    expect(result.stderr).toContain(
      'PREVALENCE_2021_bad.csv, row 2, column "REGISTER": expected a whole number',
    );
  });

  it('imports ledger actuals only for a group with a plan, and reverses only ledger imports', async () => {
    const file = path.join(dataDir, 'ledger-ZZZ-2022-04.csv');
    writeFileSync(
      file,
      'Entity,Period,Cost Centre,Subjective,Amount\nZZZ,2022-04,ACU01,51210,100.00\n',
    );
    const imported = await flock(['import', 'ledger', file]);
    expect(imported.code).toBe(3);
    expect(imported.stderr).toContain(
      'ledger-ZZZ-2022-04.csv, row 2, column "Entity": there is no commissioning group with code ZZZ',
    );
    const reversed = await flock(['ledger', 'reverse', '1', '--reason', 'Exported twice']);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toContain('Import 1 is not a ledger import');
  });

  it('rejects an unknown import kind with exit code 2', async () => {
    const result = await flock(['import', 'nonsense', 'x.csv']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown import kind "nonsense"');
  });

  it('adds a user, grants and revokes a role, and disables the user', async () => {
    const added = await flock(
      ['user', 'add', 'lead@example.nhs.uk', '--name', 'Clinical Lead', '--password-stdin'],
      'a long enough password',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('Added user lead@example.nhs.uk');
    const granted = await flock(['user', 'role', 'lead@example.nhs.uk', 'clinical_lead', 'ENG']);
    expect(granted.stdout).toContain('Granted clinical_lead in England (ENG)');
    const badRole = await flock(['user', 'role', 'lead@example.nhs.uk', 'emperor', 'ENG']);
    expect(badRole.code).toBe(2);
    const revoked = await flock([
      'user',
      'role',
      'lead@example.nhs.uk',
      'clinical_lead',
      'ENG',
      '--revoke',
    ]);
    expect(revoked.stdout).toContain('Removed clinical_lead');
    const disabled = await flock(['user', 'disable', 'lead@example.nhs.uk']);
    expect(disabled.stdout).toContain('Disabled lead@example.nhs.uk');
    const short = await flock(
      ['user', 'add', 'x@example.nhs.uk', '--name', 'X', '--password-stdin'],
      'short',
    );
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('12 characters or more');
  });

  it('generates synthetic activity for a group, reproducibly, ready to import', async () => {
    expect((await flock(['activity', 'generate', '09G', '--seed', 'many'])).code).toBe(2);
    const mapping = await flock([
      'import',
      'practice-mapping',
      path.join(subsetData(), 'practice-org-mapping/gp-reg-pat-prac-map_201912.csv'),
    ]);
    expect(mapping.code, mapping.stderr).toBe(0);
    const empty = await flock(['activity', 'generate', '09G']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('Nothing to generate for NHS Coastal West Sussex CCG');
    for (const [kind, file] of [
      ['registered-patients', 'gp-registered-patients-age-sex/jul_22_five_year_age_sussex.csv'],
      [
        'mar-commissioner',
        'mar-monthly-activity-by-commissioner/mar_commissioner_2012-04_to_2019-12.csv',
      ],
    ]) {
      const imported = await flock(['import', kind!, path.join(subsetData(), file!)]);
      expect(imported.code, imported.stderr).toBe(0);
    }
    const out = path.join(dataDir, 'generated-test');
    const generated = await flock(['activity', 'generate', '09g', '--seed', '7', '--out', out]);
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout).toMatch(
      /practice-activity-09G-synthetic\.csv: \d+ rows of synthetic activity/,
    );
    expect(generated.stdout.match(/planted: /g)).toHaveLength(4);
    const again = await flock(['activity', 'generate', '09G', '--seed', '7', '--out', out]);
    expect(again.stdout).toBe(generated.stdout);
    const imported = await flock([
      'import',
      'practice-activity',
      path.join(out, 'practice-activity-09G-synthetic.csv'),
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('synthetic');
  });
  it('backs up both stores and restores them into a new data folder, refusing a used one', async () => {
    const backup = path.join(dataDir, 'backup-test');
    const made = await flock(['backup', backup]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(
      /backup-test: [\d,]+ rows in \d+ tables of the system of record, [\d,]+ rows in \d+ tables of the fact store\./,
    );
    const again = await flock(['backup', backup]);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('is not empty; back up into a new or empty folder.');

    const target = mkdtempSync(path.join(os.tmpdir(), 'flock-cli-restore-'));
    try {
      const restore = (args: string[]) =>
        run(process.execPath, [path.join(projectRoot, 'bin/flock.js'), ...args], {
          env: { ...env, FLOCK_DATA_DIR: target },
          cwd: projectRoot,
        });
      const restored = await restore(['restore', backup]);
      expect(restored.stdout).toContain(made.stdout.slice(made.stdout.indexOf(': ') + 2).trim());
      const check = await restore(['check']);
      expect(check.stdout).toMatch(/The system of record and the fact store agree/);
      const refused = await flock(['restore', backup]);
      expect(refused.code).toBe(5);
      expect(refused.stderr).toMatch(/already exists; restore into a new data folder/);
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  });
});
