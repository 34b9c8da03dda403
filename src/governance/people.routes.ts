// HTTP routes for the group's people, appointments, committees and guardian contact (kept by the
// governing body secretary), and the public governance page: who governs, on what terms, and the record.
import type { Context, Hono } from 'hono';
import type { GroupAccess } from '../organisations/group-access.js';
import type { Group } from '../organisations/group.service.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, type FieldProblem } from '../platform/errors.js';
import { toCsv } from '../platform/http/csv.js';
import { formRoute, problemsView } from '../platform/http/forms.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { sendCsv, sendJson } from '../platform/http/json.js';
import type { PageRenderer } from '../platform/http/pages.js';
import type { Clock } from '../platform/clock.js';
import { canReadGroup } from '../platform/auth/principal.js';
import { canReadPlan } from '../finance/plan.service.js';
import { canManageRegister } from './declarations.service.js';
import { appointmentRoles, roleLabels } from './governance.table.js';
import {
  addAppointment,
  addPerson,
  endAppointment,
  peopleAndCommittees,
  publicGoverningBody,
  saveCommittee,
  setGuardianContact,
} from './people.service.js';
import { registerOfInterests } from './register.service.js';
import { createGovernanceCache } from './governance-cache.js';
import type { DataCache } from '../platform/db/data-cache.js';

