// HTTP routes for the procurement decisions register: the published register (no sign-in) and the full
// register with its forms for the group's officers; pages, JSON API and CSV.
import type { Context, Hono } from 'hono';
import type { GroupAccess } from '../organisations/group-access.js';
import type { Group } from '../organisations/group.service.js';
import type { DataCache } from '../platform/db/data-cache.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, type FieldProblem } from '../platform/errors.js';
import { toCsv } from '../platform/http/csv.js';
import { formRoute, problemsView } from '../platform/http/forms.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { sendCsv, sendJson } from '../platform/http/json.js';
import type { PageRenderer } from '../platform/http/pages.js';
import type { Clock } from '../platform/clock.js';
import { penceAsPounds } from '../platform/money.js';
import { canReadPlan } from '../finance/plan.service.js';
import {
  canWriteProcurement,
  criteriaRows,
  decisionItems,
  fullProcurements,
  likelyConflictsFor,
  procurementForUser,
  procurementRegister,
  procurementView,
  publicProcurement,
  publishedProcurements,
  saveBidder,
  saveCriteria,
  saveDecisionMakers,
  saveProcurement,
} from './procurement.service.js';
import {
  keyCriteria,
  keyCriteriaSource,
  routeInfo,
  standstillRule,
  standstillSource,
} from './procurement.js';
import { procurementRoutes } from './procurement.table.js';
import { createGovernanceCache } from './governance-cache.js';

const publication =
  'Published, as the regulations require: each decision with its route, service, value, contract dates, the provider awarded, the decision date and who decided, the rationale, the individuals who made the decision with the conflicts they declared and how each was managed, the key criteria and their weights, the notice dates and the standstill (SI 2013/500 reg. 9; SI 2023/1348 reg. 24; NHS England, Managing conflicts of interest, register of procurement decisions). Not published: the names and scores of providers not awarded (commercially sensitive); the awarded provider’s weighted score is published. No one’s contact details are published.';

