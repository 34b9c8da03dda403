// The audit log for administrators: page, API and CSV, scoped to the organisations they administer.
import type { Context, Hono } from 'hono';
import { adminScope } from '../auth/principal.js';
import type { Db } from '../db/schema.js';
import { AppError } from '../errors.js';
import { toCsv } from '../http/csv.js';
import type { AppEnv } from '../http/http.types.js';
import { sendCsv, sendJson } from '../http/json.js';
import type { PageRenderer } from '../http/pages.js';
import { listAuditEvents } from './audit.repository.js';

const PAGE_SIZE = 100;

export function registerAuditRoutes(
  app: Hono<AppEnv>,
  { db, page }: { db: Db; page: PageRenderer },
) {
  async function events(c: Context<AppEnv>, limit: number) {
    const principal = c.get('principal');
    if (!principal) throw new AppError('unauthenticated', 'Sign in to see the audit log');
    const scope = adminScope(principal);
    if (scope === null)
      throw new AppError('forbidden', 'Only administrators can see the audit log');
    const offsetText = c.req.query('offset') ?? '0';
    if (!/^\d{1,9}$/.test(offsetText))
      throw new AppError('invalid_input', 'offset must be a whole number below 1,000,000,000');
    const offset = Number(offsetText);
    const rows = await listAuditEvents(db, { organisationIds: scope, limit, offset });
    const scopeText =
      scope === undefined
        ? 'every event in this deployment'
        : `events about ${principal.grants
            .filter((g) => g.role === 'admin')
            .map((g) => g.organisationName)
            .join(', ')} and by their users`;
    return {
      offset,
      scopeText,
      events: rows.map((e) => ({
        id: e.id,
        occurredAt: e.occurred_at.toISOString(),
        actor: e.actor,
        actorUserId: e.actor_user_id,
        action: e.action,
        entityType: e.entity_type,
        entityId: e.entity_id,
        organisationId: e.organisation_id,
        before: e.before_state === null ? '' : JSON.stringify(e.before_state),
        after: e.after_state === null ? '' : JSON.stringify(e.after_state),
        clientAddress: e.client_address,
      })),
    };
  }

  app.get('/admin/audit', async (c) =>
    page(c, 'audit.njk', { title: 'Audit log', limit: PAGE_SIZE, ...(await events(c, PAGE_SIZE)) }),
  );
  app.get('/api/v1/audit', async (c) => sendJson(c, await events(c, PAGE_SIZE)));
  app.get('/admin/audit.csv', async (c) => {
    const data = await events(c, 100_000);
    return sendCsv(
      c,
      'audit-log.csv',
      toCsv(
        [
          { header: 'id', value: (e) => e.id },
          { header: 'occurred_at_utc', value: (e) => e.occurredAt },
          { header: 'actor', value: (e) => e.actor },
          { header: 'action', value: (e) => e.action },
          { header: 'entity_type', value: (e) => e.entityType },
          { header: 'entity_id', value: (e) => e.entityId },
          { header: 'before', value: (e) => e.before },
          { header: 'after', value: (e) => e.after },
          { header: 'client_address', value: (e) => e.clientAddress },
        ],
        data.events,
      ),
    );
  });
}
