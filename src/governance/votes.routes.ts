// HTTP routes for member practice votes and consultations: pages, JSON API and CSV for the group's
// officers (every vote, turnout, reminders, results), its practices' representatives (what is open for
// them, and their ballot) and the public (closed votes' totals and result, never a practice's choice).
import type { Context, Hono } from 'hono';
import type { GroupAccess } from '../organisations/group-access.js';
import { listMembers } from '../organisations/group.repository.js';
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
import { canReadPlan } from '../finance/plan.service.js';
import {
  ballotForm,
  canManageVotes,
  castBallot,
  decisionItems,
  listVotes,
  nominateRepresentative,
  openVote,
  practiceVotes,
  publicResults,
  recordReminder,
  removeRepresentative,
  representatives,
  voteDetail,
} from './votes.service.js';
import { choiceLabels, choicesFor, kindLabels, resultRule, weightingLabels } from './votes.js';
import { createGovernanceCache } from './governance-cache.js';
import { isRowId } from '../platform/db/ids.js';

const method =
  'Turnout: member practices that cast a ballot, out of the practices that belonged to the group on the day the vote opened (or on its last day, for a group that has closed). List sizes: each practice’s registered patients on the most recent extract held on that day.';

const resultLabel = (r: { result: string } | null) => r?.result ?? '';

