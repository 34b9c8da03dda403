// HTTP routes for the breaches register and decisions by delegated officers: pages, JSON API and CSV.
// The full register is for the group's officers; the public sees anonymised summaries only.
import type { Context, Hono } from 'hono';
import type { GroupAccess } from '../organisations/group-access.js';
import type { Group } from '../organisations/group.service.js';
import type { DataCache } from '../platform/db/data-cache.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, requireFields, type FieldProblem } from '../platform/errors.js';
import { toCsv } from '../platform/http/csv.js';
import { formRoute, problemsView } from '../platform/http/forms.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { sendCsv, sendJson } from '../platform/http/json.js';
import type { PageRenderer } from '../platform/http/pages.js';
import type { Clock } from '../platform/clock.js';
import { canReadPlan } from '../finance/plan.service.js';
import { canManageRegister } from './declarations.service.js';
import { breachCategories, breachCategoryLabels } from './breaches.table.js';
import {
  breachAccess,
  breachOf,
  breachRegister,
  peopleOf,
  publicBreaches,
  recordBreach,
  updateBreach,
} from './breaches.service.js';
import {
  officerDecisions,
  officersOn,
  recordOfficerDecision,
} from './officer-decisions.service.js';
import { createGovernanceCache } from './governance-cache.js';
import { isRowId } from '../platform/db/ids.js';

/** What the pages and API say about the rules (../shared/reference/commissioning-rules.md §1.10–1.11). */
export const breachRules =
  'A breach of the conflicts of interest policy (an interest not declared or not managed, gifts or hospitality accepted against the rules, a procurement or decision tainted by a conflict) is recorded, investigated, reported (for example to the audit committee, the conflicts of interest guardian or NHS England) and closed; the group must have a robust process for breaches and publish anonymised details of them. The conflicts of interest guardian (usually the lay member who chairs the audit committee) oversees how conflicts are managed.';

/** The sources of the rules, cited on the pages and in the API. */
export const breachSources = [
  {
    text: 'NHS England, Managing conflicts of interest: revised statutory guidance for CCGs (June 2016, revised June 2017)',
    href: 'https://www.england.nhs.uk/commissioning/pc-co-comms/coi/',
  },
  {
    text: 'Hempsons, Newsflash: Managing conflicts of interest: revised statutory guidance for CCGs published (2016)',
    href: 'https://www.hempsons.co.uk/news-articles/newsflash-managing-conflicts-interest-revised-statutory-guidance-ccgs-published/',
  },
  {
    text: 'CCG Alert, Conflicts of interest management (June 2016)',
    href: 'http://ccg-alert.blogspot.com/2016/06/conflicts-of-interest-management.html',
  },
];

const anonymity =
  'To help keep breaches anonymous, the public sees only the kind of breach, the month and year it was identified (not exact dates), the anonymised summary, the action taken, the standard bodies it was reported to and whether it is closed; never the person concerned or the private account of what happened. A breach is published once its summary is written; until then it is counted as under review.';

