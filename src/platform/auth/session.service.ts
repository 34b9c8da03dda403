// Sign-in, server-side sessions and sign-out; failed sign-ins are audited and rate limited from the audit log.
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { countRecentFailedSignIns } from '../audit/audit.repository.js';
import { audit, type Actor } from '../audit/audit.service.js';
import { systemClock, type Clock } from '../clock.js';
import type { Database, Db } from '../db/schema.js';
import { AppError } from '../errors.js';
import { decoyPasswordHash, verifyPassword } from './password.js';
import type { Principal } from './principal.js';
import {
  deleteExpiredSessions,
  deleteSession,
  findLiveSession,
  findUserByEmail,
  insertSession,
  touchSession,
} from './user.repository.js';

/** A session ends after this long without a request... */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
/** ...and this long after sign-in, however busy. */
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/**
 * Failed attempts allowed in the window: per email address from one client address, and per client
 * address over all emails. A stranger guessing from elsewhere therefore never locks the owner out of
 * their account; guessing one account from many addresses is slowed instead: past
 * EMAIL_BACKOFF_AFTER failures, an address that has itself failed for that email must wait
 * EMAIL_BACKOFF_MS after the account's last failure.
 */
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;
export const EMAIL_BACKOFF_AFTER = 10;
export const EMAIL_BACKOFF_MS = 30 * 1000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const SIGN_IN_FAILED = 'Your email address or password is incorrect';

type SignInOutcome =
  { ok: true; token: string; expiresAt: Date; userId: number } | { ok: false; error: AppError };

/**
 * Signs a user in. Counting recent failures, checking the password and recording the outcome happen
 * under a lock on the email address, so parallel guesses cannot slip past the limit; the outcome is
 * committed (a failure is audited) before any error is thrown.
 */
export async function signIn(
  db: Kysely<Database>,
  input: { email: string; password: string; clientAddress: string | null },
  clock: Clock = systemClock,
): Promise<{ token: string; expiresAt: Date; userId: number }> {
  const email = input.email.trim().toLowerCase();
  const outcome = await db.transaction().execute(async (tx): Promise<SignInOutcome> => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`sign-in:${email}`}))`.execute(tx);
    const now = clock();
    const anonymous: Actor = {
      userId: null,
      label: email || '(no email)',
      clientAddress: input.clientAddress,
    };
    const recent = await countRecentFailedSignIns(
      tx,
      email,
      input.clientAddress,
      new Date(now.getTime() - SIGN_IN_WINDOW_MS),
    );
    const backingOff =
      recent.forEmail >= EMAIL_BACKOFF_AFTER &&
      recent.forPair > 0 &&
      recent.lastForEmail !== null &&
      now.getTime() - recent.lastForEmail.getTime() < EMAIL_BACKOFF_MS;
    if (
      recent.forPair >= MAX_FAILURES_PER_EMAIL ||
      recent.forAddress >= MAX_FAILURES_PER_ADDRESS ||
      backingOff
    ) {
      await audit(
        tx,
        anonymous,
        { action: 'sign_in.rate_limited', entityType: 'sign_in', entityId: email },
        clock,
      );
      return {
        ok: false,
        error: new AppError(
          'rate_limited',
          'Too many failed sign-in attempts. Wait 15 minutes and try again.',
        ),
      };
    }
    const user = email ? await findUserByEmail(tx, email) : undefined;
    const passwordOk = await verifyPassword(
      user?.password_hash ?? (await decoyPasswordHash()),
      input.password,
    );
    if (!user || !passwordOk || user.disabled_at) {
      const reason = !user ? 'unknown email' : !passwordOk ? 'wrong password' : 'user disabled';
      await audit(
        tx,
        anonymous,
        { action: 'sign_in.failed', entityType: 'sign_in', entityId: email, after: { reason } },
        clock,
      );
      return {
        ok: false,
        error: new AppError('invalid_input', SIGN_IN_FAILED, [
          { field: 'email', message: SIGN_IN_FAILED },
        ]),
      };
    }
    await deleteExpiredSessions(tx, now);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
    await insertSession(tx, {
      idHash: hashToken(token),
      userId: user.id,
      createdAt: now,
      expiresAt,
    });
    await audit(
      tx,
      { userId: user.id, label: user.email, clientAddress: input.clientAddress },
      { action: 'sign_in.succeeded', entityType: 'user', entityId: String(user.id) },
      clock,
    );
    return { ok: true, token, expiresAt, userId: user.id };
  });
  if (!outcome.ok) throw outcome.error;
  return { token: outcome.token, expiresAt: outcome.expiresAt, userId: outcome.userId };
}

/** The signed-in user for a session token, or undefined when the session is missing, expired or disabled. */
export async function resolveSession(
  db: Db,
  token: string,
  clock: Clock = systemClock,
): Promise<Principal | undefined> {
  const now = clock();
  const session = await findLiveSession(
    db,
    hashToken(token),
    now,
    new Date(now.getTime() - SESSION_MAX_MS),
  );
  if (!session || session.disabled_at) return undefined;
  // Slide the idle timeout, but write at most once a minute.
  if (now.getTime() - session.last_seen_at.getTime() > 60_000) {
    await touchSession(db, session.id_hash, now, new Date(now.getTime() + SESSION_IDLE_MS));
  }
  const grants = session.grants;
  return {
    userId: session.user_id,
    email: session.email,
    displayName: session.display_name,
    grants: grants.map((g) => ({
      role: g.role,
      organisationId: g.organisation_id,
      organisationCode: g.organisation_code,
      organisationType: g.organisation_type,
      organisationName: g.organisation_name,
    })),
  };
}

export async function signOut(
  db: Db,
  token: string,
  principal: Principal,
  clientAddress: string | null,
  clock: Clock = systemClock,
) {
  await deleteSession(db, hashToken(token));
  await audit(
    db,
    { userId: principal.userId, label: principal.email, clientAddress },
    { action: 'sign_out', entityType: 'user', entityId: String(principal.userId) },
    clock,
  );
}

export interface SessionResolver {
  resolve(token: string): Promise<Principal | undefined>;
  /** Drops a token from the cache (after sign-out in this process). */
  forget(token: string): void;
}

/**
 * Resolves session tokens, remembering each answer for `ttlMs`. Every request needs the signed-in user;
 * looking it up costs a query, which on the embedded database is most of a cached page's time. A
 * session ended elsewhere (sign-out in another instance, a user disabled from the CLI) stops working
 * here within `ttlMs`; sign-out in this process takes effect at once.
 */
export function createSessionResolver(
  db: Db,
  clock: Clock = systemClock,
  ttlMs = 2000,
): SessionResolver {
  const cache = new Map<string, { principal: Principal | undefined; until: number }>();
  return {
    async resolve(token) {
      const now = clock().getTime();
      const hit = cache.get(token);
      if (hit && hit.until > now) return hit.principal;
      const principal = await resolveSession(db, token, clock);
      if (ttlMs > 0) {
        if (cache.size > 10_000) cache.clear();
        cache.set(token, { principal, until: now + ttlMs });
      }
      return principal;
    },
    forget(token) {
      cache.delete(token);
    },
  };
}
