// The JSON API and CSV downloads: documented, precise 4xx answers, and figures that match the published files.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import { AppClient } from '../support/app-client.js';
import { PASSWORD, seededApp, type Seeded } from '../support/seeded.js';
import { seedFiles } from '../../src/app/seed.js';
import { engines } from '../support/stores.js';
import { sharedDataDir } from '../support/subset-data.js';

const readCsv = (file: string) =>
  parse(readFileSync(path.join(sharedDataDir, file)), { columns: true, bom: true }) as Record<
    string,
    string
  >[];

interface Profile {
  prevalence: {
    year: string;
    rows: {
      code: string;
      register: number;
      listSize: number;
      practice: { value: number; lower: number; upper: number };
    }[];
  };
  payments: {
    year: string;
    totalPence: number;
    registeredPatients: string;
    perRegisteredPence: number;
  }[];
  pyramid: { extractDate: string; practiceTotal: number };
  memberships: { kind: string; code: string; from: string; to: string | null }[];
}

describe.each(engines())('API and CSV on %s', (engine) => {
  let seeded: Seeded;
  let client: AppClient;
  beforeAll(async () => {
    seeded = await seededApp(engine);
    client = new AppClient(seeded.app);
    await client.signIn('gp.coastal@example.nhs.uk', PASSWORD);
  });
  afterAll(() => seeded.close());

  it('serves an OpenAPI document describing every API path', async () => {
    const response = await client.get('/api/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    // Every JSON route the app serves is described, and nothing described is missing from the app.
    const served = new Set(
      seeded.app.routes
        .filter((r) => r.path.startsWith('/api/v1/') && r.method !== 'ALL') // not middleware
        .map((r) => r.path.replace(/:(\w+)/g, '{$1}')),
    );
    expect(served.size).toBeGreaterThanOrEqual(16);
    expect(Object.keys(doc.paths).sort()).toEqual([...served].sort());
  });

  it('answers bad requests with a precise 4xx, never a 500', async () => {
    const cases: [string, number, string][] = [
      ['/api/v1/groups/ZZZ', 404, 'not_found'],
      ['/api/v1/groups/09G/practices?sort=bogus', 400, 'invalid_input'],
      ['/api/v1/groups/09G/overview?year=2022', 400, 'invalid_input'],
      ['/api/v1/groups/09G/overview?year=1999/00', 404, 'not_found'],
      ['/api/v1/groups/09G/practices/A81001', 404, 'not_found'],
      ['/api/v1/groups/%27%3B--/practices', 404, 'not_found'],
      ['/api/v1/nothing-here', 404, 'not_found'],
    ];
    for (const [url, status, code] of cases) {
      const response = await client.get(url);
      expect(response.status, url).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code, url).toBe(code);
    }
    const post = await client.request('/api/v1/groups', { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('answers malformed requests with 4xx, not 500', async () => {
    expect((await client.get('/assets/nhsuk/%ZZ.css')).status).toBe(404);
    const malformed = await client.request('/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: 'not multipart at all',
    });
    expect(malformed.status).toBe(400);
    const admin = new AppClient(seeded.app);
    await admin.signIn('admin.coastal@example.nhs.uk', PASSWORD);
    expect((await admin.get('/admin/audit?offset=99999999999999999999')).status).toBe(400);
    expect((await admin.get('/api/v1/audit?offset=-1')).status).toBe(400);
  });

  it('escapes names from imported files wherever pages show them', async () => {
    await sql`UPDATE organisation SET name = '<img src=x onerror=alert(1)> Coastal' WHERE type = 'group' AND code = '09G'`.execute(
      seeded.store.db,
    );
    try {
      const fresh = createApp({
        db: seeded.store.db,
        facts: seeded.facts,
        config: { demo: false, secureCookies: false },
      });
      const html = await (await fresh.request('/')).text();
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; Coastal');
    } finally {
      await sql`UPDATE organisation SET name = 'NHS Coastal West Sussex CCG' WHERE type = 'group' AND code = '09G'`.execute(
        seeded.store.db,
      );
    }
  });

  it('gives each practice’s QOF prevalence exactly as the published register ÷ list, with a Wilson interval', async () => {
    const profile = (await (
      await client.get('/api/v1/groups/09G/practices/H82006')
    ).json()) as Profile;
    const published = readCsv('qof-2020-21/PREVALENCE_2021_v2.csv').filter(
      (r) => r.PRACTICE_CODE === 'H82006',
    );
    expect(profile.prevalence.year).toBe('2020-21');
    expect(profile.prevalence.rows.length).toBe(published.length);
    for (const row of published) {
      const shown = profile.prevalence.rows.find((r) => r.code === row.GROUP_CODE)!;
      expect(shown.register).toBe(Number(row.REGISTER));
      expect(shown.listSize).toBe(Number(row.PRACTICE_LIST_SIZE));
      expect(shown.practice.value).toBeCloseTo(
        (Number(row.REGISTER) / Number(row.PRACTICE_LIST_SIZE)) * 100,
        10,
      );
      expect(shown.practice.lower).toBeLessThan(shown.practice.value);
      expect(shown.practice.upper).toBeGreaterThan(shown.practice.value);
    }
  });

  it('gives payments in exact pence and per-patient figures rounded to the penny', async () => {
    const profile = (await (
      await client.get('/api/v1/groups/09G/practices/H82006')
    ).json()) as Profile;
    const published = readCsv('nhs-payments-to-general-practice/payments_2022-23.csv').find(
      (r) => r['Practice Code'] === 'H82006',
    )!;
    const year = profile.payments.find((p) => p.year === '2022-23')!;
    const pence = Math.round(Number(published['Total NHS Payments to General Practice']) * 100);
    expect(year.totalPence).toBe(pence);
    expect(year.registeredPatients).toBe(
      Number(published['Number of Registered Patients (Last Known Figure)']).toFixed(2),
    );
    expect(year.perRegisteredPence).toBe(
      Math.round(pence / Number(published['Number of Registered Patients (Last Known Figure)'])),
    );
  });

  it('shows a merged group on its last day with all its practices, and no PCN a practice had left', async () => {
    const group = (await (await client.get('/api/v1/groups/09G')).json()) as {
      group: { membershipOn: string; stillExists: boolean };
      successor: { code: string; from_date: string };
      practices: { code: string; pcn: string | null }[];
    };
    expect(group.group).toMatchObject({ membershipOn: '2020-03-31', stillExists: false });
    expect(group.successor).toMatchObject({ code: '70F', from_date: '2020-04-01' });
    expect(group.practices).toHaveLength(47);
    const brighton = (await (await new AppClient(seeded.app).get('/api/v1/groups/09D')).json()) as {
      practices: { code: string; pcn: string | null }[];
    };
    // Albion Street Surgery left its PCNs in 2021: it is shown with none, not with an old one.
    expect(brighton.practices.find((p) => p.code === 'G81090')?.pcn ?? null).toBeNull();
  });

  it('sums the group’s weighted population from its member practices', async () => {
    const overview = (await (
      await client.get('/api/v1/groups/09G/overview?year=2022/23')
    ).json()) as {
      memberPractices: number;
      allocation: {
        components: { key: string; group: number; shareOfIcb: number }[];
        icb: { code: string };
      };
    };
    const members = (
      (await (await client.get('/api/v1/groups/09G')).json()) as { practices: { code: string }[] }
    ).practices.map((p) => p.code);
    const file = readCsv('allocations-practice-weighted-populations/2022_2023.csv').filter((r) =>
      members.includes(r.Practice_Code!),
    );
    const expected = file.reduce((sum, r) => sum + Number(r['G&A WP']), 0);
    const shown = overview.allocation.components.find((c) => c.key === 'general_and_acute')!;
    expect(shown.group).toBeCloseTo(expected, 6);
    expect(overview.allocation.icb.code).toBe('QNX');
    expect(shown.shareOfIcb).toBeGreaterThan(0);
    expect(shown.shareOfIcb).toBeLessThan(100);
  });

  it('serves the practices table as CSV with a header row and one line per practice', async () => {
    const response = await client.get(
      '/groups/09G/practices.csv?sort=registeredPatients&order=desc',
    );
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /attachment; filename="09G-practices-2020-03-31.csv"/,
    );
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    const api = (await (await client.get('/api/v1/groups/09G/practices')).json()) as {
      practices: unknown[];
    };
    expect(rows.length).toBe(api.practices.length);
    expect(Object.keys(rows[0]!)).toContain('prevalence_hyp_percent_2020-21');
    const sizes = rows.map((r) => Number(r.registered_patients || -1));
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
  });

  it('sorts the practices page by any column, missing values last', async () => {
    const html = await (await client.get('/groups/09G/practices?sort=imdDecile&order=asc')).text();
    expect(html).toContain('aria-sort="ascending"');
    const deciles = [
      ...html.matchAll(
        /<td class="nhsuk-table__cell app-numeric">(\d+|–)<\/td>\s*<td class="nhsuk-table__cell app-numeric">[\d.–%]+<\/td>/g,
      ),
    ];
    expect(deciles.length).toBeGreaterThan(0);
  });

  it('publishes the imports log with every file’s SHA-256', async () => {
    const body = (await (await new AppClient(seeded.app).get('/api/v1/imports')).json()) as {
      imports: { sha256: string }[];
    };
    // Every published seed file, plus the demo group's generated synthetic activity; the demo
    // group's ledger imports are private to it and not listed.
    expect(body.imports.length).toBe(seedFiles.length + 1);
    expect(body.imports.every((i) => /^[0-9a-f]{64}$/.test(i.sha256))).toBe(true);
  });
});