export function registerProcurementRoutes(
  app: Hono<AppEnv>,
  { db, page, cache, clock }: { db: Db; page: PageRenderer; cache: DataCache; clock: Clock },
  access: GroupAccess,
) {
  const govCache = createGovernanceCache(db, cache, clock);
  const { publicGroup, privateGroup, ancestors, crumbs, today } = access;
  const routeItems = (selected: string | undefined) => [
    { value: '', text: 'Choose a route' },
    ...procurementRoutes.map((r) => ({
      value: r,
      text: routeInfo[r].label,
      selected: selected === r,
    })),
  ];
  const routes = procurementRoutes.map((r) => ({ key: r, ...routeInfo[r] }));
  const sources = [
    'Routes: DH, Operational guidance to the NHS: extending patient choice of provider (2011); NHS (Procurement, Patient Choice and Competition) (No. 2) Regulations 2013, SI 2013/500; Health Care Services (Provider Selection Regime) Regulations 2023, SI 2023/1348, regs 7–11.',
    `Key criteria: ${keyCriteriaSource}.`,
    `Standstill: ${standstillSource}. Bank holidays: England and Wales (Banking and Financial Dealings Act 1971, with the one-off changes by proclamation).`,
    'Weighted score = Σ (weight % × score 0–100) ÷ 100, computed exactly in whole hundredths; equal totals share a rank.',
  ];

  // ---- public ------------------------------------------------------------------------------

  const publicPage = (c: Context<AppEnv>, group: Group) => async () => {
    const r = await govCache.memo(group, 'public-procurement', () =>
      publishedProcurements(db, group, today()),
    );
    return page(c, 'governance-procurement-public.njk', {
      title: `${group.name}: procurement decisions`,
      group,
      r,
      today: today(),
      publication,
      standstillRule,
      sources,
      breadcrumbs: crumbs(group),
    });
  };
  app.get('/groups/:code/public/procurement', async (c) => publicPage(c, await publicGroup(c))());
  app.get('/api/v1/groups/:code/public/procurement', async (c) => {
    const group = await publicGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      asAt: today(),
      ...(await govCache.memo(group, 'public-procurement', () =>
        publishedProcurements(db, group, today()),
      )),
      publication,
      standstillRule,
    });
  });
  app.get('/groups/:code/public/procurement.csv', async (c) => {
    const group = await publicGroup(c);
    const r = await govCache.memo(group, 'public-procurement', () =>
      publishedProcurements(db, group, today()),
    );
    return sendCsv(
      c,
      `procurement-decisions-${group.code}.csv`,
      toCsv(
        [
          { header: 'id', value: (p) => p.id },
          { header: 'title', value: (p) => p.title },
          { header: 'service', value: (p) => p.service },
          { header: 'route', value: (p) => p.routeLabel },
          { header: 'value_pounds', value: (p) => penceAsPounds(p.valuePence) },
          { header: 'contract_starts_on', value: (p) => p.contractStartsOn },
          { header: 'contract_ends_on', value: (p) => p.contractEndsOn },
          { header: 'status', value: (p) => p.status },
          { header: 'awarded_to', value: (p) => p.awardedTo },
          { header: 'awarded_to_code', value: (p) => p.awardedToCode },
          { header: 'decided_on', value: (p) => p.decidedOn },
          { header: 'decided_by', value: (p) => p.decidedBy },
          { header: 'rationale', value: (p) => p.rationale },
          {
            header: 'criteria_and_weights',
            value: (p) => p.criteria.map((x) => `${x.name} ${x.weight}%`).join('; '),
          },
          { header: 'providers_evaluated', value: (p) => p.providersEvaluated },
          { header: 'awardee_weighted_score', value: (p) => p.awardeeWeightedScore },
          {
            header: 'decision_makers',
            value: (p) =>
              p.decisionMakers
                .map(
                  (d) =>
                    `${d.name}${d.conflict ? ` (conflict: ${d.conflict}; managed: ${d.managed ?? ''})` : ''}`,
                )
                .join('; '),
          },
          { header: 'intention_notice_on', value: (p) => p.intentionNoticeOn },
          { header: 'standstill_ends_on', value: (p) => p.standstill.endsOn },
          { header: 'award_notice_on', value: (p) => p.awardNoticeOn },
          { header: 'illustrative', value: () => (r.illustrative ? 'Y' : 'N') },
        ],
        r.procurements,
      ),
    );
  });
  app.get('/groups/:code/public/procurement/:id', async (c) => {
    const group = await publicGroup(c);
    const p = publicProcurement(await procurementView(db, group, c.req.param('id'), today()));
    return page(c, 'governance-procurement-public-item.njk', {
      title: `${group.name}: ${p.title}`,
      group,
      p,
      route: routeInfo[p.route],
      today: today(),
      publication,
      standstillRule,
      sources,
      breadcrumbs: crumbs(group, [
        { text: 'Procurement decisions', href: `/groups/${group.code}/public/procurement` },
      ]),
    });
  });
  app.get('/api/v1/groups/:code/public/procurement/:id', async (c) => {
    const group = await publicGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      asAt: today(),
      procurement: publicProcurement(await procurementView(db, group, c.req.param('id'), today())),
    });
  });

  // ---- the full register -------------------------------------------------------------------

  /** The full register is for the group's officers, governing body and lay members, and contracts officers. */
  const officersGroup = async (c: Context<AppEnv>) => {
    const group = await privateGroup(c);
    const principal = c.get('principal');
    if (
      !canReadPlan(principal, group, await ancestors(group)) &&
      !canWriteProcurement(principal, group)
    )
      throw new AppError(
        'forbidden',
        `The full procurement register of ${group.name} is for its officers, governing body and lay members; the published register is public`,
      );
    return group;
  };

  const registerPage = async (
    c: Context<AppEnv>,
    group: Group,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) => {
    const r = await govCache.memo(group, 'procurement', () =>
      procurementRegister(db, group, today()),
    );
    const writer = canWriteProcurement(c.get('principal'), group);
    return page(
      c,
      'governance-procurement.njk',
      {
        title: `${group.name}: procurement decisions register`,
        group,
        r,
        writer,
        routes,
        routeItems: routeItems(values.route),
        itemItems: await itemItems(group, values.item),
        values,
        today: today(),
        publication,
        standstillRule,
        sources,
        breadcrumbs: crumbs(group, [
          { text: 'Governance', href: `/groups/${group.code}/governance/interests` },
        ]),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };
  const itemItems = async (group: Group, selected: string | undefined) => [
    { value: '', text: 'Not decided at a meeting recorded here' },
    ...(await decisionItems(db, group)).map((i) => ({
      value: String(i.id),
      text: `${i.held_on} ${i.committee}: ${i.title}`,
      selected: selected === String(i.id),
    })),
  ];

  app.get('/groups/:code/governance/procurement', async (c) =>
    registerPage(c, await officersGroup(c)),
  );
  formRoute(
    app,
    '/groups/:code/governance/procurement',
    privateGroup,
    async (c, group, v) => {
      const id = await saveProcurement(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        v,
        clock,
      );
      return `/groups/${group.code}/governance/procurement/${id}`;
    },
    registerPage,
  );
  const fullForUser = (c: Context<AppEnv>, group: Group) =>
    fullProcurements(db, c.get('principal')!, c.get('clientAddress'), group, today(), clock);
  app.get('/api/v1/groups/:code/governance/procurement', async (c) => {
    const group = await officersGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      asAt: today(),
      ...(await fullForUser(c, group)),
      standstillRule,
    });
  });
  app.get('/groups/:code/governance/procurement.csv', async (c) => {
    const group = await officersGroup(c);
    const r = await fullForUser(c, group);
    return sendCsv(
      c,
      `procurement-decisions-full-${group.code}.csv`,
      toCsv(
        [
          { header: 'id', value: (p) => p.id },
          { header: 'title', value: (p) => p.title },
          { header: 'service', value: (p) => p.service },
          { header: 'route', value: (p) => p.routeLabel },
          { header: 'value_pounds', value: (p) => penceAsPounds(p.valuePence) },
          { header: 'contract_starts_on', value: (p) => p.contractStartsOn },
          { header: 'contract_ends_on', value: (p) => p.contractEndsOn },
          { header: 'status', value: (p) => p.status.text },
          { header: 'awarded_to', value: (p) => p.awardedTo },
          { header: 'awarded_to_code', value: (p) => p.awardedToCode },
          { header: 'decided_on', value: (p) => p.decidedOn },
          { header: 'decided_by', value: (p) => p.decidedBy },
          { header: 'rationale', value: (p) => p.rationale },
          {
            header: 'criteria_and_weights',
            value: (p) => p.criteria.map((x) => `${x.name} ${x.weight}%`).join('; '),
          },
          {
            header: 'bidders_ranked',
            value: (p) =>
              p.scoresWithheld
                ? `Withheld because you declared an interest in a provider evaluated (${p.scoresWithheld.providersEvaluated} evaluated)`
                : p.bidders
                    .map((b) => `${b.rank ?? '-'}. ${b.name}${b.total ? ` ${b.total}` : ''}`)
                    .join('; '),
          },
          {
            header: 'decision_makers',
            value: (p) =>
              p.decisionMakers
                .map(
                  (d) =>
                    `${d.name}${d.conflict ? ` (conflict: ${d.conflict}; managed: ${d.managed ?? ''})` : ''}`,
                )
                .join('; '),
          },
          { header: 'intention_notice_on', value: (p) => p.intentionNoticeOn },
          { header: 'standstill_ends_on', value: (p) => p.standstill.endsOn },
          { header: 'award_notice_on', value: (p) => p.awardNoticeOn },
          { header: 'recorded_by', value: (p) => p.recordedBy },
          { header: 'illustrative', value: () => (r.illustrative ? 'Y' : 'N') },
        ],
        r.procurements,
      ),
    );
  });

  const itemPage = async (
    c: Context<AppEnv>,
    group: Group,
    id: string,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
    form = '',
  ) => {
    const v = await procurementForUser(
      db,
      c.get('principal')!,
      c.get('clientAddress'),
      group,
      id,
      today(),
      clock,
    );
    const withheld = v.scoresWithheld !== null;
    // A conflicted keeper of the register sees the record without the bids, and cannot change it.
    const keeper = canWriteProcurement(c.get('principal'), group);
    const writer = keeper && !withheld;
    const likely = writer ? await likelyConflictsFor(db, group, v, today()) : undefined;
    const has = (f: string) => form === f;
    // Each form shows what was typed when it is re-shown, and the record otherwise.
    const main: Record<string, string> = has('main')
      ? values
      : {
          title: v.title,
          service: v.service,
          route: v.route,
          value: penceAsPounds(v.valuePence) ?? '',
          contractStartsOn: v.contractStartsOn ?? '',
          contractEndsOn: v.contractEndsOn ?? '',
          awardedTo: v.awardedTo ?? '',
          awardedToCode: v.awardedToCode ?? '',
          decidedOn: v.decidedOn ?? '',
          decidedBy: v.decidedBy ?? '',
          rationale: v.rationale ?? '',
          item: v.itemId ? String(v.itemId) : '',
          intentionNoticeOn: v.intentionNoticeOn ?? '',
          awardNoticeOn: v.awardNoticeOn ?? '',
        };
    const criteriaForm = Array.from({ length: criteriaRows }, (_, i) => {
      const n = i + 1;
      const current = v.criteria[i];
      const suggested = v.criteria.length === 0 ? keyCriteria[i] : undefined;
      return {
        n,
        name: has('criteria') ? (values[`name_${n}`] ?? '') : (current?.name ?? suggested ?? ''),
        weight: has('criteria')
          ? (values[`weight_${n}`] ?? '')
          : current
            ? String(current.weight)
            : '',
      };
    });
    const inDm = new Map(v.decisionMakers.map((d) => [d.personId, d]));
    const dmForm = (likely?.people ?? []).map((p) => {
      const recorded = inDm.get(p.id);
      const suggested = likely?.conflicts.get(p.id)?.join('; ') ?? '';
      return {
        id: p.id,
        name: p.name,
        checked: has('dm') ? values[`dm_${p.id}`] === 'yes' : recorded !== undefined,
        conflict: has('dm')
          ? (values[`conflict_${p.id}`] ?? '')
          : (recorded?.conflict ?? (recorded ? '' : suggested)),
        managed: has('dm') ? (values[`managed_${p.id}`] ?? '') : (recorded?.managed ?? ''),
        likely: suggested,
      };
    });
    return page(
      c,
      'governance-procurement-item.njk',
      {
        title: `${group.name}: ${v.title}`,
        group,
        p: v,
        writer,
        keeper,
        routes,
        main,
        routeItems: routeItems(main.route),
        itemItems: await itemItems(group, main.item),
        criteriaForm,
        keyCriteria,
        bidderValues: has('bidder') ? values : {},
        bidderItems: [
          { value: 'new', text: 'A new bidder' },
          ...v.bidders.map((b) => ({
            value: String(b.id),
            text: b.name,
            selected: has('bidder') && values.bidder === String(b.id),
          })),
        ],
        dmForm,
        form,
        today: today(),
        publication,
        standstillRule,
        sources,
        breadcrumbs: crumbs(group, [
          { text: 'Governance', href: `/groups/${group.code}/governance/interests` },
          { text: 'Procurement decisions', href: `/groups/${group.code}/governance/procurement` },
        ]),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };

  const idPath = '/groups/:code/governance/procurement/:id';
  app.get(idPath, async (c) => itemPage(c, await officersGroup(c), c.req.param('id')));
  app.get('/api/v1/groups/:code/governance/procurement/:id', async (c) => {
    const group = await officersGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      asAt: today(),
      procurement: await procurementForUser(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        c.req.param('id'),
        today(),
        clock,
      ),
    });
  });

  const post = (
    path: string,
    form: string,
    save: (
      c: Context<AppEnv>,
      group: Group,
      id: string,
      v: Record<string, string>,
    ) => Promise<unknown>,
  ) =>
    formRoute(
      app,
      path,
      async (c) => ({ group: await privateGroup(c), id: c.req.param('id') ?? '' }),
      async (c, { group, id }, v) => {
        await save(c, group, id, v);
        return `/groups/${group.code}/governance/procurement/${id}`;
      },
      (c, { group, id }, problems, values) => itemPage(c, group, id, problems, values, form),
    );
  const who = (c: Context<AppEnv>) => [c.get('principal')!, c.get('clientAddress')] as const;
  post(idPath, 'main', (c, group, id, v) => saveProcurement(db, ...who(c), group, v, clock, id));
  post(`${idPath}/criteria`, 'criteria', (c, group, id, v) =>
    saveCriteria(db, ...who(c), group, id, v, clock),
  );
  post(`${idPath}/bidders`, 'bidder', (c, group, id, v) =>
    saveBidder(db, ...who(c), group, id, v, clock),
  );
  post(`${idPath}/decision-makers`, 'dm', (c, group, id, v) =>
    saveDecisionMakers(db, ...who(c), group, id, v, clock),
  );
}
