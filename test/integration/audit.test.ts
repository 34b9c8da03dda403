// The audit log is append-only in the database itself, and only administrators can read it.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppClient } from '../support/app-client.js';
import { PASSWORD, seededApp, users, type Seeded } from '../support/seeded.js';
import { engines } from '../support/stores.js';

describe.each(engines())('audit log on %s', (engine) => {
  let seeded: Seeded;
  beforeAll(async () => {
    seeded = await seededApp(engine);
  });
  afterAll(() => seeded.close());

  it('records every import, user and role change', async () => {
    const actions = await seeded.store.db.selectFrom('audit_event').select('action').execute();
    const counts = new Map<string, number>();
    for (const a of actions) counts.set(a.action, (counts.get(a.action) ?? 0) + 1);
    expect(counts.get('import.completed')).toBeGreaterThanOrEqual(15);
    expect(counts.get('user.created')).toBe(users.length);
    expect(counts.get('role.granted')).toBe(users.length);
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    const db = seeded.store.db;
    await expect(sql`UPDATE audit_event SET actor = 'someone else'`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`DELETE FROM audit_event`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_event`.execute(db)).rejects.toThrow(/append-only/);
    const remaining = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_event`.execute(
      db,
    );
    expect(remaining.rows[0]!.n).toBeGreaterThan(0);
  });

  it('shows the log to an administrator of the group, with their users sign-ins', async () => {
    const client = new AppClient(seeded.app);
    await new AppClient(seeded.app).signIn('gp.coastal@example.nhs.uk', PASSWORD);
    await client.signIn('admin.coastal@example.nhs.uk', PASSWORD);
    const page = await client.get('/admin/audit');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('sign_in.succeeded');
    expect(html).toContain('gp.coastal@example.nhs.uk');
    expect(html).not.toContain('gp.brighton@example.nhs.uk');
    const csv = await client.get('/admin/audit.csv');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect((await csv.text()).split('\r\n')[0]).toBe(
      'id,occurred_at_utc,actor,action,entity_type,entity_id,before,after,client_address',
    );
  });

  it('hides the log from everyone else', async () => {
    const member = new AppClient(seeded.app);
    await member.signIn('gp.coastal@example.nhs.uk', PASSWORD);
    expect((await member.get('/admin/audit')).status).toBe(403);
    expect((await member.get('/api/v1/audit')).status).toBe(403);
    expect((await new AppClient(seeded.app).get('/api/v1/audit')).status).toBe(401);
  });
});
