// Sign-in, sessions, CSRF, rate limiting, and the audit trail they leave.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { sql } from 'kysely';
import { systemActor } from '../../src/platform/audit/audit.service.js';
import { disableUser } from '../../src/platform/auth/user.service.js';
import { signIn } from '../../src/platform/auth/session.service.js';
import type { AppError } from '../../src/platform/errors.js';
import { createApp } from '../../src/app/app.js';
import { AppClient } from '../support/app-client.js';
import { PASSWORD, seededApp, type Seeded } from '../support/seeded.js';
import { engines } from '../support/stores.js';

describe.each(engines())('sign-in on %s', (engine) => {
  let seeded: Seeded;
  beforeAll(async () => {
    seeded = await seededApp(engine);
  });
  afterAll(() => seeded.close());

  it('stores passwords as argon2id hashes', async () => {
    const row = await seeded.store.db
      .selectFrom('app_user')
      .select('password_hash')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('signs in with an HttpOnly, SameSite session cookie and records it in the audit log', async () => {
    const client = new AppClient(seeded.app);
    const response = await client.signIn('GP.Coastal@example.nhs.uk', PASSWORD);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('flock_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/expires|max-age/i); // the server ends sessions, not the browser's clock
    const me = (await (await client.get('/api/v1/me')).json()) as { email: string };
    expect(me.email).toBe('gp.coastal@example.nhs.uk');
    const audit = await seeded.store.db
      .selectFrom('audit_event')
      .select(['action', 'actor'])
      .where('action', '=', 'sign_in.succeeded')
      .execute();
    expect(audit.some((a) => a.actor === 'gp.coastal@example.nhs.uk')).toBe(true);
    // The session is stored hashed: the cookie value itself is not in the database.
    const token = client.cookie('flock_session')!;
    const stored = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM user_session WHERE id_hash = ${token}`.execute(
      seeded.store.db,
    );
    expect(stored.rows[0]!.n).toBe(0);
  });

  it('re-shows the form with an NHS error summary for a wrong password, and audits the failure', async () => {
    const client = new AppClient(seeded.app);
    const response = await client.submit('/sign-in', '/sign-in', {
      email: 'gp.coastal@example.nhs.uk',
      password: 'wrong password!!',
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('nhsuk-error-summary');
    expect(html).toContain('Your email address or password is incorrect');
    expect(html).toContain('<title>Error: Sign in');
    const failed = await seeded.store.db
      .selectFrom('audit_event')
      .select('entity_id')
      .where('action', '=', 'sign_in.failed')
      .execute();
    expect(failed.map((f) => f.entity_id)).toContain('gp.coastal@example.nhs.uk');
  });

  it('asks for both fields when they are empty', async () => {
    const client = new AppClient(seeded.app);
    const html = await (
      await client.submit('/sign-in', '/sign-in', { email: '', password: '' })
    ).text();
    expect(html).toContain('Enter your email address');
    expect(html).toContain('Enter your password');
  });

  it('refuses a form without the CSRF token', async () => {
    const client = new AppClient(seeded.app);
    const response = await client.submit(
      '/sign-in',
      '/sign-in',
      { email: 'gp.coastal@example.nhs.uk', password: PASSWORD },
      { csrf: null },
    );
    expect(response.status).toBe(403);
    expect(client.cookie('flock_session')).toBeUndefined();
    const forged = await client.submit(
      '/sign-in',
      '/sign-in',
      { email: 'gp.coastal@example.nhs.uk', password: PASSWORD },
      { csrf: 'x'.repeat(43) },
    );
    expect(forged.status).toBe(403);
  });

  it('refuses a write from another site, without the CSRF cookie, or too large, before reading it', async () => {
    const client = new AppClient(seeded.app);
    await client.get('/sign-in');
    const post = (headers: Record<string, string>, body = 'email=x') =>
      client.request('/sign-in', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
    expect((await post({ origin: 'https://elsewhere.example' })).status).toBe(403);
    expect((await post({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const large = await post({}, `email=${'x'.repeat(300 * 1024)}`);
    expect(large.status).toBe(413);
    expect(await large.text()).toContain('larger than 256 KB');
    // Signed out with no cookie at all (no Flock page was ever loaded): refused as forged.
    const stranger = await seeded.app.request('/sign-in', {
      method: 'POST',
      body: 'email=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(stranger.status).toBe(403);
  });

  it('keeps private responses out of caches and compresses what it sends when asked', async () => {
    const client = new AppClient(seeded.app);
    expect((await client.get('/groups/09G')).headers.get('cache-control')).toBe('no-cache');
    await client.signIn('gp.coastal@example.nhs.uk', PASSWORD);
    for (const path of [
      '/groups/09G/practices',
      '/api/v1/groups/09G/practices',
      '/groups/09G/practices.csv',
    ]) {
      const response = await client.request(path, { headers: { 'accept-encoding': 'gzip' } });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('no-store');
      expect(response.headers.get('content-encoding'), path).toBe('gzip');
    }
  });

  it('replaces the CSRF secret at sign-in and binds form tokens to the session', async () => {
    const client = new AppClient(seeded.app);
    await client.get('/sign-in');
    const before = client.cookie('flock_csrf');
    await client.signIn('gp.coastal@example.nhs.uk', PASSWORD);
    expect(client.cookie('flock_csrf')).toBeDefined();
    expect(client.cookie('flock_csrf')).not.toBe(before);
    const token = /name="_csrf" value="([^"]+)"/.exec(
      await (await client.get('/sign-out')).text(),
    )![1]!;
    expect(token).not.toBe(client.cookie('flock_csrf'));
    // Another session of the same browser secret cannot use this session's token.
    const other = new AppClient(seeded.app);
    await other.get('/sign-in');
    const stolen = await other.request('/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ _csrf: token, email: 'x', password: 'y' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(stolen.status).toBe(403);
  });

  it('rate limits repeated failures for one email address', async () => {
    const client = new AppClient(seeded.app);
    const email = 'admin.coastal@example.nhs.uk';
    for (let i = 0; i < 5; i++) {
      expect(
        (await client.submit('/sign-in', '/sign-in', { email, password: `wrong-${i}-password` }))
          .status,
      ).toBe(400);
    }
    const limited = await client.submit('/sign-in', '/sign-in', { email, password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('Too many failed sign-in attempts');
  });

  it('does not let a stranger lock the owner out, and slows guessing from many addresses', async () => {
    const email = 'lay.coastal@example.nhs.uk';
    const attempt = (password: string, clientAddress: string, at?: Date) =>
      signIn(seeded.store.db, { email, password, clientAddress }, at ? () => at : undefined).then(
        () => 'signed in',
        (e: AppError) => e.code,
      );
    for (let i = 0; i < 5; i++)
      expect(await attempt(`stranger-${i}-guess`, '203.0.113.9')).toBe('invalid_input');
    expect(await attempt(PASSWORD, '203.0.113.9')).toBe('rate_limited');
    expect(await attempt(PASSWORD, '198.51.100.7')).toBe('signed in');
    // Ten failures for the account from several addresses: an address that failed must wait 30 s.
    for (let i = 0; i < 5; i++)
      expect(await attempt(`other-${i}-guess`, `192.0.2.${i + 1}`)).toBe('invalid_input');
    expect(await attempt('another-wrong-guess', '192.0.2.1')).toBe('rate_limited');
    expect(await attempt(PASSWORD, '198.51.100.7')).toBe('signed in');
    expect(await attempt(PASSWORD, '192.0.2.1', new Date(Date.now() + 31_000))).toBe('signed in');
  });

  it('holds the limit when wrong passwords arrive all at once', async () => {
    const email = 'race@example.nhs.uk';
    const attempts = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        signIn(seeded.store.db, { email, password: `guess-${i}-wrong`, clientAddress: null }),
      ),
    );
    const reasons = attempts.map((a) =>
      a.status === 'rejected' ? (a.reason as AppError).code : 'signed in',
    );
    expect(reasons.filter((r) => r === 'invalid_input')).toHaveLength(5);
    expect(reasons.filter((r) => r === 'rate_limited')).toHaveLength(7);
  });

  it('records the forwarded client address only when told to trust the proxy', async () => {
    const proxied = createApp({
      db: seeded.store.db,
      facts: seeded.facts,
      config: { demo: false, secureCookies: false, trustProxy: true },
    });
    const client = new AppClient(proxied);
    const form = await client.get('/sign-in');
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    await client.request('/sign-in', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': '203.0.113.7, 198.51.100.9',
      },
      body: new URLSearchParams({
        _csrf: token,
        email: 'proxy-test@example.nhs.uk',
        password: 'not a real password',
      }),
    });
    const row = await seeded.store.db
      .selectFrom('audit_event')
      .select('client_address')
      .where('entity_id', '=', 'proxy-test@example.nhs.uk')
      .executeTakeFirstOrThrow();
    expect(row.client_address).toBe('198.51.100.9');
  });

  it('signs out through a CSRF-protected form and ends the session', async () => {
    const client = new AppClient(seeded.app);
    await client.signIn('oversight@example.nhs.uk', PASSWORD);
    const response = await client.submit('/sign-out', '/sign-out', {});
    expect(response.status).toBe(303);
    expect((await client.get('/api/v1/me')).status).toBe(401);
  });

  it('keeps a disabled user out and ends their sessions', async () => {
    const client = new AppClient(seeded.app);
    await client.signIn('gp.brighton@example.nhs.uk', PASSWORD);
    await disableUser(seeded.store.db, systemActor('test'), 'gp.brighton@example.nhs.uk');
    expect((await client.get('/api/v1/me')).status).toBe(401);
    const again = await new AppClient(seeded.app).submit('/sign-in', '/sign-in', {
      email: 'gp.brighton@example.nhs.uk',
      password: PASSWORD,
    });
    expect(again.status).toBe(400);
  });

  it('does not redirect off-site after sign-in', async () => {
    const client = new AppClient(seeded.app);
    const response = await client.submit('/sign-in', '/sign-in', {
      email: 'oversight@example.nhs.uk',
      password: PASSWORD,
      next: '//evil.example/',
    });
    expect(response.headers.get('location')).toBe('/');
  });
});