export function registerPeopleRoutes(
  app: Hono<AppEnv>,
  { db, page, cache, clock }: { db: Db; page: PageRenderer; cache: DataCache; clock: Clock },
  access: GroupAccess,
) {
  const govCache = createGovernanceCache(db, cache, clock);
  const { publicGroup, privateGroup, ancestors, crumbs, today } = access;

  // ---- the public governance page ----------------------------------------------------------

  app.get('/groups/:code/public/governance', async (c) => {
    const group = await publicGroup(c);
    const principal = c.get('principal');
    const member = canReadGroup(principal, group.id, await ancestors(group));
    const officer = member && canReadPlan(principal, group, await ancestors(group));
    const overdue = officer
      ? (await govCache.memo(group, 'register', () => registerOfInterests(db, group, today())))
          .overdue.length
      : 0;
    return page(c, 'governance-home.njk', {
      title: `${group.name}: governance`,
      group,
      body: await govCache.memo(group, 'governing-body', () =>
        publicGoverningBody(db, group, today()),
      ),
      member,
      officer,
      keeper: canManageRegister(principal, group),
      overdue,
      today: today(),
      breadcrumbs: crumbs(group),
    });
  });
  app.get('/api/v1/groups/:code/public/governance', async (c) => {
    const group = await publicGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      asAt: today(),
      ...(await govCache.memo(group, 'governing-body', () =>
        publicGoverningBody(db, group, today()),
      )),
    });
  });
  app.get('/groups/:code/public/governing-body.csv', async (c) => {
    const group = await publicGroup(c);
    const body = await govCache.memo(group, 'governing-body', () =>
      publicGoverningBody(db, group, today()),
    );
    return sendCsv(
      c,
      `governing-body-and-committees-${group.code}.csv`,
      toCsv(
        [
          { header: 'committee', value: (m) => m.committee },
          { header: 'name', value: (m) => m.name },
          { header: 'role', value: (m) => m.role },
          { header: 'voting', value: (m) => (m.voting ? 'Y' : 'N') },
          { header: 'decision_maker', value: (m) => (m.decisionMaker ? 'Y' : 'N') },
          { header: 'guardian', value: (m) => (m.guardian ? 'Y' : 'N') },
          { header: 'since', value: (m) => m.since },
          { header: 'illustrative', value: () => (body.illustrative ? 'Y' : 'N') },
        ],
        body.committees.flatMap((c) => c.members.map((m) => ({ committee: c.name, ...m }))),
      ),
    );
  });

  // ---- people, appointments and committees (officers read; the secretary keeps) -----------

  const officersGroup = async (c: Context<AppEnv>) => {
    const group = await privateGroup(c);
    if (!canReadPlan(c.get('principal'), group, await ancestors(group)))
      throw new AppError(
        'forbidden',
        `The people and committees of ${group.name}, with their contacts, are for its officers, governing body and lay members; who governs is public on its governance page`,
      );
    return group;
  };

  const peoplePage = async (
    c: Context<AppEnv>,
    group: Group,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) => {
    const all = await govCache.memo(group, 'people', () => peopleAndCommittees(db, group, today()));
    const yesNo = (name: string, preset: boolean) => [
      { value: 'yes', text: 'Yes', checked: values[name] ? values[name] === 'yes' : preset },
      { value: 'no', text: 'No', checked: values[name] ? values[name] === 'no' : !preset },
    ];
    const editing = all.committees.find((x) => String(x.id) === values.committee);
    return page(
      c,
      'governance-people.njk',
      {
        title: `${group.name}: people and committees`,
        group,
        all,
        keeper: canManageRegister(c.get('principal'), group),
        today: today(),
        values,
        personItems: [
          { value: '', text: 'Choose a person' },
          ...all.people.map((p) => ({
            value: String(p.id),
            text: p.name,
            selected: values.person === String(p.id),
          })),
        ],
        bodyItems: [
          { value: '', text: 'None: an employee in a team' },
          ...all.committees.map((x) => ({
            value: x.name,
            text: x.name,
            selected: values.body === x.name,
          })),
        ],
        roleItems: [
          { value: '', text: 'Choose a role' },
          ...appointmentRoles.map((r) => ({
            value: r,
            text: roleLabels[r],
            selected: values.role === r,
          })),
        ],
        appointmentItems: [
          { value: '', text: 'Choose an appointment' },
          ...all.people.flatMap((p) =>
            p.appointments
              .filter((a) => a.endsOn === null || a.endsOn >= today())
              .map((a) => ({
                value: String(a.id),
                text: `${p.name}: ${a.roleLabel}, ${a.body} (from ${a.startsOn})`,
                selected: values.appointment === String(a.id),
              })),
          ),
        ],
        committeeItems: [
          { value: '', text: 'A new committee' },
          ...all.committees.map((x) => ({
            value: String(x.id),
            text: x.name,
            selected: values.committee === String(x.id),
          })),
        ],
        votingItems: yesNo('voting', true),
        deciderItems: yesNo('decisionMaker', true),
        guardianItems: yesNo('guardian', false),
        layItems: yesNo('layMemberRequired', editing?.lay_member_required ?? true),
        breadcrumbs: crumbs(group, [
          { text: 'Governance', href: `/groups/${group.code}/public/governance` },
        ]),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };

  app.get('/groups/:code/governance/people', async (c) => peoplePage(c, await officersGroup(c)));
  app.get('/api/v1/groups/:code/governance/people', async (c) => {
    const group = await officersGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      asAt: today(),
      ...(await govCache.memo(group, 'people', () => peopleAndCommittees(db, group, today()))),
    });
  });
  app.get('/groups/:code/governance/people.csv', async (c) => {
    const group = await officersGroup(c);
    const all = await govCache.memo(group, 'people', () => peopleAndCommittees(db, group, today()));
    return sendCsv(
      c,
      `people-and-appointments-${group.code}.csv`,
      toCsv(
        [
          { header: 'name', value: (r) => r.name },
          { header: 'contact_email', value: (r) => r.contactEmail },
          { header: 'contact_phone', value: (r) => r.contactPhone },
          { header: 'body', value: (r) => r.body },
          { header: 'role', value: (r) => r.roleLabel },
          { header: 'voting', value: (r) => r.voting },
          { header: 'decision_maker', value: (r) => r.decisionMaker },
          { header: 'guardian', value: (r) => r.guardian },
          { header: 'starts_on', value: (r) => r.startsOn },
          { header: 'ends_on', value: (r) => r.endsOn },
          { header: 'illustrative', value: () => (all.illustrative ? 'Y' : 'N') },
        ],
        all.people.flatMap((p) =>
          p.appointments.map((a) => ({
            name: p.name,
            contactEmail: p.contactEmail,
            contactPhone: p.contactPhone,
            ...a,
            voting: a.voting ? 'Y' : 'N',
            decisionMaker: a.decisionMaker ? 'Y' : 'N',
            guardian: a.guardian ? 'Y' : 'N',
          })),
        ),
      ),
    );
  });

  const peopleForm = (
    route: string,
    change: (c: Context<AppEnv>, group: Group, v: Record<string, string>) => Promise<unknown>,
  ) =>
    formRoute(
      app,
      `/groups/:code/governance/${route}`,
      privateGroup,
      async (c, group, values) => {
        await change(c, group, values);
        return `/groups/${group.code}/governance/people`;
      },
      peoplePage,
    );
  const who = (c: Context<AppEnv>) =>
    [c.get('principal')!, c.get('clientAddress') ?? null] as const;

  peopleForm('people/add', (c, group, v) =>
    addPerson(
      db,
      ...who(c),
      group,
      {
        name: v.name ?? '',
        contactEmail: v.contactEmail ?? '',
        contactPhone: v.contactPhone ?? '',
        userEmail: v.userEmail ?? '',
      },
      clock,
    ),
  );
  peopleForm('people/appoint', (c, group, v) =>
    addAppointment(
      db,
      ...who(c),
      group,
      {
        person: v.person ?? '',
        body: v.body ?? '',
        team: v.team ?? '',
        role: v.role ?? '',
        voting: v.voting ?? '',
        decisionMaker: v.decisionMaker ?? '',
        guardian: v.guardian ?? '',
        startsOn: v.startsOn ?? '',
        endsOn: v.endsOn ?? '',
      },
      clock,
    ),
  );
  peopleForm('people/end', (c, group, v) =>
    endAppointment(
      db,
      ...who(c),
      group,
      { appointment: v.appointment ?? '', endsOn: v.appointmentEndsOn ?? '' },
      clock,
    ),
  );
  peopleForm('committees', (c, group, v) =>
    saveCommittee(
      db,
      ...who(c),
      group,
      {
        committee: v.committee ?? '',
        name: v.committeeName ?? '',
        minimumVoting: v.minimumVoting ?? '',
        layMemberRequired: v.layMemberRequired ?? '',
        terms: v.terms ?? '',
      },
      clock,
    ),
  );
  peopleForm('guardian-contact', (c, group, v) =>
    setGuardianContact(db, ...who(c), group, { contact: v.guardianContact ?? '' }, clock),
  );
}
