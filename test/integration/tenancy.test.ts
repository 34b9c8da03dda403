// Authorisation: every private page, API and CSV is scoped to the user's group; signed-out visitors see only public pages.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/platform/audit/audit.service.js';
import { createUser, grantRole } from '../../src/platform/auth/user.service.js';
import { AppClient } from '../support/app-client.js';
import { PASSWORD, seededApp, type Seeded } from '../support/seeded.js';
import { engines } from '../support/stores.js';

const privatePaths = (group: string, practice: string) => [
  `/groups/${group}/overview`,
  `/groups/${group}/overview.csv`,
  `/groups/${group}/practices`,
  `/groups/${group}/practices.csv`,
  `/groups/${group}/practices/${practice}`,
  `/groups/${group}/practices/${practice}/population.csv`,
  `/groups/${group}/practices/${practice}/prevalence.csv`,
  `/groups/${group}/practices/${practice}/payments.csv`,
  `/groups/${group}/practices/${practice}/memberships.csv`,
  `/api/v1/groups/${group}/overview`,
  `/api/v1/groups/${group}/practices`,
  `/api/v1/groups/${group}/practices/${practice}`,
];

describe.each(engines())('tenancy on %s', (engine) => {
  let seeded: Seeded;
  beforeAll(async () => {
    seeded = await seededApp(engine);
  });
  afterAll(() => seeded.close());

  it('lets a member of 09G read every private page, API and CSV of 09G', async () => {
    const client = new AppClient(seeded.app);
    await client.signIn('gp.coastal@example.nhs.uk', PASSWORD);
    for (const path of privatePaths('09G', 'H82006')) {
      const response = await client.get(path);
      expect(response.status, path).toBe(200);
    }
  });

  it('refuses a member of another group (09D) every private page, API and CSV of 09G', async () => {
    const client = new AppClient(seeded.app);
    await client.signIn('gp.brighton@example.nhs.uk', PASSWORD);
    for (const path of privatePaths('09G', 'H82006')) {
      const response = await client.get(path);
      expect(response.status, path).toBe(403);
      const body = await response.text();
      expect(body, path).not.toContain('Weighted population');
      expect(body, path).not.toContain('THE PETWORTH SURGERY');
    }
    // ...while their own group is open to them.
    expect((await client.get('/groups/09D/practices')).status).toBe(200);
  });

  it('lets national oversight read any group', async () => {
    const client = new AppClient(seeded.app);
    await client.signIn('oversight@example.nhs.uk', PASSWORD);
    expect((await client.get('/groups/09G/overview')).status).toBe(200);
    expect((await client.get('/api/v1/groups/09D/practices')).status).toBe(200);
  });

  it('lets ICB and region oversight read only the groups within them', async () => {
    const db = seeded.store.db;
    const actor = systemActor('test');
    await sql`INSERT INTO organisation (code, type, name, name_rank) VALUES ('QHM', 'icb', 'NHS North East and North Cumbria ICB', 1)
      ON CONFLICT DO NOTHING`.execute(db);
    const grants: [string, string, 'icb' | 'region'][] = [
      ['sussex.icb@example.nhs.uk', 'QNX', 'icb'],
      ['south.east@example.nhs.uk', 'Y59', 'region'],
      ['north.east@example.nhs.uk', 'QHM', 'icb'],
    ];
    for (const [email, code, type] of grants) {
      const user = await createUser(db, actor, { email, displayName: email, password: PASSWORD });
      await grantRole(db, actor, {
        userId: user.id,
        role: 'oversight',
        organisationCode: code,
        organisationType: type,
      });
    }
    for (const [email, expected] of [
      ['sussex.icb@example.nhs.uk', 200],
      ['south.east@example.nhs.uk', 200],
      ['north.east@example.nhs.uk', 403],
    ] as const) {
      const client = new AppClient(seeded.app);
      await client.signIn(email, PASSWORD);
      expect((await client.get('/groups/09G/overview')).status, email).toBe(expected);
      expect((await client.get('/api/v1/groups/09D/practices')).status, email).toBe(expected);
    }
  });

  it('sends signed-out visitors to sign in for pages and answers 401 on the API', async () => {
    const client = new AppClient(seeded.app);
    for (const path of privatePaths('09G', 'H82006')) {
      const response = await client.get(path);
      if (path.startsWith('/api/')) {
        expect(response.status, path).toBe(401);
        expect(await response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
      } else {
        expect(response.status, path).toBe(303);
        expect(response.headers.get('location'), path).toMatch(/^\/sign-in\?next=/);
      }
    }
  });

  it('shows the public group page without private figures', async () => {
    const client = new AppClient(seeded.app);
    const response = await client.get('/groups/09G');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('NHS Coastal West Sussex CCG');
    expect(html).toContain('THE PETWORTH SURGERY');
    expect(html).not.toContain('Weighted population');
    expect(html).not.toContain('/groups/09G/practices/H82006');
    const api = (await (await client.get('/api/v1/groups/09G')).json()) as { practices: unknown[] };
    expect(api.practices.length).toBeGreaterThanOrEqual(46);
    expect(JSON.stringify(api)).not.toMatch(/weighted/i);
  });

  it('does not show a practice through a group it never belonged to', async () => {
    const client = new AppClient(seeded.app);
    await client.signIn('gp.brighton@example.nhs.uk', PASSWORD);
    const response = await client.get('/groups/09D/practices/H82006');
    expect(response.status).toBe(404);
  });
});
