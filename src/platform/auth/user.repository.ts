// SQL for users, role grants and sessions.
import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import type { OrganisationType } from '../../organisations/organisation.table.js';
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

export interface LiveSessionRow {
  id_hash: string;
  user_id: number;
  expires_at: Date;
  last_seen_at: Date;
  email: string;
  display_name: string;
  disabled_at: Date | null;
  grants: {
    role: Role;
    organisation_id: number;
    organisation_code: string;
    organisation_type: OrganisationType;
    organisation_name: string;
  }[];
}

/** A live session with its user and the user's role grants, in one query (it runs on every request). */
export async function findLiveSession(
  db: Db,
  idHash: string,
  now: Date,
  createdAfter: Date,
): Promise<LiveSessionRow | undefined> {
  const result = await sql<LiveSessionRow>`
    SELECT s.id_hash, s.user_id, s.expires_at, s.last_seen_at, u.email, u.display_name, u.disabled_at,
      coalesce((SELECT json_agg(json_build_object('role', g.role, 'organisation_id', g.organisation_id,
                 'organisation_code', o.code, 'organisation_type', o.type, 'organisation_name', o.name) ORDER BY o.code)
                FROM role_grant g JOIN organisation o ON o.id = g.organisation_id WHERE g.user_id = u.id), '[]') AS grants
    FROM user_session s JOIN app_user u ON u.id = s.user_id
    WHERE s.id_hash = ${idHash} AND s.expires_at > ${now} AND s.created_at > ${createdAfter}`.execute(
    db,
  );
  const row = result.rows[0];
  // json arrives parsed on both engines; text on none, but be safe.
  if (row && typeof row.grants === 'string')
    row.grants = JSON.parse(row.grants) as LiveSessionRow['grants'];
  return row;
}

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
