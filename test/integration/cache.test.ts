// Cached pages follow the data: a new import shows once the version check comes round; sessions end on sign-out.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import { importers } from '../../src/app/importers.js';
import { createDataCache, ignoringImports } from '../../src/platform/db/data-cache.js';
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

  it('keeps results that never read a kind of import when only that kind is imported', async () => {
    let now = Date.parse('2026-11-22T09:00:00Z');
    const cache = createDataCache(seeded.store.db, { clock: () => new Date(now) });
    const noPrescribing = ignoringImports(cache, ['prescribing']);
    let computed = 0;
    const compute = () => Promise.resolve(++computed);
    expect(await noPrescribing.memo('practices', compute)).toBe(1);
    expect(await cache.memo('dashboard', compute)).toBe(2);
    const imported = async (kind: string) => {
      await seeded.store.db
        .insertInto('import_log')
        .values({
          kind,
          file_name: `${kind}-cache-test.csv`,
          file_sha256: `${kind}-cache-test`,
          period: null,
          imported_by: 'test',
          started_at: new Date(now),
          finished_at: new Date(now),
        })
        .execute();
      now += 1500; // past the version check
    };
    try {
      await imported('prescribing');
      expect(await noPrescribing.memo('practices', compute)).toBe(1); // kept
      expect(await cache.memo('dashboard', compute)).toBe(3); // computed again
      await imported('gp-payments');
      expect(await noPrescribing.memo('practices', compute)).toBe(4);
      expect(await cache.memo('dashboard', compute)).toBe(5);
    } finally {
      await seeded.store.db
        .deleteFrom('import_log')
        .where('file_name', 'like', '%-cache-test.csv')
        .execute();
    }
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
  it('keeps governance pages per user, each browser with its own form token, until the records change', async () => {
    const app = createApp({
      db: seeded.store.db,
      facts: seeded.facts,
      config: { demo: false, secureCookies: false },
    });
    const page = '/groups/09G/governance/people';
    const [first, second, gp] = [new AppClient(app), new AppClient(app), new AppClient(app)];
    await first.signIn('admin.coastal@example.nhs.uk', PASSWORD);
    await second.signIn('admin.coastal@example.nhs.uk', PASSWORD);
    await gp.signIn('gp.coastal@example.nhs.uk', PASSWORD);
    const tokenIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    const a = await (await first.get(page)).text();
    const b = await (await second.get(page)).text();
    const again = await (await first.get(page)).text();
    expect(again).toBe(a);
    // One kept page, each browser's own token in its forms.
    expect(tokenIn(a)).toBe(await first.csrfToken());
    expect(tokenIn(b)).toBe(await second.csrfToken());
    expect(tokenIn(a)).not.toBe(tokenIn(b));
    expect(b.replaceAll(tokenIn(b)!, 'token')).toBe(a.replaceAll(tokenIn(a)!, 'token'));
    // Nobody else is served the kept page.
    expect((await gp.get(page)).status).toBe(403);

    // A change made in one browser shows in the other at once, from that browser's own form.
    const added = await second.submit(page, `${page}/add`, {
      name: 'Dr Cache Example',
      contactEmail: 'cache@example.net',
      contactPhone: '',
      userEmail: '',
    });
    expect(added.status).toBe(303);
    expect(await (await first.get(page)).text()).toContain('Dr Cache Example');
  });

  it('sends cached pages and JSON compressed when asked, the same content either way', async () => {
    const app = createApp({
      db: seeded.store.db,
      facts: seeded.facts,
      config: { demo: false, secureCookies: false },
    });
    const client = new AppClient(app);
    await client.signIn('gp.coastal@example.nhs.uk', PASSWORD);
    for (const url of [
      '/groups/09G/variation/practices',
      '/api/v1/groups/09G/variation/practices',
    ]) {
      const plain = await client.get(url);
      expect(plain.headers.get('content-encoding'), url).toBeNull();
      const text = await plain.text();
      for (let i = 0; i < 2; i++) {
        const packed = await client.request(url, { headers: { 'accept-encoding': 'gzip, br' } });
        expect(packed.headers.get('content-encoding'), url).toBe('gzip');
        expect(packed.headers.get('vary'), url).toContain('Accept-Encoding');
        expect(gunzipSync(Buffer.from(await packed.arrayBuffer())).toString('utf8'), url).toBe(
          text,
        );
      }
      const refused = await client.request(url, { headers: { 'accept-encoding': 'gzip;q=0' } });
      expect(refused.headers.get('content-encoding'), url).toBeNull();
    }
  });
});
