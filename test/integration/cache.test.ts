// Cached pages follow the data: a new import shows once the version check comes round; sessions end on sign-out.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import { importers } from '../../src/app/importers.js';
import { systemActor } from '../../src/platform/audit/audit.service.js';
import { runImport } from '../../src/platform/imports/import-runner.js';
import { AppClient } from '../support/app-client.js';
import { PASSWORD, seededApp, type Seeded } from '../support/seeded.js';
import { engines } from '../support/stores.js';

describe.each(engines())('caching on %s', (engine) => {
  let seeded: Seeded;
  beforeAll(async () => {
    seeded = await seededApp(engine);
  });
  afterAll(() => seeded.close());

  it('serves cached pages until an import changes the data, then the new figures', async () => {
    let now = Date.parse('2026-11-22T09:00:00Z');
    const app = createApp({
      db: seeded.store.db,
      facts: seeded.facts,
      config: { demo: false, secureCookies: false },
      clock: () => new Date(now),
    });
    const client = new AppClient(app);
    await client.signIn('gp.coastal@example.nhs.uk', PASSWORD);
    const before = await (await client.get('/groups/09G/practices/H82006')).text();
    expect(before).not.toContain('2023-24');

    const file = path.join(os.tmpdir(), `payments_2023-24-${process.pid}.csv`);
    writeFileSync(
      file,
      'Practice Code,Practice Name,Practice Postcode,Contract Type,Dispensing Practice,Number of Registered Patients (Last Known Figure),Number of Weighted Patients (Last Known Figure),Total NHS Payments to General Practice,Total NHS Payments to General Practice Minus Deductions\n' +
        'H82006,THE PETWORTH SURGERY,GU28 0LP,GMS,Yes,6100.50,6900.25,1800000.00,1600000.00\n',
    );
    await runImport(seeded.store.db, importers['gp-payments']!(), file, {
      actor: systemActor('test'),
    });

    const soon = await (await client.get('/groups/09G/practices/H82006')).text();
    expect(soon).toBe(before); // within the one-second version check
    now += 1500;
    const after = await (await client.get('/groups/09G/practices/H82006')).text();
    expect(after).toContain('2023-24');
    expect(after).toContain('£1,800,000');
  });

  it('ends a session at once on sign-out even though sessions are remembered briefly', async () => {
    const app = createApp({
      db: seeded.store.db,
      facts: seeded.facts,
      config: { demo: false, secureCookies: false },
    });
    const client = new AppClient(app);
    await client.signIn('oversight@example.nhs.uk', PASSWORD);
    const token = client.cookie('flock_session')!;
    expect((await client.get('/api/v1/me')).status).toBe(200);
    await client.submit('/sign-out', '/sign-out', {});
    const replay = await app.request('/api/v1/me', {
      headers: { cookie: `flock_session=${token}` },
    });
    expect(replay.status).toBe(401);
  });
});
