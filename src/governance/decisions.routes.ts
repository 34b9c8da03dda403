// HTTP routes for the decisions log (public: page, JSON API and CSV): decisions at meetings and by
// delegated officers.
import type { Hono } from 'hono';
import type { GroupAccess } from '../organisations/group-access.js';
import type { Db } from '../platform/db/schema.js';
import { toCsv } from '../platform/http/csv.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { sendCsv, sendJson } from '../platform/http/json.js';
import type { PageRenderer } from '../platform/http/pages.js';
import type { Clock } from '../platform/clock.js';
import { penceAsPounds } from '../platform/money.js';
import { decisionsLog } from './decisions.service.js';
import { createGovernanceCache } from './governance-cache.js';
import type { DataCache } from '../platform/db/data-cache.js';

const method =
  'Decisions at meetings come from the record of each meeting held (the item, decision, reasons and votes, as in its public minutes). Decisions by delegated officers are those taken outside meetings by a named officer under the group’s scheme of delegation, recorded by its administrators with the delegation relied on. Newest first.';

export function registerDecisionRoutes(
  app: Hono<AppEnv>,
  { db, page, cache, clock }: { db: Db; page: PageRenderer; cache: DataCache; clock: Clock },
  access: GroupAccess,
) {
  const govCache = createGovernanceCache(db, cache, clock);
  const { publicGroup, crumbs, today } = access;

  // ---- decisions log (public) --------------------------------------------------------------

  app.get('/groups/:code/public/decisions', async (c) => {
    const group = await publicGroup(c);
    const decisions = await govCache.memo(group, 'decisions', () =>
      decisionsLog(db, group, today()),
    );
    return page(c, 'governance-decisions.njk', {
      title: `${group.name}: decisions log`,
      group,
      decisions,
      illustrative: decisions.some((d) => d.illustrative),
      method,
      today: today(),
      breadcrumbs: crumbs(group),
    });
  });
  app.get('/api/v1/groups/:code/public/decisions', async (c) => {
    const group = await publicGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      asAt: today(),
      method,
      decisions: await govCache.memo(group, 'decisions', () => decisionsLog(db, group, today())),
    });
  });
  app.get('/groups/:code/public/decisions.csv', async (c) => {
    const group = await publicGroup(c);
    return sendCsv(
      c,
      `decisions-${group.code}.csv`,
      toCsv(
        [
          { header: 'date', value: (d) => d.decided_on },
          { header: 'kind', value: (d) => d.kind },
          { header: 'committee', value: (d) => d.committee },
          { header: 'meeting', value: (d) => d.meeting },
          { header: 'item', value: (d) => d.item },
          { header: 'decision', value: (d) => d.decision },
          { header: 'reasons', value: (d) => d.rationale },
          { header: 'votes_for', value: (d) => d.votes_for },
          { header: 'votes_against', value: (d) => d.votes_against },
          { header: 'abstentions', value: (d) => d.abstentions },
          { header: 'officer', value: (d) => d.officer },
          { header: 'officer_role', value: (d) => d.officer_role },
          { header: 'delegation', value: (d) => d.delegation },
          { header: 'value_pounds', value: (d) => penceAsPounds(d.value_pence) },
          { header: 'organisation', value: (d) => d.organisation },
          { header: 'minutes', value: (d) => d.minutes },
          { header: 'illustrative', value: (d) => (d.illustrative ? 'Y' : 'N') },
        ],
        await govCache.memo(group, 'decisions', () => decisionsLog(db, group, today())),
      ),
    );
  });
}
