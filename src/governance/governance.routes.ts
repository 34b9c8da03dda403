// HTTP routes for the register of interests: the published register (no sign-in) and the full
// register with overdue declarations for the group's officers; pages, JSON API and CSV.
import type { Context, Hono } from 'hono';
import type { GroupAccess } from '../organisations/group-access.js';
import type { Group } from '../organisations/group.service.js';
import type { DataCache } from '../platform/db/data-cache.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, requireFields } from '../platform/errors.js';
import { toCsv } from '../platform/http/csv.js';
import { formRoute, problemsView } from '../platform/http/forms.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { sendCsv, sendJson } from '../platform/http/json.js';
import type { PageRenderer } from '../platform/http/pages.js';
import { canReadPlan } from '../finance/plan.service.js';
import { publishedRegister, registerOfInterests } from './register.service.js';
import {
  canManageRegister,
  declareInterest,
  interestHistory,
  personOfUser,
  recordNilReturn,
  reviseInterest,
  type DeclarationInput,
} from './declarations.service.js';
import { categoryLabels, interestCategories } from './interests.js';
import { decideGift, giftsRegister, recordGift } from './gifts.service.js';
import { listCommittees } from './people.service.js';
import {
  addAgendaItem,
  recordAttendance,
  scheduleMeeting,
  conflictActions,
  listMeetings,
  meetingView,
  recordDecision,
  recordItemDeclaration,
  type MeetingView,
} from './meetings.service.js';
import { penceAsPounds } from '../platform/money.js';
import type { FieldProblem } from '../platform/errors.js';
import type { Clock } from '../platform/clock.js';
import { createGovernanceCache } from './governance-cache.js';
import { isRowId } from '../platform/db/ids.js';

const rules =
  'Published: the interests of decision-makers (governing body and committee members who decide), until six months after an interest ends (NHS England, Managing conflicts of interest, 2017). Declarations are due within 28 days of an interest arising, on appointment, and at least once a year; a declaration made more than 28 days after the interest arose is marked late.';

