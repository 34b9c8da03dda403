// Refused requests for a group's private governance records (the full registers, people and contacts,
// meetings being run, breaches) are audited: who asked, for what, and why they were refused.
import type { MiddlewareHandler } from 'hono';
import { audit, type Actor } from '../platform/audit/audit.service.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { AppEnv } from '../platform/http/http.types.js';

export function auditRefusedGovernanceAccess(
  db: Db,
  groupId: (code: string) => Promise<number | null>,
  clock: Clock,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const error = c.error;
    if (!(error instanceof AppError) || !['unauthenticated', 'forbidden'].includes(error.code))
      return;
    const principal = c.get('principal');
    const actor: Actor = principal
      ? { userId: principal.userId, label: principal.email, clientAddress: c.get('clientAddress') }
      : { userId: null, label: 'anonymous', clientAddress: c.get('clientAddress') };
    await audit(
      db,
      actor,
      {
        action: 'governance.access_refused',
        entityType: 'request',
        entityId: `${c.req.method} ${c.req.path}`.slice(0, 300),
        organisationId: await groupId(c.req.param('code') ?? ''),
        after: { reason: error.code, message: error.message },
      },
      clock,
    );
  };
}
