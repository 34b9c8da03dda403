// SQL for the append-only audit log.
import type { Db } from '../db/schema.js';

export interface NewAuditEvent {
  occurredAt: Date;
  actorUserId: number | null;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  organisationId: number | null;
  before: unknown;
  after: unknown;
  clientAddress: string | null;
}

const json = (value: unknown) =>
  value === undefined || value === null ? null : JSON.stringify(value);

export async function insertAuditEvent(db: Db, event: NewAuditEvent): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      occurred_at: event.occurredAt,
      actor_user_id: event.actorUserId,
      actor: event.actor,
      action: event.action,
      entity_type: event.entityType,
      entity_id: event.entityId,
      organisation_id: event.organisationId,
      before_state: json(event.before),
      after_state: json(event.after),
      client_address: event.clientAddress,
    })
    .execute();
}

export interface AuditQuery {
  /** Only events about these organisations, or by users who hold a role in them; all when undefined. */
  organisationIds?: number[] | undefined;
  limit: number;
  offset: number;
}

export async function listAuditEvents(db: Db, query: AuditQuery) {
  let q = db
    .selectFrom('audit_event')
    .select([
      'id',
      'occurred_at',
      'actor',
      'actor_user_id',
      'action',
      'entity_type',
      'entity_id',
      'organisation_id',
      'before_state',
      'after_state',
      'client_address',
    ])
    .orderBy('id', 'desc')
    .limit(query.limit)
    .offset(query.offset);
  const ids = query.organisationIds;
  if (ids !== undefined) {
    if (ids.length === 0) return [];
    q = q.where((eb) =>
      eb.or([
        eb('organisation_id', 'in', ids),
        eb(
          'actor_user_id',
          'in',
          eb.selectFrom('role_grant').select('user_id').where('organisation_id', 'in', ids),
        ),
      ]),
    );
  }
  return q.execute();
}

/** Failed sign-ins since a moment, by email and by client address (for rate limiting). */
export async function countRecentFailedSignIns(
  db: Db,
  email: string,
  clientAddress: string | null,
  since: Date,
): Promise<{ forEmail: number; forAddress: number; forPair: number; lastForEmail: Date | null }> {
  const address = clientAddress ?? '';
  const row = await db
    .selectFrom('audit_event')
    .select((eb) => [
      eb.fn.count<number>('id').filterWhere('entity_id', '=', email).as('for_email'),
      eb.fn.count<number>('id').filterWhere('client_address', '=', address).as('for_address'),
      eb.fn
        .count<number>('id')
        .filterWhere((f) =>
          f.and([
            f('entity_id', '=', email),
            f(f.fn.coalesce('client_address', f.val('')), '=', address),
          ]),
        )
        .as('for_pair'),
      eb.fn.max('occurred_at').filterWhere('entity_id', '=', email).as('last_for_email'),
    ])
    .where('action', '=', 'sign_in.failed')
    .where('occurred_at', '>=', since)
    .executeTakeFirstOrThrow();
  return {
    forEmail: Number(row.for_email),
    forAddress: Number(row.for_address),
    forPair: Number(row.for_pair),
    lastForEmail: row.last_for_email ? new Date(row.last_for_email) : null,
  };
}