export function registerBreachRoutes(
  app: Hono<AppEnv>,
  { db, page, cache, clock }: { db: Db; page: PageRenderer; cache: DataCache; clock: Clock },
  access: GroupAccess,
) {
  const govCache = createGovernanceCache(db, cache, clock);
  const { publicGroup, privateGroup, ancestors, crumbs, today } = access;

  // ---- the public breaches register ---------------------------------------------------------

  app.get('/groups/:code/public/breaches', async (c) => {
    const group = await publicGroup(c);
    return page(c, 'governance-breaches-public.njk', {
      title: `${group.name}: breaches of the conflicts of interest policy`,
      group,
      r: await govCache.memo(group, 'public-breaches', () => publicBreaches(db, group, today())),
      today: today(),
      rules: breachRules,
      sources: breachSources,
      anonymity,
      breadcrumbs: crumbs(group),
    });
  });
  app.get('/api/v1/groups/:code/public/breaches', async (c) => {
    const group = await publicGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      asAt: today(),
      ...(await govCache.memo(group, 'public-breaches', () => publicBreaches(db, group, today()))),
      anonymity,
      rules: breachRules,
      sources: breachSources,
    });
  });
  app.get('/groups/:code/public/breaches.csv', async (c) => {
    const group = await publicGroup(c);
    const r = await govCache.memo(group, 'public-breaches', () =>
      publicBreaches(db, group, today()),
    );
    return sendCsv(
      c,
      `breaches-${group.code}.csv`,
      toCsv(
        [
          { header: 'reference', value: (b) => b.reference },
          { header: 'category', value: (b) => b.categoryLabel },
          { header: 'identified', value: (b) => b.identified },
          { header: 'financial_year', value: (b) => b.financialYear },
          { header: 'summary', value: (b) => b.summary },
          { header: 'action_taken', value: (b) => b.actionTaken },
          { header: 'reported_to', value: (b) => b.reportedTo.join('; ') },
          { header: 'closed', value: (b) => (b.closed ? 'Y' : 'N') },
          { header: 'closed_in', value: (b) => b.closedIn },
          { header: 'illustrative', value: () => (r.illustrative ? 'Y' : 'N') },
        ],
        r.breaches,
      ),
    );
  });

  // ---- the full register (officers) ---------------------------------------------------------

  /** The group, if this user may read the full register (officers, governing body, lay members, the guardian, oversight). */
  const readersGroup = async (c: Context<AppEnv>) => {
    const group = await privateGroup(c);
    const may = await breachAccess(db, c.get('principal'), group, await ancestors(group), today());
    if (!may.reader)
      throw new AppError(
        'forbidden',
        `The full breaches register of ${group.name} is for its officers, governing body and lay members; the anonymised register is public`,
      );
    return { group, keeper: may.keeper };
  };
  const breachId = (c: Context<AppEnv>) => {
    const id = Number(c.req.param('id'));
    if (!isRowId(id)) throw new AppError('not_found', 'No such breach');
    return id;
  };
  const categoryItems = (current?: string) => [
    { value: '', text: 'Choose the kind of breach' },
    ...breachCategories.map((k) => ({
      value: k,
      text: breachCategoryLabels[k],
      selected: k === current,
    })),
  ];

  const registerPage = async (
    c: Context<AppEnv>,
    group: Group,
    keeper: boolean,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) => {
    const r = await govCache.memo(group, 'breaches', () => breachRegister(db, group, today()));
    const people = keeper ? await peopleOf(db, group) : [];
    return page(
      c,
      'governance-breaches.njk',
      {
        title: `${group.name}: breaches register`,
        group,
        r,
        keeper,
        categoryItems: categoryItems(values.category),
        personItems: [
          { value: '', text: 'Nobody in particular, or not known' },
          ...people.map((p) => ({
            value: String(p.id),
            text: p.name,
            selected: values.person === String(p.id),
          })),
        ],
        values,
        today: today(),
        rules: breachRules,
        sources: breachSources,
        breadcrumbs: crumbs(group, [
          { text: 'Breaches (public)', href: `/groups/${group.code}/public/breaches` },
        ]),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };
  app.get('/groups/:code/governance/breaches', async (c) => {
    const { group, keeper } = await readersGroup(c);
    return registerPage(c, group, keeper);
  });
  // Anyone with access to the group reaches the service, which refuses (and audits) non-keepers.
  formRoute(
    app,
    '/groups/:code/governance/breaches',
    privateGroup,
    async (c, group, values) => {
      const id = await recordBreach(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        {
          category: values.category ?? '',
          occurredOn: values.occurredOn ?? '',
          identifiedOn: values.identifiedOn ?? '',
          person: values.person ?? '',
          description: values.description ?? '',
          actionTaken: values.actionTaken ?? '',
          reportedTo: values.reportedTo ?? '',
        },
        clock,
      );
      return `/groups/${group.code}/governance/breaches/${id}`;
    },
    (c, group, problems, values) => registerPage(c, group, true, problems, values),
  );
  app.get('/api/v1/groups/:code/governance/breaches', async (c) => {
    const { group } = await readersGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      asAt: today(),
      ...(await govCache.memo(group, 'breaches', () => breachRegister(db, group, today()))),
      rules: breachRules,
      sources: breachSources,
    });
  });
  app.get('/groups/:code/governance/breaches.csv', async (c) => {
    const { group } = await readersGroup(c);
    const r = await govCache.memo(group, 'breaches', () => breachRegister(db, group, today()));
    return sendCsv(
      c,
      `breaches-full-${group.code}.csv`,
      toCsv(
        [
          { header: 'reference', value: (b) => b.id },
          { header: 'category', value: (b) => b.categoryLabel },
          { header: 'occurred_on', value: (b) => b.occurred_on },
          { header: 'identified_on', value: (b) => b.identified_on },
          { header: 'person', value: (b) => b.person },
          { header: 'description', value: (b) => b.description },
          { header: 'action_taken', value: (b) => b.action_taken },
          { header: 'reported_to', value: (b) => b.reported_to },
          { header: 'public_summary', value: (b) => b.public_summary },
          { header: 'closed_on', value: (b) => b.closed_on },
          { header: 'days_open', value: (b) => b.days_open },
          { header: 'recorded_by', value: (b) => b.recorded_by },
          { header: 'illustrative', value: (b) => (b.illustrative ? 'Y' : 'N') },
        ],
        r.breaches,
      ),
    );
  });

  const breachPage = async (
    c: Context<AppEnv>,
    group: Group,
    keeper: boolean,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) => {
    const b = await breachOf(db, group, breachId(c), today());
    return page(
      c,
      'governance-breach.njk',
      {
        title: `${group.name}: breach ${b.id}`,
        group,
        b,
        keeper,
        shown: {
          actionTaken: values.actionTaken ?? b.action_taken,
          reportedTo: values.reportedTo ?? b.reported_to ?? '',
          publicSummary: values.publicSummary ?? b.public_summary ?? '',
          closedOn: values.closedOn ?? b.closed_on ?? '',
        },
        today: today(),
        anonymity,
        breadcrumbs: crumbs(group, [
          { text: 'Breaches register', href: `/groups/${group.code}/governance/breaches` },
        ]),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };
  app.get('/groups/:code/governance/breaches/:id', async (c) => {
    const { group, keeper } = await readersGroup(c);
    return breachPage(c, group, keeper);
  });
  app.get('/api/v1/groups/:code/governance/breaches/:id', async (c) => {
    const { group } = await readersGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      breach: await breachOf(db, group, breachId(c), today()),
    });
  });
  formRoute(
    app,
    '/groups/:code/governance/breaches/:id',
    async (c) => {
      const group = await privateGroup(c);
      return { group, id: breachId(c) };
    },
    async (c, { group, id }, values) => {
      requireFields(values, {
        actionTaken: 'The action taken',
        reportedTo: 'Reported to',
        publicSummary: 'The public summary',
        closedOn: 'Date closed',
      });
      await updateBreach(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        id,
        {
          actionTaken: values.actionTaken ?? '',
          reportedTo: values.reportedTo ?? '',
          publicSummary: values.publicSummary ?? '',
          closedOn: values.closedOn ?? '',
        },
        clock,
      );
      return `/groups/${group.code}/governance/breaches/${id}`;
    },
    (c, { group }, problems, values) => breachPage(c, group, true, problems, values),
  );

  // ---- decisions by delegated officers --------------------------------------------------------

  const officerDecisionsPage = async (
    c: Context<AppEnv>,
    group: Group,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) => {
    const principal = c.get('principal');
    const manager = canManageRegister(principal, group);
    if (!manager && !canReadPlan(principal, group, await ancestors(group)))
      throw new AppError(
        'forbidden',
        `Decisions by ${group.name}'s delegated officers are recorded by its administrators and governing body; the decisions log is public`,
      );
    const officers = manager ? await officersOn(db, group, today()) : [];
    const decisions = await officerDecisions(db, group, today());
    return page(
      c,
      'governance-officer-decisions.njk',
      {
        title: `${group.name}: decisions by delegated officers`,
        group,
        decisions,
        illustrative: decisions.some((d) => d.illustrative),
        manager,
        officerItems: [
          { value: '', text: 'Choose the officer' },
          ...officers.map((o) => ({
            value: String(o.id),
            text: `${o.name} (${o.roles})`,
            selected: values.person === String(o.id),
          })),
        ],
        values,
        today: today(),
        breadcrumbs: crumbs(group, [
          { text: 'Decisions log', href: `/groups/${group.code}/public/decisions` },
        ]),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };
  app.get('/groups/:code/governance/officer-decisions', async (c) =>
    officerDecisionsPage(c, await privateGroup(c)),
  );
  formRoute(
    app,
    '/groups/:code/governance/officer-decisions',
    privateGroup,
    async (c, group, values) => {
      await recordOfficerDecision(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        {
          person: values.person ?? '',
          delegation: values.delegation ?? '',
          title: values.title ?? '',
          decision: values.decision ?? '',
          rationale: values.rationale ?? '',
          value: values.value ?? '',
          organisation: values.organisation ?? '',
          decidedOn: values.decidedOn ?? '',
        },
        clock,
      );
      return `/groups/${group.code}/governance/officer-decisions`;
    },
    officerDecisionsPage,
  );
}