export function registerGovernanceRoutes(
  app: Hono<AppEnv>,
  { db, page, cache, clock }: { db: Db; page: PageRenderer; cache: DataCache; clock: Clock },
  access: GroupAccess,
) {
  const govCache = createGovernanceCache(db, cache, clock);
  const { publicGroup, privateGroup, ancestors, crumbs, today } = access;

  /** Every meeting of the group as at today, newest first: read once per version of its records. */
  const meetingViews = (group: Group) =>
    govCache.memo(group, 'meetings', async () =>
      Promise.all((await listMeetings(db, group)).map((m) => meetingView(db, group, m.id))),
    );
  const published = async (group: Group) =>
    publishedRegister(
      await govCache.memo(group, 'register', () => registerOfInterests(db, group, today())),
    );

  app.get('/groups/:code/public/interests', async (c) => {
    const group = await publicGroup(c);
    const r = await published(group);
    return page(c, 'governance-public-interests.njk', {
      title: `${group.name}: register of interests`,
      group,
      r,
      today: today(),
      rules,
      breadcrumbs: crumbs(group),
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
    const r = await govCache.memo(group, 'register', () => registerOfInterests(db, group, today()));
    return page(c, 'governance-interests.njk', {
      title: `${group.name}: register of interests (full)`,
      group,
      r,
      baseUrl: new URL(c.req.url).origin,
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
      ...(await govCache.memo(group, 'register', () => registerOfInterests(db, group, today()))),
      rules,
    });
  });
  app.get('/groups/:code/governance/interests.csv', async (c) => {
    const group = await officersGroup(c);
    const r = await govCache.memo(group, 'register', () => registerOfInterests(db, group, today()));
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

  // ---- declaring ---------------------------------------------------------------------------

  const declarationOf = (v: Record<string, string>): DeclarationInput => ({
    person: v.person ?? '',
    category: v.category ?? '',
    counterpart: v.counterpart ?? '',
    counterpartCode: v.counterpartCode ?? '',
    description: v.description ?? '',
    aroseOn: v.aroseOn ?? '',
    endedOn: v.endedOn ?? '',
    actionTaken: v.actionTaken ?? '',
  });
  const categoryItems = (current?: string) =>
    interestCategories.map((k) => ({ value: k, text: categoryLabels[k], selected: k === current }));
  const crumbsOf = (group: Group) =>
    crumbs(group, [{ text: 'Governance', href: `/groups/${group.code}/public/interests` }]);

  const declarationsPage = async (
    c: Context<AppEnv>,
    group: Group,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) => {
    const principal = c.get('principal')!;
    const me = await personOfUser(db, group, principal.userId);
    const manager = canManageRegister(principal, group);
    const register = await govCache.memo(group, 'register', () =>
      registerOfInterests(db, group, today()),
    );
    const mine = me ? register.people.find((p) => p.id === me.id) : undefined;
    const people = manager ? register.people : register.people.filter((p) => p.id === me?.id);
    // Before a meeting: the items where this person has a declared interest in the organisation.
    const warnings = [];
    if (me)
      for (const v of await meetingViews(group)) {
        if (v.meeting.held_on < today()) continue;
        for (const item of v.items)
          for (const w of item.warnings.filter((x) => x.personId === me.id))
            warnings.push({
              meetingId: v.meeting.id,
              meeting: v.meeting.title,
              heldOn: v.meeting.held_on,
              item: item.title,
              interest: w.interest,
            });
      }
    return page(
      c,
      'governance-declarations.njk',
      {
        title: `${group.name}: declare an interest`,
        group,
        warnings,
        me: mine ?? null,
        manager,
        myInterests: me ? register.interests.filter((i) => i.personId === me.id) : [],
        personItems: [
          ...(manager ? [{ value: '', text: 'Choose a person' }] : []),
          ...people.map((p) => ({
            value: String(p.id),
            text: p.name,
            selected: values.person ? values.person === String(p.id) : p.id === me?.id,
          })),
        ],
        categoryItems: categoryItems(values.category),
        values,
        today: today(),
        breadcrumbs: crumbsOf(group),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };

  app.get('/groups/:code/governance/declarations', async (c) => {
    const group = await privateGroup(c);
    return declarationsPage(c, group);
  });
  formRoute(
    app,
    '/groups/:code/governance/declarations',
    privateGroup,
    async (c, group, values) => {
      const id = await declareInterest(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        declarationOf(values),
        clock,
      );
      return `/groups/${group.code}/governance/interests/${id}`;
    },
    declarationsPage,
  );
  formRoute(
    app,
    '/groups/:code/governance/nil-return',
    privateGroup,
    async (c, group, values) => {
      await recordNilReturn(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        Number(values.nilPerson || NaN),
        clock,
      );
      return `/groups/${group.code}/governance/declarations`;
    },
    declarationsPage,
  );

  const interestPage = async (
    c: Context<AppEnv>,
    group: Group,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) => {
    const id = Number(c.req.param('id'));
    if (!isRowId(id)) throw new AppError('not_found', 'No such declaration');
    const principal = c.get('principal')!;
    const h = await interestHistory(db, group, id);
    const own = h.user_id === principal.userId;
    const manager = canManageRegister(principal, group);
    if (!own && !manager && !canReadPlan(principal, group, await ancestors(group)))
      throw new AppError(
        'forbidden',
        'Only the person who declared it and the group’s officers can see a declaration’s history',
      );
    const cur = h.current;
    const code = cur.counterpart_org_id
      ? (
          await db
            .selectFrom('organisation')
            .select('code')
            .where('id', '=', cur.counterpart_org_id)
            .executeTakeFirst()
        )?.code
      : undefined;
    const shown = {
      category: values.category ?? cur.category,
      counterpart: values.counterpart ?? cur.counterpart,
      counterpartCode: values.counterpartCode ?? code ?? '',
      description: values.description ?? cur.description,
      aroseOn: values.aroseOn ?? cur.arose_on,
      endedOn: values.endedOn ?? cur.ended_on ?? '',
      actionTaken: values.actionTaken ?? cur.action_taken,
    };
    return page(
      c,
      'governance-interest.njk',
      {
        title: `${group.name}: declaration by ${h.name}`,
        group,
        h,
        versions: [...h.versions]
          .reverse()
          .map((v) => ({ ...v, categoryLabel: categoryLabels[v.category] })),
        editable: own || manager,
        shown,
        categoryItems: categoryItems(shown.category),
        breadcrumbs: crumbsOf(group),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };
  app.get('/groups/:code/governance/interests/:id', async (c) => {
    const group = await privateGroup(c);
    return interestPage(c, group);
  });
  formRoute(
    app,
    '/groups/:code/governance/interests/:id',
    async (c) => {
      const group = await privateGroup(c);
      const id = Number(c.req.param('id'));
      if (!isRowId(id)) throw new AppError('not_found', 'No such declaration');
      return { group, id };
    },
    async (c, { group, id }, values) => {
      requireFields(values, {
        category: 'Category',
        counterpart: 'Organisation or person',
        counterpartCode: 'Its ODS code',
        description: 'Description',
        aroseOn: 'Date it arose',
        endedOn: 'Date it ended',
        actionTaken: 'Action taken',
      });
      await reviseInterest(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        id,
        declarationOf(values),
        clock,
      );
      return `/groups/${group.code}/governance/interests/${id}`;
    },
    (c, { group }, problems, values) => interestPage(c, group, problems, values),
  );

  // ---- gifts and hospitality ---------------------------------------------------------------

  const publicGifts = async (group: Group) => {
    const r = await giftsRegister(db, group, today());
    return {
      gifts: r.gifts
        .filter((g) => g.published)
        .map((g) => ({
          person: g.name,
          kind: g.kind,
          offeror: g.offeror,
          description: g.description,
          valuePence: g.value_pence,
          offeredOn: g.offered_on,
          accepted: g.accepted,
          approval: g.approval,
        })),
      illustrative: r.illustrative,
    };
  };
  app.get('/groups/:code/public/gifts', async (c) => {
    const group = await publicGroup(c);
    return page(c, 'governance-public-gifts.njk', {
      title: `${group.name}: gifts and hospitality`,
      group,
      r: await publicGifts(group),
      today: today(),
      breadcrumbs: crumbs(group),
    });
  });
  app.get('/api/v1/groups/:code/public/gifts', async (c) => {
    const group = await publicGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      asAt: today(),
      ...(await publicGifts(group)),
    });
  });
  app.get('/groups/:code/public/gifts.csv', async (c) => {
    const group = await publicGroup(c);
    const r = await publicGifts(group);
    return sendCsv(
      c,
      `gifts-and-hospitality-${group.code}.csv`,
      toCsv(
        [
          { header: 'name', value: (g) => g.person },
          { header: 'kind', value: (g) => g.kind },
          { header: 'offered_by', value: (g) => g.offeror },
          { header: 'description', value: (g) => g.description },
          { header: 'value_pounds', value: (g) => penceAsPounds(g.valuePence) },
          { header: 'offered_on', value: (g) => g.offeredOn },
          { header: 'accepted', value: (g) => (g.accepted ? 'Y' : 'N') },
          { header: 'approval', value: (g) => g.approval },
          { header: 'illustrative', value: () => (r.illustrative ? 'Y' : 'N') },
        ],
        r.gifts,
      ),
    );
  });

  const giftsPage = async (
    c: Context<AppEnv>,
    group: Group,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) => {
    const principal = c.get('principal')!;
    const manager = canManageRegister(principal, group);
    const officer = canReadPlan(principal, group, await ancestors(group));
    const me = await personOfUser(db, group, principal.userId);
    const r = await giftsRegister(db, group, today());
    const people = manager ? r.people : r.people.filter((p) => p.id === me?.id);
    return page(
      c,
      'governance-gifts.njk',
      {
        title: `${group.name}: gifts and hospitality register`,
        group,
        gifts: officer || manager ? r.gifts : r.gifts.filter((g) => g.person_id === me?.id),
        seesAll: officer || manager,
        pendingItems: [
          { value: '', text: 'Choose an offer' },
          ...r.pending.map((g) => ({
            value: String(g.id),
            text: `${g.name}: ${g.description} (£${penceAsPounds(g.value_pence)})`,
            selected: values.gift === String(g.id),
          })),
        ],
        hasPending: r.pending.length > 0,
        manager,
        personItems: [
          ...(manager ? [{ value: '', text: 'Choose a person' }] : []),
          ...people.map((p) => ({
            value: String(p.id),
            text: p.name,
            selected: values.person ? values.person === String(p.id) : p.id === me?.id,
          })),
        ],
        values,
        illustrative: r.illustrative,
        today: today(),
        breadcrumbs: crumbsOf(group),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };
  app.get('/groups/:code/governance/gifts', async (c) => giftsPage(c, await privateGroup(c)));
  formRoute(
    app,
    '/groups/:code/governance/gifts',
    privateGroup,
    async (c, group, v) => {
      await recordGift(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        {
          person: v.person ?? '',
          kind: v.kind ?? '',
          offeror: v.offeror ?? '',
          fromSupplier: v.fromSupplier ?? '',
          description: v.description ?? '',
          value: v.value ?? '',
          offeredOn: v.offeredOn ?? '',
          accepted: v.accepted ?? '',
          reason: v.reason ?? '',
        },
        clock,
      );
      return `/groups/${group.code}/governance/gifts`;
    },
    giftsPage,
  );
  formRoute(
    app,
    '/groups/:code/governance/gifts/decide',
    privateGroup,
    async (c, group, v) => {
      await decideGift(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        { gift: v.gift ?? '', decision: v.decision ?? '' },
        clock,
      );
      return `/groups/${group.code}/governance/gifts`;
    },
    giftsPage,
  );
  app.get('/api/v1/groups/:code/governance/gifts', async (c) => {
    const group = await privateGroup(c);
    const principal = c.get('principal')!;
    if (
      !canReadPlan(principal, group, await ancestors(group)) &&
      !canManageRegister(principal, group)
    )
      throw new AppError(
        'forbidden',
        `The full gifts and hospitality register of ${group.name} is for its officers; the published one is public`,
      );
    const r = await giftsRegister(db, group, today());
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      asAt: today(),
      gifts: r.gifts,
      illustrative: r.illustrative,
    });
  });

  // ---- meetings ----------------------------------------------------------------------------

  /**
   * A meeting as the public sees it: before it is held, the agenda and papers; once held, the minutes
   * (names and roles, declarations, quorum and decisions). Never contact details.
   */
  const minutesOf = (v: MeetingView) => {
    // The record is public once the meeting's day has come and the secretary has taken attendance.
    const held = v.meeting.held_on <= today() && v.members.some((m) => m.present !== null);
    return {
      illustrative: v.illustrative,
      meeting: {
        id: v.meeting.id,
        title: v.meeting.title,
        committee: v.meeting.committee,
        heldOn: v.meeting.held_on,
        held,
        status: held ? 'minuted' : v.meeting.held_on <= today() ? 'minutes to follow' : 'upcoming',
      },
      quorumRule: `${v.rule.minimumVoting} voting members${v.rule.mustInclude.length ? ', including a lay member' : ''}`,
      present: held
        ? v.members
            .filter((m) => m.present === true)
            .map((m) => ({ name: m.name, role: m.roleLabel, voting: m.voting }))
        : [],
      apologies: v.members
        .filter((m) => m.present === false)
        .map((m) => ({ name: m.name, role: m.roleLabel })),
      items: v.items.map((i) => ({
        position: i.position,
        title: i.title,
        concerns: i.organisation_name,
        paper: i.paper,
        memberVotes: i.memberVotes.map((v) => ({
          id: v.id,
          kind: v.kind,
          question: v.question,
          closed: v.closesAt.getTime() <= clock().getTime(),
        })),
        forDecision: i.for_decision,
        declarations: held
          ? i.declarations.map((d) => ({ name: d.name, interest: d.interest, action: d.action }))
          : [],
        deciding: held ? i.quorum.deciding.map((d) => d.name) : [],
        quorate: held ? i.quorum.quorate : null,
        shortfall: held ? i.quorum.shortfall : null,
        decision:
          held && i.decision
            ? {
                decision: i.decision.decision,
                rationale: i.decision.rationale,
                for: i.decision.votes_for,
                against: i.decision.votes_against,
                abstentions: i.decision.abstentions,
              }
            : null,
      })),
    };
  };

  app.get('/groups/:code/public/meetings', async (c) => {
    const group = await publicGroup(c);
    const meetings = await listMeetings(db, group);
    return page(c, 'governance-public-meetings.njk', {
      title: `${group.name}: meetings and minutes`,
      group,
      upcoming: meetings.filter((m) => m.held_on > today()).reverse(),
      held: meetings.filter((m) => m.held_on <= today()),
      breadcrumbs: crumbs(group),
    });
  });
  app.get('/api/v1/groups/:code/public/meetings', async (c) => {
    const group = await publicGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      asAt: today(),
      meetings: (await meetingViews(group)).map(minutesOf),
    });
  });
  app.get('/groups/:code/public/meetings.csv', async (c) => {
    const group = await publicGroup(c);
    const rows = (await meetingViews(group)).flatMap((v) => {
      const m = minutesOf(v);
      return m.items.map((i) => ({ ...i, meeting: m.meeting }));
    });
    return sendCsv(
      c,
      `meetings-${group.code}.csv`,
      toCsv(
        [
          { header: 'date', value: (r) => r.meeting.heldOn },
          { header: 'committee', value: (r) => r.meeting.committee },
          { header: 'meeting', value: (r) => r.meeting.title },
          { header: 'held', value: (r) => (r.meeting.held ? 'Y' : 'N') },
          { header: 'item', value: (r) => r.position },
          { header: 'title', value: (r) => r.title },
          { header: 'concerns', value: (r) => r.concerns },
          { header: 'paper', value: (r) => r.paper },
          { header: 'for_decision', value: (r) => (r.forDecision ? 'Y' : 'N') },
          {
            header: 'declarations',
            value: (r) =>
              r.declarations.map((d) => `${d.name}: ${d.interest} (${d.action})`).join('; '),
          },
          {
            header: 'quorate',
            value: (r) => (r.quorate === null || !r.forDecision ? '' : r.quorate ? 'Y' : 'N'),
          },
          { header: 'decision', value: (r) => r.decision?.decision ?? '' },
          { header: 'reasons', value: (r) => r.decision?.rationale ?? '' },
          { header: 'votes_for', value: (r) => r.decision?.for ?? '' },
          { header: 'votes_against', value: (r) => r.decision?.against ?? '' },
          { header: 'abstentions', value: (r) => r.decision?.abstentions ?? '' },
        ],
        rows,
      ),
    );
  });
  app.get('/groups/:code/public/meetings/:id', async (c) => {
    const group = await publicGroup(c);
    const v = await meetingView(db, group, Number(c.req.param('id')));
    return page(c, 'governance-minutes.njk', {
      title: `${group.name}: ${v.meeting.held_on <= today() ? 'minutes' : 'agenda'} of ${v.meeting.title}`,
      group,
      m: minutesOf(v),
      breadcrumbs: crumbs(group, [
        { text: 'Meetings', href: `/groups/${group.code}/public/meetings` },
      ]),
    });
  });
  app.get('/api/v1/groups/:code/public/meetings/:id', async (c) => {
    const group = await publicGroup(c);
    const v = await meetingView(db, group, Number(c.req.param('id')));
    return sendJson(c, { group: { code: group.code, name: group.name }, ...minutesOf(v) });
  });

  const meetingPage = async (
    c: Context<AppEnv>,
    group: Group,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) => {
    const v = await meetingView(db, group, Number(c.req.param('id')));
    const principal = c.get('principal')!;
    return page(
      c,
      'governance-meeting.njk',
      {
        title: `${group.name}: ${v.meeting.title}`,
        group,
        v,
        upcoming: v.meeting.held_on > today(),
        today: today(),
        attendancePending: v.members.some((m) => m.present === null),
        keeper: canManageRegister(principal, group),
        itemItems: [
          { value: '', text: 'Choose an item' },
          ...v.items.map((i) => ({
            value: String(i.id),
            text: `${i.position}. ${i.title}`,
            selected: values.declItem === String(i.id) || values.decItem === String(i.id),
          })),
        ],
        memberItems: [
          { value: '', text: 'Choose a member' },
          ...v.members.map((m) => ({
            value: String(m.person_id),
            text: `${m.name} (${m.roleLabel})`,
            selected: values.declPerson === String(m.person_id),
          })),
        ],
        actionItems: conflictActions.map((a) => ({
          value: a,
          text: a,
          checked: values.declAction === a,
        })),
        values,
        breadcrumbs: crumbs(group, [
          { text: 'Meetings', href: `/groups/${group.code}/governance/meetings` },
        ]),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };
  const meetingsPage = async (
    c: Context<AppEnv>,
    group: Group,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) =>
    page(
      c,
      'governance-meetings.njk',
      {
        title: `${group.name}: meetings`,
        group,
        meetings: await listMeetings(db, group),
        keeper: canManageRegister(c.get('principal'), group),
        committeeItems: [
          { value: '', text: 'Choose a committee' },
          ...(await listCommittees(db, group)).map((x) => ({
            value: String(x.id),
            text: x.name,
            selected: values.committee === String(x.id),
          })),
        ],
        values,
        today: today(),
        breadcrumbs: crumbsOf(group),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  app.get('/groups/:code/governance/meetings', async (c) =>
    meetingsPage(c, await officersGroup(c)),
  );
  formRoute(
    app,
    '/groups/:code/governance/meetings',
    officersGroup,
    async (c, group, values) =>
      `/groups/${group.code}/governance/meetings/${await scheduleMeeting(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        {
          committee: values.committee ?? '',
          heldOn: values.heldOn ?? '',
          title: values.title ?? '',
        },
        clock,
      )}`,
    meetingsPage,
  );
  app.get('/groups/:code/governance/meetings/:id', async (c) =>
    meetingPage(c, await officersGroup(c)),
  );
  app.get('/api/v1/groups/:code/governance/meetings/:id', async (c) => {
    const group = await officersGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      ...(await meetingView(db, group, Number(c.req.param('id')))),
    });
  });
  const meetingAction = (
    route: string,
    act: (
      c: Context<AppEnv>,
      group: Group,
      v: MeetingView,
      values: Record<string, string>,
    ) => Promise<unknown>,
  ) =>
    formRoute(
      app,
      `/groups/:code/governance/meetings/:id/${route}`,
      async (c) => {
        const group = await officersGroup(c);
        return { group, v: await meetingView(db, group, Number(c.req.param('id'))) };
      },
      async (c, { group, v }, values) => {
        await act(c, group, v, values);
        return `/groups/${group.code}/governance/meetings/${v.meeting.id}`;
      },
      (c, { group }, problems, values) => meetingPage(c, group, problems, values),
    );
  meetingAction('declarations', (c, group, v, values) =>
    recordItemDeclaration(
      db,
      c.get('principal')!,
      c.get('clientAddress'),
      group,
      v,
      {
        item: values.declItem ?? '',
        person: values.declPerson ?? '',
        interest: values.declInterest ?? '',
        action: values.declAction ?? '',
      },
      clock,
    ),
  );
  meetingAction('agenda', (c, group, v, values) =>
    addAgendaItem(
      db,
      c.get('principal')!,
      c.get('clientAddress'),
      group,
      v,
      {
        title: values.itemTitle ?? '',
        forDecision: values.forDecision ?? '',
        organisationCode: values.organisationCode ?? '',
        organisationName: values.organisationName ?? '',
        paper: values.paper ?? '',
      },
      clock,
    ),
  );
  meetingAction('attendance', (c, group, v, values) =>
    recordAttendance(db, c.get('principal')!, c.get('clientAddress'), group, v, values, clock),
  );
  meetingAction('decisions', (c, group, v, values) =>
    recordDecision(
      db,
      c.get('principal')!,
      c.get('clientAddress'),
      group,
      v,
      {
        item: values.decItem ?? '',
        decision: values.decDecision ?? '',
        rationale: values.decRationale ?? '',
        votesFor: values.decFor ?? '',
        votesAgainst: values.decAgainst ?? '',
        abstentions: values.decAbstain ?? '',
      },
      clock,
    ),
  );
}
