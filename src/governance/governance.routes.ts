// HTTP routes for the register of interests: the published register (no sign-in) and the full
// register with overdue declarations for the group's officers; pages, JSON API and CSV.
import type { Context, Hono } from 'hono';
import type { GroupAccess } from '../organisations/group-access.js';
import type { Group } from '../organisations/group.service.js';
import type { DataCache } from '../platform/db/data-cache.js';
import type { Db } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import { toCsv } from '../platform/http/csv.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { sendCsv, sendJson } from '../platform/http/json.js';
import type { PageRenderer } from '../platform/http/pages.js';
import { canReadPlan } from '../finance/plan.service.js';
import { publishedRegister, registerOfInterests } from './register.service.js';

const rules =
  'Published: the interests of decision-makers (governing body and committee members who decide), until six months after an interest ends (NHS England, Managing conflicts of interest, 2017). Declarations are due within 28 days of an interest arising, on appointment, and at least once a year; a declaration made more than 28 days after the interest arose is marked late.';

export function registerGovernanceRoutes(
  app: Hono<AppEnv>,
  { db, page }: { db: Db; page: PageRenderer; cache: DataCache },
  access: GroupAccess,
) {
  const { groupByCode, privateGroup, ancestors, crumbs, today } = access;

  const publicGroup = (c: Context<AppEnv>) => groupByCode(c.req.param('code') ?? '');
  const published = async (group: Group) =>
    publishedRegister(await registerOfInterests(db, group, today()));

  app.get('/groups/:code/public/interests', async (c) => {
    const group = await publicGroup(c);
    const r = await published(group);
    return page(c, 'governance-public-interests.njk', {
      title: `${group.name}: register of interests`,
      group,
      r,
      today: today(),
      rules,
      breadcrumbs: [
        { text: 'Groups', href: '/' },
        { text: group.name, href: `/groups/${group.code}` },
      ],
    });
  });
  app.get('/api/v1/groups/:code/public/interests', async (c) => {
    const group = await publicGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      asAt: today(),
      ...(await published(group)),
      rules,
    });
  });
  app.get('/groups/:code/public/interests.csv', async (c) => {
    const group = await publicGroup(c);
    const r = await published(group);
    return sendCsv(
      c,
      `register-of-interests-${group.code}.csv`,
      toCsv(
        [
          { header: 'name', value: (i) => i.person },
          { header: 'roles', value: (i) => i.roles },
          { header: 'category', value: (i) => i.category },
          { header: 'counterpart', value: (i) => i.counterpart },
          { header: 'description', value: (i) => i.description },
          { header: 'arose_on', value: (i) => i.aroseOn },
          { header: 'declared_on', value: (i) => i.declaredOn },
          { header: 'ended_on', value: (i) => i.endedOn },
          { header: 'action_taken', value: (i) => i.actionTaken },
          { header: 'illustrative', value: () => (r.illustrative ? 'Y' : 'N') },
        ],
        r.interests,
      ),
    );
  });

  /** The full register is for the group's officers, governing body and lay members (not member practices yet). */
  const officersGroup = async (c: Context<AppEnv>) => {
    const group = await privateGroup(c);
    if (!canReadPlan(c.get('principal'), group, await ancestors(group)))
      throw new AppError(
        'forbidden',
        `The full register of ${group.name} is for its officers, governing body and lay members; the published register is public`,
      );
    return group;
  };

  app.get('/groups/:code/governance/interests', async (c) => {
    const group = await officersGroup(c);
    const r = await registerOfInterests(db, group, today());
    return page(c, 'governance-interests.njk', {
      title: `${group.name}: register of interests (full)`,
      group,
      r,
      today: today(),
      rules,
      breadcrumbs: crumbs(group, [
        { text: 'Governance', href: `/groups/${group.code}/governance/interests` },
      ]),
    });
  });
  app.get('/api/v1/groups/:code/governance/interests', async (c) => {
    const group = await officersGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      asAt: today(),
      ...(await registerOfInterests(db, group, today())),
      rules,
    });
  });
  app.get('/groups/:code/governance/interests.csv', async (c) => {
    const group = await officersGroup(c);
    const r = await registerOfInterests(db, group, today());
    return sendCsv(
      c,
      `register-of-interests-full-${group.code}.csv`,
      toCsv(
        [
          { header: 'interest', value: (i) => i.id },
          { header: 'version', value: (i) => i.version },
          { header: 'versions', value: (i) => i.versions },
          { header: 'name', value: (i) => i.person },
          { header: 'roles', value: (i) => i.roles },
          { header: 'decision_maker', value: (i) => (i.decisionMaker ? 'Y' : 'N') },
          { header: 'category', value: (i) => i.categoryLabel },
          { header: 'counterpart', value: (i) => i.counterpart },
          { header: 'counterpart_code', value: (i) => i.counterpartCode },
          { header: 'description', value: (i) => i.description },
          { header: 'arose_on', value: (i) => i.aroseOn },
          { header: 'declared_on', value: (i) => i.declaredOn },
          { header: 'late', value: (i) => (i.late ? 'Y' : 'N') },
          { header: 'ended_on', value: (i) => i.endedOn },
          { header: 'action_taken', value: (i) => i.actionTaken },
          { header: 'published', value: (i) => (i.published ? 'Y' : 'N') },
          { header: 'illustrative', value: () => (r.illustrative ? 'Y' : 'N') },
        ],
        r.interests,
      ),
    );
  });
}
