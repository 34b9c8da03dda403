// SQL for users, role grants and sessions.
import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import type { Role } from './user.table.js';

export const findUserByEmail = (db: Db, email: string) =>
  db.selectFrom('app_user').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();

export const findUserById = (db: Db, id: number) =>
  db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertUser(
  db: Db,
  user: {
    email: string;
    displayName: string;
    passwordHash: string;
    isDemo: boolean;
    createdAt: Date;
  },
) {
  return db
    .insertInto('app_user')
    .values({
      email: user.email,
      display_name: user.displayName,
      password_hash: user.passwordHash,
      is_demo: user.isDemo,
      created_at: user.createdAt,
      disabled_at: null,
    })
    .returning(['id', 'email', 'display_name'])
    .executeTakeFirstOrThrow();
}

export const setUserDisabled = (db: Db, id: number, at: Date | null) =>
  db.updateTable('app_user').set({ disabled_at: at }).where('id', '=', id).execute();

export const setUserPasswordHash = (db: Db, id: number, passwordHash: string) =>
  db.updateTable('app_user').set({ password_hash: passwordHash }).where('id', '=', id).execute();

export async function insertRoleGrant(
  db: Db,
  grant: { userId: number; role: Role; organisationId: number; grantedAt: Date },
): Promise<boolean> {
  const rows = await db
    .insertInto('role_grant')
    .values({
      user_id: grant.userId,
      role: grant.role,
      organisation_id: grant.organisationId,
      granted_at: grant.grantedAt,
    })
    .onConflict((oc) => oc.columns(['user_id', 'role', 'organisation_id']).doNothing())
    .returning('id')
    .execute();
  return rows.length > 0;
}

export const deleteRoleGrant = (db: Db, userId: number, role: Role, organisationId: number) =>
  db
    .deleteFrom('role_grant')
    .where('user_id', '=', userId)
    .where('role', '=', role)
    .where('organisation_id', '=', organisationId)
    .returning('id')
    .execute();

/** A user's grants with the organisation each applies to. */
export const listGrants = (db: Db, userId: number) =>
  db
    .selectFrom('role_grant as g')
    .innerJoin('organisation as o', 'o.id', 'g.organisation_id')
    .select([
      'g.role',
      'g.organisation_id',
      'o.code as organisation_code',
      'o.type as organisation_type',
      'o.name as organisation_name',
    ])
    .where('g.user_id', '=', userId)
    .orderBy('o.code')
    .execute();

export const insertSession = (
  db: Db,
  session: { idHash: string; userId: number; createdAt: Date; expiresAt: Date },
) =>
  db
    .insertInto('user_session')
    .values({
      id_hash: session.idHash,
      user_id: session.userId,
      created_at: session.createdAt,
      expires_at: session.expiresAt,
      last_seen_at: session.createdAt,
    })
    .execute();

export const findLiveSession = (db: Db, idHash: string, now: Date) =>
  db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select([
      's.id_hash',
      's.user_id',
      's.expires_at',
      's.last_seen_at',
      'u.email',
      'u.display_name',
      'u.disabled_at',
    ])
    .where('s.id_hash', '=', idHash)
    .where('s.expires_at', '>', now)
    .executeTakeFirst();

export const touchSession = (db: Db, idHash: string, now: Date, expiresAt: Date) =>
  db
    .updateTable('user_session')
    .set({ last_seen_at: now, expires_at: expiresAt })
    .where('id_hash', '=', idHash)
    .execute();

export const deleteSession = (db: Db, idHash: string) =>
  db.deleteFrom('user_session').where('id_hash', '=', idHash).execute();

export const deleteUserSessions = (db: Db, userId: number) =>
  db.deleteFrom('user_session').where('user_id', '=', userId).execute();

export const deleteExpiredSessions = (db: Db, now: Date) =>
  sql`DELETE FROM user_session WHERE expires_at <= ${now}`.execute(db);
