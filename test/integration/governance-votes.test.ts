// Member practice votes on the demo group: opening one (and a bad one re-shown), a representative's one
// ballot and every refusal (twice, late, early, not the representative, wrong kind of answer), reminders,
// turnout and the list-size-weighted result, what the public sees (totals only), CSVs, and other groups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/app.js';
import { nominateDemoRepresentative } from '../../src/governance/demo-votes.js';
import { ukToday } from '../../src/governance/votes.js';
import { AppClient } from '../support/app-client.js';
import { PASSWORD, seededApp, type Seeded } from '../support/seeded.js';
import { engines } from '../support/stores.js';

interface VoteJson {
  id: number;
  kind: string;
  question: string;
  status: string;
  weighting: string;
  turnout: {
    voted: number;
    members: number;
    votedListSize: number;
    membersListSize: number;
    listSizePercent: number | null;
  };
  practices: {
    code: string;
    name: string;
    listSize: number | null;
    voted: boolean;
    choice: string | null;
    comment: string | null;
    weight: number | null;
    representatives: { email: string }[];
  }[];
  notVoted: { code: string }[];
  reminders: { sent_by: string }[];
  results: {
    counted: { for: number; against: number; abstain: number };
    result: string;
  } | null;
}

const OPEN_DEMO = 'co-opt a member from a neighbouring group';
const CLOSED_DEMO = 'renewing the dermatology service contract';
/** Posts a form with the session's CSRF token (the page may show no form, e.g. once voted). */
const post = async (client: AppClient, action: string, fields: Record<string, string>) =>
  client.submit('/', action, fields, { csrf: await client.csrfToken() });
/** A UK calendar day from today (votes open on UK days). */
const day = (offset: number) => ukToday(new Date(Date.now() + offset * 86_400_000));
/** A number as it may appear in JSON, CSV or a page (plain or with thousands commas), on its own. */
const figure = (n: number) =>
  new RegExp(`(^|[^0-9,])(${n}|${n.toLocaleString('en-GB')})(?![0-9]|,[0-9])`);

