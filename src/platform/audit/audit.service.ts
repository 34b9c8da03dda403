// Records who did what to which record, before and after; every write and sign-in goes through here.
import { systemClock, type Clock } from '../clock.js';
import type { Db } from '../db/schema.js';
import { insertAuditEvent } from './audit.repository.js';

/** Who is acting: a signed-in user, or a named system actor such as the CLI or the seed. */
export interface Actor {
  userId: number | null;
  label: string;
  clientAddress?: string | null;
}

export const systemActor = (label: string): Actor => ({ userId: null, label });

/** A signed-in user acting from a browser or API client. */
export const userActor = (
  principal: { userId: number; email: string },
  clientAddress: string | null,
): Actor => ({ userId: principal.userId, label: principal.email, clientAddress });

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId?: string | null;
  organisationId?: number | null;
  before?: unknown;
  after?: unknown;
}

/** Appends one event to the audit log, inside the caller's transaction when given one. */
export async function audit(db: Db, actor: Actor, record: AuditRecord, clock: Clock = systemClock) {
  await insertAuditEvent(db, {
    occurredAt: clock(),
    actorUserId: actor.userId,
    actor: actor.label,
    action: record.action,
    entityType: record.entityType,
    entityId: record.entityId ?? null,
    organisationId: record.organisationId ?? null,
    before: record.before,
    after: record.after,
    clientAddress: actor.clientAddress ?? null,
  });
}