export function registerVoteRoutes(
  app: Hono<AppEnv>,
  { db, page, cache, clock }: { db: Db; page: PageRenderer; cache: DataCache; clock: Clock },
  access: GroupAccess,
) {
  const govCache = createGovernanceCache(db, cache, clock);
  const { publicGroup, privateGroup, ancestors, crumbs } = access;
  const voteId = (c: Context<AppEnv>) => {
    const id = Number(c.req.param('id'));
    if (!isRowId(id)) throw new AppError('not_found', 'No such member vote');
    return id;
  };

  /** Votes' turnout and (after the close) results are for the group's officers and governing body. */
  const officersGroup = async (c: Context<AppEnv>) => {
    const group = await privateGroup(c);
    const principal = c.get('principal');
    if (!canReadPlan(principal, group, await ancestors(group)) && !canManageVotes(principal, group))
      throw new AppError(
        'forbidden',
        `Member votes' turnout and results of ${group.name} are for its officers; practices see their own votes at /groups/${group.code}/governance/practice-votes, and results are public once a vote closes`,
      );
    return group;
  };
  const crumbsOf = (group: Group) =>
    crumbs(group, [{ text: 'Member votes', href: `/groups/${group.code}/governance/votes` }]);

  // ---- officers: every vote, opening one, representatives -----------------------------------

  const votesPage = async (
    c: Context<AppEnv>,
    group: Group,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) => {
    const principal = c.get('principal')!;
    const manager = canManageVotes(principal, group);
    const r = await govCache.memo(group, 'votes', () => listVotes(db, group, clock()));
    const items = manager
      ? await govCache.memo(group, 'decision-items', () => decisionItems(db, group))
      : [];
    const members = manager
      ? await govCache.memo(group, 'members', () => listMembers(db, group.id, group.as_at))
      : [];
    return page(
      c,
      'governance-votes.njk',
      {
        title: `${group.name}: member practice votes`,
        group,
        r,
        manager,
        reps: await govCache.memo(group, 'representatives', () => representatives(db, group)),
        method,
        kindItems: Object.keys(kindLabels).map((value) => ({
          value,
          text: value === 'vote' ? 'A vote (for, against or abstain)' : 'A consultation (views)',
          checked: values.kind === value,
        })),
        weightingItems: Object.entries(weightingLabels).map(([value, text]) => ({
          value,
          text,
          checked: values.weighting === value,
        })),
        itemItems: [
          { value: '', text: 'None' },
          // An item already decided takes no new vote.
          ...items
            .filter((i) => i.decision === null)
            .map((i) => ({
              value: String(i.id),
              text: `${i.held_on} ${i.meeting}: ${i.title}`,
              selected: values.item === String(i.id),
            })),
        ],
        practiceItems: [
          { value: '', text: 'Choose a member practice' },
          ...members.map((m) => ({
            value: m.code,
            text: `${m.name} (${m.code})`,
            selected: values.practice === m.code,
          })),
        ],
        representativeItems: [
          { value: '', text: 'Choose a representative' },
          ...(await govCache.memo(group, 'representatives', () => representatives(db, group))).map(
            (r) => ({
              value: `${r.practice_id}:${r.user_id}`,
              text: `${r.practice_name} (${r.practice_code}): ${r.email}`,
              selected: values.representative === `${r.practice_id}:${r.user_id}`,
            }),
          ),
        ],
        values,
        today: access.today(),
        breadcrumbs: crumbs(group),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };
  app.get('/groups/:code/governance/votes', async (c) => votesPage(c, await officersGroup(c)));
  formRoute(
    app,
    '/groups/:code/governance/votes',
    officersGroup,
    async (c, group, v) => {
      const id = await openVote(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        {
          kind: v.kind ?? '',
          question: v.question ?? '',
          papers: v.papers ?? '',
          opensOn: v.opensOn ?? '',
          closesOn: v.closesOn ?? '',
          closesTime: v.closesTime ?? '',
          weighting: v.weighting ?? '',
          item: v.item ?? '',
        },
        clock,
      );
      return `/groups/${group.code}/governance/votes/${id}`;
    },
    votesPage,
  );
  formRoute(
    app,
    '/groups/:code/governance/votes/representatives/remove',
    officersGroup,
    async (c, group, v) => {
      await removeRepresentative(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        { representative: v.representative ?? '' },
        clock,
      );
      return `/groups/${group.code}/governance/votes#representatives`;
    },
    votesPage,
  );
  formRoute(
    app,
    '/groups/:code/governance/votes/representatives',
    officersGroup,
    async (c, group, v) => {
      await nominateRepresentative(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        { practice: v.practice ?? '', email: v.email ?? '' },
        clock,
      );
      return `/groups/${group.code}/governance/votes#representatives`;
    },
    votesPage,
  );
  app.get('/api/v1/groups/:code/governance/votes', async (c) => {
    const group = await officersGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      ...(await govCache.memo(group, 'votes', () => listVotes(db, group, clock()))),
      representatives: await govCache.memo(group, 'representatives', () =>
        representatives(db, group),
      ),
      method,
    });
  });
  app.get('/groups/:code/governance/votes.csv', async (c) => {
    const group = await officersGroup(c);
    const r = await govCache.memo(group, 'votes', () => listVotes(db, group, clock()));
    return sendCsv(
      c,
      `member-votes-${group.code}.csv`,
      toCsv(
        [
          { header: 'vote', value: (v) => v.id },
          { header: 'kind', value: (v) => v.kind },
          { header: 'question', value: (v) => v.question },
          { header: 'opens_on', value: (v) => v.opensOn },
          { header: 'closes_at', value: (v) => v.closesAt.toISOString() },
          { header: 'weighting', value: (v) => v.weighting },
          { header: 'status', value: (v) => v.status },
          { header: 'practices_voted', value: (v) => v.turnout.voted },
          { header: 'member_practices', value: (v) => v.turnout.members },
          { header: 'list_size_voted', value: (v) => v.turnout.votedListSize },
          { header: 'list_size_members', value: (v) => v.turnout.membersListSize },
          { header: 'for', value: (v) => v.results?.counted.for },
          { header: 'against', value: (v) => v.results?.counted.against },
          { header: 'abstain', value: (v) => v.results?.counted.abstain },
          { header: 'views', value: (v) => v.results?.tally.views },
          { header: 'result', value: (v) => resultLabel(v.results) },
          { header: 'agenda_item', value: (v) => v.item?.item },
          { header: 'illustrative', value: (v) => (v.illustrative ? 'Y' : 'N') },
        ],
        r.votes,
      ),
    );
  });

  // ---- officers: one vote ------------------------------------------------------------------

  /** An officers' form about one vote: the group (checking access), then the vote's id. */
  const officersVote = async (c: Context<AppEnv>) => {
    const group = await officersGroup(c);
    return { group, id: voteId(c) };
  };
  const votePage = async (
    c: Context<AppEnv>,
    group: Group,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) => {
    const v = await voteDetail(db, group, voteId(c), clock());
    const emails = [...new Set(v.notVoted.flatMap((p) => p.representatives.map((r) => r.email)))];
    return page(
      c,
      'governance-votes-one.njk',
      {
        title: `${group.name}: ${v.kindLabel.toLowerCase()} — ${v.question}`,
        group,
        v,
        emails,
        noRepresentative: v.notVoted.filter((p) => !p.representatives.length).map((p) => p.name),
        manager: canManageVotes(c.get('principal'), group),
        method,
        returnPracticeItems: [
          { value: '', text: 'Choose the practice' },
          ...v.notVoted.map((p) => ({
            value: p.code,
            text: `${p.name} (${p.code})`,
            selected: values.returnPractice === p.code,
          })),
        ],
        returnChoiceItems: choicesFor(v.kind)
          .filter((x) => x !== 'view')
          .map((x) => ({ value: x, text: choiceLabels[x], checked: values.choice === x })),
        values,
        breadcrumbs: crumbsOf(group),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };
  app.get('/groups/:code/governance/votes/:id', async (c) => votePage(c, await officersGroup(c)));
  app.get('/api/v1/groups/:code/governance/votes/:id', async (c) => {
    const group = await officersGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      ...(await voteDetail(db, group, voteId(c), clock())),
      method,
    });
  });
  app.get('/groups/:code/governance/votes/:id/practices.csv', async (c) => {
    const group = await officersGroup(c);
    const v = await voteDetail(db, group, voteId(c), clock());
    return sendCsv(
      c,
      `member-vote-${v.id}-practices-${group.code}.csv`,
      toCsv(
        [
          { header: 'practice_code', value: (p) => p.code },
          { header: 'practice', value: (p) => p.name },
          { header: 'list_size', value: (p) => p.listSize },
          { header: 'voted', value: (p) => (p.voted ? 'Y' : 'N') },
          { header: 'cast_at', value: (p) => p.castAt?.toISOString() },
          { header: 'weight', value: (p) => p.weight },
          // Empty until the deadline: choices stay sealed while the vote is open.
          { header: 'choice', value: (p) => p.choice },
          { header: 'comment', value: (p) => p.comment },
          {
            header: 'representatives',
            value: (p) => p.representatives.map((r) => r.email).join('; '),
          },
        ],
        v.practices,
      ),
    );
  });
  // A practice's signed paper return, recorded by the secretary for it (marked as such).
  formRoute(
    app,
    '/groups/:code/governance/votes/:id/paper-return',
    officersVote,
    async (c, { group, id }, v) => {
      await castBallot(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        id,
        {
          practice: v.returnPractice ?? '',
          choice: v.choice ?? '',
          comment: v.comment ?? '',
          onBehalf: 'yes',
        },
        clock,
      );
      return `/groups/${group.code}/governance/votes/${id}#paper-return`;
    },
    (c, { group }, problems, values) => votePage(c, group, problems, values),
  );
  formRoute(
    app,
    '/groups/:code/governance/votes/:id/reminders',
    officersVote,
    async (c, { group, id }) => {
      await recordReminder(db, c.get('principal')!, c.get('clientAddress'), group, id, clock);
      return `/groups/${group.code}/governance/votes/${id}#reminders`;
    },
    (c, { group }, problems, values) => votePage(c, group, problems, values),
  );

  // ---- practices: what is open for them, and their ballot ----------------------------------

  app.get('/groups/:code/governance/practice-votes', async (c) => {
    const group = await privateGroup(c);
    return page(c, 'governance-votes-practice.njk', {
      title: `${group.name}: votes open for your practice`,
      group,
      r: await practiceVotes(db, c.get('principal')!, group, clock()),
      officer:
        canReadPlan(c.get('principal'), group, await ancestors(group)) ||
        canManageVotes(c.get('principal'), group),
      rule: resultRule,
      breadcrumbs: crumbs(group),
    });
  });
  app.get('/api/v1/groups/:code/governance/practice-votes', async (c) => {
    const group = await privateGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      ...(await practiceVotes(db, c.get('principal')!, group, clock())),
    });
  });
  app.get('/groups/:code/governance/practice-votes.csv', async (c) => {
    const group = await privateGroup(c);
    const r = await practiceVotes(db, c.get('principal')!, group, clock());
    const rows = [...r.open, ...r.upcoming, ...r.closed].flatMap((v) =>
      v.practices.map((p) => ({ v, p })),
    );
    return sendCsv(
      c,
      `practice-votes-${group.code}.csv`,
      toCsv(
        [
          { header: 'vote', value: (x) => x.v.id },
          { header: 'kind', value: (x) => x.v.kind },
          { header: 'question', value: (x) => x.v.question },
          { header: 'opens_on', value: (x) => x.v.opensOn },
          { header: 'closes_at', value: (x) => x.v.closesAt.toISOString() },
          { header: 'status', value: (x) => x.v.status },
          { header: 'practice_code', value: (x) => x.p.code },
          { header: 'practice', value: (x) => x.p.name },
          { header: 'voted', value: (x) => (x.p.voted ? 'Y' : 'N') },
          { header: 'choice', value: (x) => x.p.choice },
          { header: 'cast_at', value: (x) => x.p.castAt?.toISOString() },
        ],
        rows,
      ),
    );
  });

  const ballotPage = async (
    c: Context<AppEnv>,
    group: Group,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) => {
    const f = await ballotForm(db, c.get('principal')!, group, voteId(c), clock());
    const waiting = f.vote.practices.filter((p) => !p.voted);
    return page(
      c,
      'governance-votes-ballot.njk',
      {
        title: `${group.name}: ${f.vote.kindLabel.toLowerCase()} — ${f.vote.question}`,
        group,
        v: f.vote,
        waiting,
        practiceItems: [
          ...(waiting.length > 1 ? [{ value: '', text: 'Choose the practice' }] : []),
          ...waiting.map((p) => ({
            value: p.code,
            text: `${p.name} (${p.code})`,
            selected: values.practice === p.code,
          })),
        ],
        choiceItems: f.choices
          .filter((x) => x !== 'view')
          .map((x) => ({ value: x, text: choiceLabels[x], checked: values.choice === x })),
        values,
        breadcrumbs: crumbs(group, [
          {
            text: 'Votes open for your practice',
            href: `/groups/${group.code}/governance/practice-votes`,
          },
        ]),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };
  app.get('/groups/:code/governance/practice-votes/:id', async (c) =>
    ballotPage(c, await privateGroup(c)),
  );
  formRoute(
    app,
    '/groups/:code/governance/practice-votes/:id',
    async (c) => {
      const group = await privateGroup(c);
      return { group, id: voteId(c) };
    },
    async (c, { group, id }, v) => {
      await castBallot(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        id,
        { practice: v.practice ?? '', choice: v.choice ?? '', comment: v.comment ?? '' },
        clock,
      );
      return `/groups/${group.code}/governance/practice-votes/${id}`;
    },
    (c, { group }, problems, values) => ballotPage(c, group, problems, values),
  );

  // ---- public: closed votes' totals and results ---------------------------------------------

  app.get('/groups/:code/public/votes', async (c) => {
    const group = await publicGroup(c);
    return page(c, 'governance-votes-public.njk', {
      title: `${group.name}: member practice votes`,
      group,
      r: await govCache.memo(group, 'public-votes', () => publicResults(db, group, clock())),
      method,
      today: access.today(),
      breadcrumbs: crumbs(group),
    });
  });
  app.get('/api/v1/groups/:code/public/votes', async (c) => {
    const group = await publicGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      asAt: access.today(),
      ...(await govCache.memo(group, 'public-votes', () => publicResults(db, group, clock()))),
      method,
    });
  });
  app.get('/groups/:code/public/votes.csv', async (c) => {
    const group = await publicGroup(c);
    const r = await govCache.memo(group, 'public-votes', () => publicResults(db, group, clock()));
    return sendCsv(
      c,
      `member-votes-results-${group.code}.csv`,
      toCsv(
        [
          { header: 'kind', value: (v) => v.kind },
          { header: 'question', value: (v) => v.question },
          { header: 'opens_on', value: (v) => v.opensOn },
          { header: 'closes_at', value: (v) => v.closesAt.toISOString() },
          { header: 'weighting', value: (v) => v.weighting },
          { header: 'practices_voted', value: (v) => v.turnout.voted },
          { header: 'member_practices', value: (v) => v.turnout.members },
          { header: 'turnout_percent', value: (v) => v.turnout.percent },
          { header: 'list_size_turnout_percent', value: (v) => v.turnout.listSizePercent },
          { header: 'for_practices', value: (v) => v.totals.for.practices },
          { header: 'against_practices', value: (v) => v.totals.against.practices },
          { header: 'abstain_practices', value: (v) => v.totals.abstain.practices },
          { header: 'for_list_size', value: (v) => v.totals.for.listSize },
          { header: 'against_list_size', value: (v) => v.totals.against.listSize },
          { header: 'abstain_list_size', value: (v) => v.totals.abstain.listSize },
          // Blank list sizes: not shown, to keep the vote of each of one or two practices private.
          {
            header: 'list_sizes_not_shown',
            value: (v) => (v.suppressed ? 'fewer than 3 practices made a choice' : ''),
          },
          { header: 'views', value: (v) => v.totals.views },
          { header: 'result', value: (v) => v.result },
          { header: 'decision', value: (v) => v.decision?.decision },
          { header: 'illustrative', value: (v) => (v.illustrative ? 'Y' : 'N') },
        ],
        r.votes,
      ),
    );
  });
}