describe.each(engines())('governance: member practice votes on %s', (engine) => {
  let seeded: Seeded;
  let admin: AppClient;
  let gp: AppClient;
  let lead: AppClient;
  let lay: AppClient;
  let brighton: AppClient;
  let anyone: AppClient;
  const votesApi = '/api/v1/groups/09G/governance/votes';
  const list = async () =>
    ((await (await admin.get(votesApi)).json()) as { votes: VoteJson[] }).votes;
  const find = async (text: string) => (await list()).find((v) => v.question.includes(text))!;
  const audited = async (action: string) =>
    seeded.store.db
      .selectFrom('audit_event')
      .select(['action', 'after_state as after'])
      .where('action', '=', action)
      .execute();

  beforeAll(async () => {
    seeded = await seededApp(engine);
    // The demo's representative (seed.ts/seeded.ts do this too once linked; it is idempotent).
    await nominateDemoRepresentative(seeded.store.db, '09G', 'gp.coastal@example.nhs.uk');
    admin = new AppClient(seeded.app);
    gp = new AppClient(seeded.app);
    lead = new AppClient(seeded.app);
    lay = new AppClient(seeded.app);
    brighton = new AppClient(seeded.app);
    anyone = new AppClient(seeded.app);
    await admin.signIn('admin.coastal@example.nhs.uk', PASSWORD);
    await gp.signIn('gp.coastal@example.nhs.uk', PASSWORD);
    await lead.signIn('lead.coastal@example.nhs.uk', PASSWORD);
    await lay.signIn('lay.coastal@example.nhs.uk', PASSWORD);
    await brighton.signIn('gp.brighton@example.nhs.uk', PASSWORD);
  }, 240_000);
  afterAll(() => seeded.close());

  it('seeds an open vote (choices sealed) and a closed one with its result, and a practice for the GP', async () => {
    const open = await find(OPEN_DEMO);
    expect(open).toMatchObject({ status: 'open', weighting: 'list_size', results: null });
    expect(open.turnout.voted).toBe(6);
    expect(open.practices.every((p) => p.choice === null && p.comment === null)).toBe(true);
    const mine = open.practices.find((p) =>
      p.representatives.some((r) => r.email === 'gp.coastal@example.nhs.uk'),
    )!;
    expect(mine.voted).toBe(false);
    const closed = await find(CLOSED_DEMO);
    expect(closed.status).toBe('closed');
    expect(closed.results!.result).toBe('carried');
    expect(closed.practices.some((p) => p.choice === 'against')).toBe(true);

    const page = await (await gp.get('/groups/09G/governance/practice-votes')).text();
    expect(page).toContain('not voted yet');
    expect(page).toContain('co-opt a member');
    expect(page).toContain('invented people and records');
  });

  it('opens a vote, and re-shows a bad one with the reasons', async () => {
    const form = '/groups/09G/governance/votes';
    const good = {
      kind: 'vote',
      question: 'Adopt the locally commissioned phlebotomy service? (test)',
      papers: 'Summary and link (test)',
      opensOn: day(0),
      closesOn: day(7),
      closesTime: '17:00',
      weighting: 'list_size',
      item: '',
    };
    const bad = await admin.submit(form, form, {
      ...good,
      question: '',
      closesOn: day(0),
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('There is a problem');
    expect(html).toContain('Enter the question');
    expect(html).toContain('The deadline must be after the opening day');
    const badItem = await admin.submit(form, form, { ...good, item: '999999' });
    expect(badItem.status).toBe(400);
    // An agenda item already decided (the demo's dermatology contract) takes no new vote.
    const decided = await seeded.store.db
      .selectFrom('gov_decision')
      .innerJoin('gov_agenda_item', 'gov_agenda_item.id', 'gov_decision.item_id')
      .innerJoin('gov_meeting', 'gov_meeting.id', 'gov_agenda_item.meeting_id')
      .innerJoin('gov_committee', 'gov_committee.id', 'gov_meeting.committee_id')
      .innerJoin('organisation', 'organisation.id', 'gov_committee.group_id')
      .select('gov_decision.item_id')
      .where('organisation.code', '=', '09G')
      .where('gov_agenda_item.for_decision', '=', true)
      .executeTakeFirstOrThrow();
    const formPage = await (await admin.get(form)).text();
    expect(formPage).not.toContain(`<option value="${decided.item_id}"`);
    const decidedItem = await admin.submit(form, form, { ...good, item: String(decided.item_id) });
    expect(decidedItem.status).toBe(400);
    expect(await decidedItem.text()).toContain('has already been decided');
    const decidedApi = await post(admin, form, { ...good, item: String(decided.item_id) });
    expect(decidedApi.status).toBe(400);
    const layOpens = await post(lay, form, good); // reads turnout; does not open votes
    expect(layOpens.status).toBe(403);
    expect(await layOpens.text()).toContain('open member votes');
    expect((await post(gp, form, good)).status).toBe(403);
    const opened = await admin.submit(form, form, good);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toMatch(/\/groups\/09G\/governance\/votes\/\d+$/);
    expect((await audited('gov_member_vote.opened')).length).toBe(1);
  });

  it('lets a representative vote once; a second ballot, a late or early one, or a non-representative is refused and audited', async () => {
    const open = await find(OPEN_DEMO);
    const ballot = `/groups/09G/governance/practice-votes/${open.id}`;
    const wrongKind = await post(gp, ballot, { choice: 'view', comment: 'A view' });
    expect(wrongKind.status).toBe(400);
    expect(await wrongKind.text()).toContain('Choose for, against or abstain');
    const cast = await post(gp, ballot, { choice: 'for', comment: 'Sensible (test)' });
    expect(cast.status).toBe(303);
    const again = await post(gp, ballot, { choice: 'against', comment: '' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('has already voted');
    const apiAgain = (await (
      await gp.get(`/api/v1/groups/09G/governance/practice-votes`)
    ).json()) as {
      open: { id: number; practices: { voted: boolean; choice: string }[] }[];
    };
    expect(apiAgain.open.find((v) => v.id === open.id)!.practices[0]).toMatchObject({
      voted: true,
      choice: 'for',
    });

    // Late: the closed demo vote.
    const closed = await find(CLOSED_DEMO);
    const late = await post(gp, `/groups/09G/governance/practice-votes/${closed.id}`, {
      choice: 'for',
      comment: '',
    });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('has passed');

    // Early: a vote opening tomorrow.
    const form = '/groups/09G/governance/votes';
    const early = await admin.submit(form, form, {
      kind: 'consultation',
      question: 'Views on the draft primary care strategy (test)',
      papers: 'Draft strategy (test)',
      opensOn: day(1),
      closesOn: day(9),
      closesTime: '12:00',
      weighting: 'practice',
      item: '',
    });
    const earlyId = early.headers.get('location')!.split('/').at(-1)!;
    const tooSoon = await post(gp, `/groups/09G/governance/practice-votes/${earlyId}`, {
      choice: 'view',
      comment: 'Too soon',
    });
    expect(tooSoon.status).toBe(409);
    expect(await tooSoon.text()).toContain('no ballot can be cast before then');

    // Not the practice's representative (the lead represents no practice).
    const notRep = await post(lead, ballot, {
      choice: 'for',
      comment: '',
    });
    expect(notRep.status).toBe(403);
    expect(await notRep.text()).toContain('not a nominated representative');
    const named = await post(lead, ballot, {
      practice: open.practices[1]!.code,
      choice: 'for',
      comment: '',
    });
    expect(named.status).toBe(403);

    const refusals = (await audited('gov_member_ballot.refused')).map(
      (r) => (r.after as { reason: string }).reason,
    );
    for (const reason of [
      "choice 'view' on a vote",
      'second ballot from the practice',
      'after the deadline',
      'before the vote opened',
      'not the practice’s nominated representative',
    ])
      expect(refusals, reason).toContain(reason);
    const ballots = await seeded.store.db
      .selectFrom('gov_member_ballot')
      .select(['vote_id', 'choice'])
      .where('cast_by', '=', 'gp.coastal@example.nhs.uk')
      .execute();
    expect(ballots).toEqual([{ vote_id: open.id, choice: 'for' }]); // nothing else saved
  });

  it('keeps one ballot per practice when two arrive at once', async () => {
    const form = '/groups/09G/governance/votes';
    const opened = await admin.submit(form, form, {
      kind: 'vote',
      question: 'Race test (test)',
      papers: 'None',
      opensOn: day(0),
      closesOn: day(3),
      closesTime: '17:00',
      weighting: 'practice',
      item: '',
    });
    const id = opened.headers.get('location')!.split('/').at(-1)!;
    const ballot = `/groups/09G/governance/practice-votes/${id}`;
    const statuses = (
      await Promise.all(
        ['for', 'against', 'abstain'].map((choice) => post(gp, ballot, { choice, comment: '' })),
      )
    )
      .map((r) => r.status)
      .sort();
    expect(statuses).toEqual([303, 409, 409]);
    const rows = await seeded.store.db
      .selectFrom('gov_member_ballot')
      .select('choice')
      .where('vote_id', '=', Number(id))
      .execute();
    expect(rows).toHaveLength(1);
    // Refused by the check or, when both passed it together, by the primary key: a 409 either way.
    const refused = await seeded.store.db
      .selectFrom('audit_event')
      .select('after_state')
      .where('action', '=', 'gov_member_ballot.refused')
      .where('entity_id', '=', id)
      .execute();
    expect(refused).toHaveLength(2);
    for (const r of refused)
      expect((r.after_state as { reason: string }).reason).toMatch(/^second ballot/);
  });

  it('records a practice’s paper return for it (once), and removes a representative', async () => {
    const form = '/groups/09G/governance/votes';
    const opened = await admin.submit(form, form, {
      kind: 'vote',
      question: 'Paper return test (test)',
      papers: 'None',
      opensOn: day(0),
      closesOn: day(3),
      closesTime: '17:00',
      weighting: 'practice',
      item: '',
    });
    const id = opened.headers.get('location')!.split('/').at(-1)!;
    const page = `${form}/${id}`;
    const detail = async () => (await (await admin.get(`${votesApi}/${id}`)).json()) as VoteJson;
    const practice = (await detail()).notVoted[5]!.code;
    // Only those who run votes record a return: a lay member reads the vote but is refused.
    expect(
      (
        await post(lay, `${page}/paper-return`, {
          returnPractice: practice,
          choice: 'for',
          comment: '',
        })
      ).status,
    ).toBe(403);
    const missing = await admin.submit(page, `${page}/paper-return`, {
      returnPractice: '',
      choice: 'for',
      comment: '',
    });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Choose the member practice whose return this is');
    const recorded = await admin.submit(page, `${page}/paper-return`, {
      returnPractice: practice,
      choice: 'against',
      comment: 'Signed return received by post (test)',
    });
    expect(recorded.status).toBe(303);
    const row = await seeded.store.db
      .selectFrom('gov_member_ballot')
      .innerJoin('organisation', 'organisation.id', 'gov_member_ballot.practice_id')
      .select(['on_behalf', 'choice', 'cast_by'])
      .where('vote_id', '=', Number(id))
      .where('organisation.code', '=', practice)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      on_behalf: true,
      choice: 'against',
      cast_by: 'admin.coastal@example.nhs.uk',
    });
    // It is the practice's one ballot.
    expect(
      (
        await post(admin, `${page}/paper-return`, {
          returnPractice: practice,
          choice: 'for',
          comment: '',
        })
      ).status,
    ).toBe(409);

    // A representative removed can no longer cast the practice's ballot.
    const other = (await detail()).notVoted[6]!.code;
    expect(
      (
        await admin.submit(form, `${form}/representatives`, {
          practice: other,
          email: 'lead.coastal@example.nhs.uk',
        })
      ).status,
    ).toBe(303);
    const reps = (await (await admin.get(votesApi)).json()) as {
      representatives: {
        practice_code: string;
        practice_id: number;
        user_id: number;
        email: string;
      }[];
    };
    const rep = reps.representatives.find(
      (r) => r.practice_code === other && r.email === 'lead.coastal@example.nhs.uk',
    )!;
    expect(
      (
        await post(lay, `${form}/representatives/remove`, {
          representative: `${rep.practice_id}:${rep.user_id}`,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await admin.submit(form, `${form}/representatives/remove`, {
          representative: `${rep.practice_id}:${rep.user_id}`,
        })
      ).status,
    ).toBe(303);
    const ballot = `/groups/09G/governance/practice-votes/${id}`;
    expect((await post(lead, ballot, { practice: other, choice: 'for', comment: '' })).status).toBe(
      403,
    );
    expect(await audited('gov_practice_voter.removed')).toHaveLength(1);
  });

  it('takes a view on a consultation, never for or against', async () => {
    const form = '/groups/09G/governance/votes';
    const opened = await admin.submit(form, form, {
      kind: 'consultation',
      question: 'Views on extended opening hours (test)',
      papers: 'Options paper (test)',
      opensOn: day(0),
      closesOn: day(5),
      closesTime: '09:30',
      weighting: 'practice',
      item: '',
    });
    const id = opened.headers.get('location')!.split('/').at(-1)!;
    const ballot = `/groups/09G/governance/practice-votes/${id}`;
    const forIt = await post(gp, ballot, { choice: 'for', comment: 'Yes' });
    expect(forIt.status).toBe(400);
    expect(await forIt.text()).toContain('A consultation takes a view');
    const empty = await post(gp, ballot, { choice: 'view', comment: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Enter the practice’s view');
    expect(
      (await post(gp, ballot, { choice: 'view', comment: 'Evenings, not Saturdays' })).status,
    ).toBe(303);
    const refusals = (await audited('gov_member_ballot.refused')).map(
      (r) => (r.after as { reason: string }).reason,
    );
    expect(refusals).toContain("choice 'for' on a consultation");
  });

  it('records reminders to the practices not yet voted, only while open', async () => {
    const open = await find(OPEN_DEMO);
    const page = `/groups/09G/governance/votes/${open.id}`;
    const before = await (await admin.get(page)).text();
    expect(before).toContain('not yet');
    expect(before).toContain('Record that the reminder was sent');
    expect((await post(lay, `${page}/reminders`, {})).status).toBe(403);
    const sent = await admin.submit(page, `${page}/reminders`, {});
    expect(sent.status).toBe(303);
    const after = await (await admin.get(page)).text();
    expect(after).toContain('Last reminder sent');
    expect(after).toContain('by admin.coastal@example.nhs.uk');
    const v = await find(OPEN_DEMO);
    expect(v.reminders[0]!.sent_by).toBe('admin.coastal@example.nhs.uk');
    const reminded = await audited('gov_member_vote.reminded');
    expect((reminded[0]!.after as { practices: string[] }).practices).toHaveLength(
      v.notVoted.length,
    );
    const closed = await find(CLOSED_DEMO);
    const closedPage = `/groups/09G/governance/votes/${closed.id}`;
    expect((await post(admin, `${closedPage}/reminders`, {})).status).toBe(400);
  });

  it('publishes nothing before the deadline, links the result to the decision, and serves CSVs', async () => {
    const pub = (await (await anyone.get('/api/v1/groups/09G/public/votes')).json()) as {
      votes: {
        question: string;
        decision: { meetingId: number; decision: string } | null;
      }[];
    };
    expect(pub.votes.map((v) => v.question).some((q) => q.includes(OPEN_DEMO))).toBe(false);
    const closed = pub.votes.find((v) => v.question.includes(CLOSED_DEMO))!;
    expect(closed.decision!.decision).toContain('Renew the dermatology contract');
    const page = await (await anyone.get('/groups/09G/public/votes')).text();
    expect(page).toContain(`/groups/09G/public/meetings/${closed.decision!.meetingId}`);

    const open = await find(OPEN_DEMO);
    for (const [client, url] of [
      [admin, '/groups/09G/governance/votes.csv'],
      [admin, `/groups/09G/governance/votes/${open.id}/practices.csv`],
      [gp, '/groups/09G/governance/practice-votes.csv'],
      [anyone, '/groups/09G/public/votes.csv'],
    ] as const) {
      const r = await client.get(url);
      expect(r.status, url).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/csv');
    }
    // While open, the officers' CSV has no choices.
    const practicesCsv = await (
      await admin.get(`/groups/09G/governance/votes/${open.id}/practices.csv`)
    ).text();
    expect(practicesCsv).not.toMatch(/,(for|against|abstain),/);
  });

  it('keeps the private pages from other groups, the public and plain members', async () => {
    const open = await find(OPEN_DEMO);
    for (const url of [
      '/groups/09G/governance/votes',
      `/groups/09G/governance/votes/${open.id}`,
      '/groups/09G/governance/practice-votes',
      `/groups/09G/governance/practice-votes/${open.id}`,
      '/api/v1/groups/09G/governance/votes',
      `/api/v1/groups/09G/governance/votes/${open.id}`,
      '/api/v1/groups/09G/governance/practice-votes',
      '/groups/09G/governance/votes.csv',
    ])
      expect((await brighton.get(url)).status, url).toBe(403);
    expect((await anyone.get('/api/v1/groups/09G/governance/votes')).status).toBe(401);
    expect((await gp.get('/groups/09G/governance/votes')).status).toBe(403);
    expect((await gp.get(`/api/v1/groups/09G/governance/votes/${open.id}`)).status).toBe(403);
    expect((await lay.get('/groups/09G/governance/votes')).status).toBe(200);
    expect((await admin.get('/api/v1/groups/09G/governance/votes/999999')).status).toBe(404);
    expect((await anyone.get('/groups/09G/public/votes')).status).toBe(200);
  });

  it('nominates representatives: a user of the group, for a member practice', async () => {
    const form = '/groups/09G/governance/votes';
    const open = await find(OPEN_DEMO);
    const practice = open.practices[2]!.code;
    const outsider = await admin.submit(form, `${form}/representatives`, {
      practice,
      email: 'gp.brighton@example.nhs.uk',
    });
    expect(outsider.status).toBe(400);
    expect(await outsider.text()).toContain('a user with a role in');
    expect(
      (
        await admin.submit(form, `${form}/representatives`, {
          practice: 'NOPE1',
          email: 'lead.coastal@example.nhs.uk',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await post(lay, `${form}/representatives`, {
          practice,
          email: 'lead.coastal@example.nhs.uk',
        })
      ).status,
    ).toBe(403);
    const ok = await admin.submit(form, `${form}/representatives`, {
      practice,
      email: 'lead.coastal@example.nhs.uk',
    });
    expect(ok.status).toBe(303);
    const again = await admin.submit(form, `${form}/representatives`, {
      practice,
      email: 'lead.coastal@example.nhs.uk',
    });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already a representative');
    // That practice voted in the demo already: the lead's ballot is refused as a second one.
    const ballot = `/groups/09G/governance/practice-votes/${open.id}`;
    const second = await post(lead, ballot, { choice: 'for', comment: '' });
    expect(second.status).toBe(409);
  });

  it('nominates once when the same nomination arrives twice at once', async () => {
    const form = '/groups/09G/governance/votes';
    const open = await find(OPEN_DEMO);
    const practice = open.practices[3]!.code;
    const fields = { practice, email: 'finance.coastal@example.nhs.uk' };
    const responses = await Promise.all([
      post(admin, `${form}/representatives`, fields),
      post(admin, `${form}/representatives`, fields),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([303, 400]);
    const refused = responses.find((r) => r.status === 400)!;
    expect(await refused.text()).toContain('already a representative');
    const rows = await seeded.store.db
      .selectFrom('gov_practice_voter')
      .innerJoin('app_user', 'app_user.id', 'gov_practice_voter.user_id')
      .innerJoin('organisation', 'organisation.id', 'gov_practice_voter.practice_id')
      .select('app_user.email')
      .where('organisation.code', '=', practice)
      .where('app_user.email', '=', 'finance.coastal@example.nhs.uk')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('opens on the UK day: a ballot at 23:30 UTC the evening before, in summer time, is accepted', async () => {
    const bst = createApp({
      db: seeded.store.db,
      facts: seeded.facts,
      config: { demo: false, secureCookies: false },
      clock: () => new Date('2026-06-10T23:30:00Z'), // 00:30 on 11 June in the UK
      dataCacheTtlMs: 0,
      sessionCacheTtlMs: 0,
    });
    const officer = new AppClient(bst);
    const rep = new AppClient(bst);
    await officer.signIn('admin.coastal@example.nhs.uk', PASSWORD);
    await rep.signIn('gp.coastal@example.nhs.uk', PASSWORD);
    const form = '/groups/09G/governance/votes';
    const opened = await officer.submit(form, form, {
      kind: 'vote',
      question: 'Summer time test (test)',
      papers: 'None',
      opensOn: '2026-06-11',
      closesOn: '2026-06-18',
      closesTime: '17:00',
      weighting: 'practice',
      item: '',
    });
    expect(opened.status).toBe(303);
    const id = opened.headers.get('location')!.split('/').at(-1)!;
    const cast = await post(rep, `/groups/09G/governance/practice-votes/${id}`, {
      choice: 'abstain',
      comment: '',
    });
    expect(cast.status).toBe(303);
    const yesterday = await officer.submit(form, form, {
      kind: 'vote',
      question: 'Opening yesterday (test)',
      papers: 'None',
      opensOn: '2026-06-10',
      closesOn: '2026-06-18',
      closesTime: '17:00',
      weighting: 'practice',
      item: '',
    });
    expect(yesterday.status).toBe(400);
    expect(await yesterday.text()).toContain('The opening date cannot be in the past');
  });
  it('after the deadline: turnout and the list-size-weighted result; the public sees totals only', async () => {
    // The same store a month later: the open demo vote has closed. (Last: signing in then ends
    // every session that would have expired by that day.)
    const later = createApp({
      db: seeded.store.db,
      facts: seeded.facts,
      config: { demo: false, secureCookies: false },
      clock: () => new Date(Date.now() + 30 * 86_400_000),
      dataCacheTtlMs: 0,
      sessionCacheTtlMs: 0,
    });
    const officer = new AppClient(later);
    await officer.signIn('admin.coastal@example.nhs.uk', PASSWORD);
    const all = ((await (await officer.get(votesApi)).json()) as { votes: VoteJson[] }).votes;
    const v = all.find((x) => x.question.includes(OPEN_DEMO))!;
    expect(v.status).toBe('closed');
    expect(v.turnout.voted).toBe(7);
    const voted = v.practices.filter((p) => p.voted);
    // Each ballot weighs the practice's list size; totals, turnout share and result follow.
    for (const p of voted) expect(p.weight).toBe(p.listSize ?? 0);
    const sum = (choice: string) =>
      voted.filter((p) => p.choice === choice).reduce((s, p) => s + (p.weight ?? 0), 0);
    expect(v.results!.counted).toEqual({
      for: sum('for'),
      against: sum('against'),
      abstain: sum('abstain'),
    });
    expect(v.results!.result).toBe(sum('for') > sum('against') ? 'carried' : 'not carried');
    expect(v.turnout.votedListSize).toBe(voted.reduce((s, p) => s + (p.listSize ?? 0), 0));
    expect(v.turnout.membersListSize).toBe(v.practices.reduce((s, p) => s + (p.listSize ?? 0), 0));
    const gpPractice = v.practices.find((p) =>
      p.representatives.some((r) => r.email === 'gp.coastal@example.nhs.uk'),
    )!;
    expect(gpPractice).toMatchObject({ choice: 'for', comment: 'Sensible (test)' });

    // The public: totals and result, never a practice's choice, comment, or representative.
    const publicClient = new AppClient(later);
    const response = await publicClient.get('/api/v1/groups/09G/public/votes');
    expect(response.status).toBe(200);
    const text = await response.text();
    const body = JSON.parse(text) as {
      votes: { question: string; result: string; totals: { for: { listSize: number } } }[];
    };
    const pub = body.votes.find((x) => x.question.includes(OPEN_DEMO))!;
    expect(pub.result).toBe(v.results!.result);
    expect(pub.totals.for.listSize).toBe(sum('for'));
    const page = await (await publicClient.get('/groups/09G/public/votes')).text();
    const csv = await (await publicClient.get('/groups/09G/public/votes.csv')).text();

    // One practice voted against and one abstained: their list sizes (public elsewhere) would
    // give their votes away, so those totals, and the list size that voted, are not published.
    const against = voted.filter((p) => p.choice === 'against');
    const abstained = voted.filter((p) => p.choice === 'abstain');
    expect(against).toHaveLength(1);
    expect(abstained).toHaveLength(1);
    expect(v.results!.counted.against).toBe(against[0]!.listSize); // officers see it
    expect(pub).toMatchObject({
      totals: {
        for: { practices: voted.length - 2, suppressed: false },
        against: { practices: 1, listSize: null, suppressed: true },
        abstain: { practices: 1, listSize: null, suppressed: true },
      },
      counted: { for: sum('for'), against: null, abstain: null },
      turnout: { voted: 7, votedListSize: null, listSizePercent: null },
      suppressed: true,
    });
    for (const hidden of [sum('against'), sum('abstain'), v.turnout.votedListSize]) {
      expect(text, String(hidden)).not.toMatch(figure(hidden));
      expect(csv, String(hidden)).not.toMatch(figure(hidden));
      expect(page, String(hidden)).not.toMatch(figure(hidden));
    }
    expect(page).toMatch(figure(sum('for')));
    expect(page).toContain('not shown: fewer than 3 practices');
    expect(page).toContain('to keep each practice’s vote private');
    expect(csv).toContain('fewer than 3 practices made a choice');
    for (const leak of [
      '@',
      'Sensible (test)',
      'rather defer',
      'Waiting times are still too long',
      gpPractice.code,
      gpPractice.name,
      '"choice"',
      'cast_by',
      'representatives',
    ]) {
      expect(text, leak).not.toContain(leak);
      expect(csv, leak).not.toContain(leak);
    }
    for (const leak of ['Sensible (test)', 'rather defer', 'gp.coastal', gpPractice.code])
      expect(page, leak).not.toContain(leak);
    expect(page).toContain('Result: ');
    expect(page).toContain('invented people and records');
  });
});
