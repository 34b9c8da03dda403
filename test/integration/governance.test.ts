// The register of interests on the demo group's illustrative governing body: what is published to the
// public (and what never is), overdue and late declarations, versions kept, and who may see the full register.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppClient, withoutFields } from '../support/app-client.js';
import { PASSWORD, seededApp, type Seeded } from '../support/seeded.js';
import { engines } from '../support/stores.js';

interface Published {
  interests: { person: string; endedOn: string | null; counterpart: string }[];
  nothingDeclared: { person: string; nilReturnOn: string | null }[];
  guardian: { person: string }[];
  illustrative: boolean;
}
interface Full {
  people: { name: string; due: { reason: string; overdue: boolean } | null }[];
  overdue: { name: string; due: { reason: string; daysOverdue: number } }[];
  interests: {
    person: string;
    late: boolean;
    published: boolean;
    version: number;
    versions: number;
  }[];
}

describe.each(engines())('governance: register of interests on %s', (engine) => {
  let seeded: Seeded;
  let lay: AppClient;
  let gp: AppClient;
  let anyone: AppClient;
  let lead: AppClient;
  let admin: AppClient;
  beforeAll(async () => {
    seeded = await seededApp(engine);
    lay = new AppClient(seeded.app);
    gp = new AppClient(seeded.app);
    anyone = new AppClient(seeded.app);
    await lay.signIn('lay.coastal@example.nhs.uk', PASSWORD);
    await gp.signIn('gp.coastal@example.nhs.uk', PASSWORD);
    lead = new AppClient(seeded.app);
    admin = new AppClient(seeded.app);
    await lead.signIn('lead.coastal@example.nhs.uk', PASSWORD); // "Dr Bram Sample" in the register
    await admin.signIn('admin.coastal@example.nhs.uk', PASSWORD);
  }, 240_000);
  afterAll(() => seeded.close());

  it('publishes decision-makers’ interests until six months after they end, and nothing private', async () => {
    const response = await anyone.get('/api/v1/groups/09G/public/interests');
    expect(response.status).toBe(200);
    const text = await response.clone().text();
    const body = (await response.json()) as Published;
    expect(body.illustrative).toBe(true);
    const names = new Set(body.interests.map((i) => i.person));
    expect(names.has('Dr Ada Example')).toBe(true);
    expect(names.has('Eve Testcase')).toBe(true); // ended about four months ago: still published
    expect(names.has('Dr Finn Mockley')).toBe(false); // ended about eight months ago
    expect(names.has('Gus Dummy')).toBe(false); // not a decision-maker
    expect(body.nothingDeclared.map((p) => p.person)).toContain('Cara Placeholder');
    expect(body.guardian.map((g) => g.person)).toEqual(['Cara Placeholder']);
    // Contact details and internal flags never leave the full register.
    for (const leak of ['@example.org', '01632', 'contactEmail', '"late"', 'Gus Dummy'])
      expect(text, leak).not.toContain(leak);
    const page = await (await anyone.get('/groups/09G/public/interests')).text();
    expect(page).toContain('invented people and records for the demonstration');
    expect(page).not.toContain('@example.org');
    const csv = await (await anyone.get('/groups/09G/public/interests.csv')).text();
    expect(csv).not.toContain('@example.org');
    expect(csv).toContain('Sample Diagnostics');
  });

  it('lists overdue declarations and late ones, and keeps every version', async () => {
    const response = await lay.get('/api/v1/groups/09G/governance/interests');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Full;
    const overdue = new Map(body.overdue.map((p) => [p.name, p.due]));
    // Appointed 40 days ago, nothing declared since: 12 days past the 28.
    expect(overdue.get('Dr Finn Mockley')).toMatchObject({
      reason: 'on appointment',
      daysOverdue: 12,
    });
    // Last declared 400 days ago: 35 days past the year.
    expect(overdue.get('Dr Hana Imaginary')).toMatchObject({ reason: 'annual', daysOverdue: 35 });
    expect(overdue.has('Cara Placeholder')).toBe(false); // nil return 300 days ago
    const dev = body.interests.find((i) => i.person === 'Dev Fictional')!;
    expect(dev.late).toBe(true); // declared 60 days after it arose
    const bram = body.interests.filter((i) => i.person === 'Dr Bram Sample');
    expect(bram.some((i) => i.version === 2 && i.versions === 2)).toBe(true);
    expect(body.interests.find((i) => i.person === 'Gus Dummy')!.published).toBe(false);
    const page = await (await lay.get('/groups/09G/governance/interests')).text();
    expect(page).toContain('Overdue declarations');
    expect(page).toContain('finn.mockley@example.org');
  });

  it('keeps the full register from member practices and other groups', async () => {
    expect((await gp.get('/groups/09G/governance/interests')).status).toBe(403);
    expect((await gp.get('/api/v1/groups/09G/governance/interests')).status).toBe(403);
    expect((await anyone.get('/api/v1/groups/09G/governance/interests')).status).toBe(401);
    expect((await gp.get('/groups/09G/public/interests')).status).toBe(200);
    expect((await anyone.get('/api/v1/groups/NOPE/public/interests')).status).toBe(404);
  });

  it('lets a person declare, revise and end their own interest, and no one else’s', async () => {
    const form = '/groups/09G/governance/declarations';
    const mine = await (await lead.get(form)).text();
    expect(mine).toContain('Dr Bram Sample');
    const bramId = /<option value="(\d+)" selected>Dr Bram Sample<\/option>/.exec(mine)?.[1];
    expect(bramId).toBeDefined();
    const fields = {
      person: bramId!,
      category: 'financial',
      counterpart: 'Example Pathology Ltd (fictional)',
      counterpartCode: '',
      description: 'Shares in a pathology provider',
      aroseOn: '2020-01-01',
      endedOn: '',
      actionTaken: 'Leaves the room for pathology items',
    };
    const endsFirst = await lead.submit(form, form, { ...fields, endedOn: '2019-12-31' });
    expect(endsFirst.status).toBe(400);
    expect(await endsFirst.text()).toContain('The interest cannot end before it arose');
    const declared = await lead.submit(form, form, fields);
    expect(declared.status).toBe(303);
    const url = declared.headers.get('location')!;
    const revised = await lead.submit(url, url, {
      ...fields,
      endedOn: '2021-06-30',
      actionTaken: 'Shares sold',
    });
    expect(revised.status).toBe(303);
    const history = await (await lead.get(url)).text();
    expect(history).toContain('Shares sold');
    expect(history).toContain('Leaves the room for pathology items'); // version 1 kept
    // A revision cut short (no end date) is refused: it would make the ended interest current again.
    const unended = await lead.submit(
      url,
      url,
      withoutFields({ ...fields, actionTaken: 'Shares sold' }, 'endedOn'),
    );
    expect(unended.status).toBe(400);
    expect(await unended.text()).toContain(
      'Date it ended was missing from the form, so nothing was saved',
    );

    // Someone else's record: refused and audited. The administrator may record for anyone.
    const full = (await (await admin.get('/api/v1/groups/09G/governance/interests')).json()) as {
      people: { id: number; name: string }[];
    };
    const ada = full.people.find((p) => p.name === 'Dr Ada Example')!;
    const other = await lead.submit(form, form, { ...fields, person: String(ada.id) });
    expect(other.status).toBe(403);
    const audited = await seeded.store.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'gov_interest.refused')
      .execute();
    expect(audited.length).toBeGreaterThan(0);
    expect((await admin.submit(form, form, { ...fields, person: String(ada.id) })).status).toBe(
      303,
    );
    expect((await gp.submit(form, form, { ...fields, person: String(ada.id) })).status).toBe(403);

    // A nil return counts as the annual declaration.
    const hana = full.people.find((p) => p.name === 'Dr Hana Imaginary')!;
    expect(
      (
        await admin.submit(form, '/groups/09G/governance/nil-return', {
          nilPerson: String(hana.id),
        })
      ).status,
    ).toBe(303);
    const after = (await (
      await admin.get('/api/v1/groups/09G/governance/interests')
    ).json()) as Full;
    expect(after.overdue.map((p) => p.name)).not.toContain('Dr Hana Imaginary');
  });

  it('records gifts and hospitality with the day’s thresholds, approval, and what is published', async () => {
    const page = '/groups/09G/governance/gifts';
    const full = (await (await admin.get('/api/v1/groups/09G/governance/interests')).json()) as {
      people: { id: number; name: string }[];
    };
    const bram = full.people.find((p) => p.name === 'Dr Bram Sample')!;
    const ada = full.people.find((p) => p.name === 'Dr Ada Example')!;
    const offer = {
      person: String(bram.id),
      kind: 'gift',
      offeror: 'A device company (fictional)',
      fromSupplier: 'yes',
      description: 'Branded headphones',
      value: '45.00',
      offeredOn: '2024-02-01',
      accepted: 'yes',
      reason: '',
    };
    const mustDecline = await lead.submit(page, page, offer);
    expect(mustDecline.status).toBe(400);
    expect(await mustDecline.text()).toContain(
      'This must be declined: Gifts from suppliers or contractors over £6 are declined',
    );
    const future = await lead.submit(page, page, { ...offer, offeredOn: '2999-01-01' });
    expect(future.status).toBe(400);
    const huge = await lead.submit(page, page, { ...offer, value: '2147483648.99' });
    expect(huge.status).toBe(400);
    expect((await huge.text()).replaceAll('&#39;', "'")).toContain(
      'The estimated value must be no more than £1,000,000.00',
    );
    expect((await lead.submit(page, page, { ...offer, accepted: 'no' })).status).toBe(303);
    expect(
      (await lead.submit(page, page, { ...offer, person: String(ada.id), accepted: 'no' })).status,
    ).toBe(403);

    // Hospitality over £75 waits for approval by a keeper of the register, never by its recipient.
    const dinner = {
      ...offer,
      kind: 'hospitality',
      description: 'Gala dinner',
      value: '120.00',
      fromSupplier: 'no',
    };
    expect((await lead.submit(page, page, dinner)).status).toBe(303);
    const gifts = (await (await admin.get('/api/v1/groups/09G/governance/gifts')).json()) as {
      gifts: {
        id: number;
        name: string;
        description: string;
        approval: string;
        published: boolean;
        must_declare: boolean;
        ruling: string;
      }[];
    };
    const gala = gifts.gifts.find((g) => g.description === 'Gala dinner')!;
    expect(gala.approval).toBe('pending');
    expect(gala.ruling).toContain('over £75');
    const headphones = gifts.gifts.find((g) => g.description === 'Branded headphones')!;
    expect(headphones).toMatchObject({ must_declare: true, published: true }); // declined offers are declared
    expect(
      (await lead.submit(page, `${page}/decide`, { gift: String(gala.id), decision: 'approved' }))
        .status,
    ).toBe(403);
    expect(
      (await admin.submit(page, `${page}/decide`, { gift: String(gala.id), decision: 'approved' }))
        .status,
    ).toBe(303);
    expect(
      (await admin.submit(page, `${page}/decide`, { gift: String(gala.id), decision: 'refused' }))
        .status,
    ).toBe(400);

    const published = (await (await anyone.get('/api/v1/groups/09G/public/gifts')).json()) as {
      gifts: { person: string; description: string; approval: string }[];
    };
    const names = published.gifts.map((g) => g.person);
    expect(names).not.toContain('Gus Dummy'); // not a decision-maker
    expect(published.gifts.find((g) => g.description === 'Gala dinner')?.approval).toBe('approved');
    const text = JSON.stringify(published);
    expect(text).not.toContain('@example.org');
    expect(text).not.toContain('ruling');
    expect((await anyone.get('/groups/09G/public/gifts')).status).toBe(200);
    expect((await gp.get('/api/v1/groups/09G/governance/gifts')).status).toBe(403);
  });

  it('runs a meeting: warnings before it, quorum without the conflicted, no decision when inquorate, public minutes', async () => {
    const meetings = await (await lay.get('/groups/09G/governance/meetings')).text();
    const ids = [...meetings.matchAll(/governance\/meetings\/(\d+)">([^<]+)</g)].map((m) => ({
      id: m[1]!,
      title: m[2]!,
    }));
    const past = ids.find((m) => !m.title.includes('upcoming') && !m.title.includes('today'))!;
    const upcoming = ids.find((m) => m.title.includes('upcoming'))!;
    const todays = ids.find((m) => m.title.includes('today'))!;
    interface Item {
      id: number;
      title: string;
      warnings: { name: string }[];
      quorum: { quorate: boolean; shortfall: string | null; deciding: { name: string }[] };
      decision: unknown;
    }
    const view = async (id: string) =>
      (
        (await (await lay.get(`/api/v1/groups/09G/governance/meetings/${id}`)).json()) as {
          items: Item[];
        }
      ).items;
    // Before the upcoming meeting, the members with an interest in an organisation on its agenda are warned.
    const next = await view(upcoming.id);
    expect(
      (await view(todays.id))
        .find((i) => i.title.startsWith('Community diagnostics'))!
        .warnings.map((w) => w.name),
    ).toEqual(['Dr Bram Sample']);
    expect(
      next.find((i) => i.title.startsWith('Continuing care'))!.warnings.map((w) => w.name),
    ).toEqual(['Dev Fictional']);
    // At the past meeting: the chief finance officer and the chair left the care item; two could decide.
    const items = await view(past.id);
    const care = items.find((i) => i.title.startsWith('Continuing care'))!;
    expect(care.quorum).toMatchObject({
      quorate: false,
      shortfall: '2 voting members may decide; 3 are needed',
    });
    const dermatology = items.find((i) => i.title.startsWith('Renewal'))!;
    expect(dermatology.quorum.quorate).toBe(true);
    expect(dermatology.quorum.deciding.map((d) => d.name)).not.toContain('Dr Bram Sample');

    const page = `/groups/09G/governance/meetings/${past.id}`;
    const decide = {
      decItem: String(care.id),
      decDecision: 'Award the framework',
      decRationale: 'Best value',
      decFor: '2',
      decAgainst: '0',
      decAbstain: '0',
    };
    const refused = await admin.submit(page, `${page}/decisions`, decide);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('The item is inquorate');
    expect((await lay.submit(page, `${page}/decisions`, decide)).status).toBe(403);
    // Today's meeting: no decision until attendance is recorded, and no public minutes until then.
    const todayPage = `/groups/09G/governance/meetings/${todays.id}`;
    const diagnostics = (await view(todays.id))[0]!;
    const noAttendance = await admin.submit(todayPage, `${todayPage}/decisions`, {
      ...decide,
      decItem: String(diagnostics.id),
    });
    expect(noAttendance.status).toBe(400);
    expect(await noAttendance.text()).toContain('Record the attendance first');
    const todayPublic = (await (
      await anyone.get(`/api/v1/groups/09G/public/meetings/${todays.id}`)
    ).json()) as { meeting: { held: boolean; status: string }; present: unknown[] };
    expect(todayPublic.meeting).toMatchObject({ held: false, status: 'minutes to follow' });
    expect(todayPublic.present).toEqual([]);
    const audited = await seeded.store.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'gov_decision.refused')
      .execute();
    expect(audited.length).toBe(1);

    // The public minutes: declarations and decisions, and no private details.
    const minutes = await anyone.get(`/api/v1/groups/09G/public/meetings/${past.id}`);
    expect(minutes.status).toBe(200);
    const text = await minutes.text();
    expect(text).toContain('honorary sessions');
    expect((JSON.parse(text) as { illustrative: boolean }).illustrative).toBe(true);
    expect(text).toContain('Renew the dermatology contract');
    // The member practices' vote that informed the decision is linked from the minutes.
    expect(text).toContain('Do member practices support renewing the dermatology service contract');
    expect(text).not.toContain('@example.org');
    // Before it is held, a meeting's agenda and papers are public, but nothing of the record yet.
    const agenda = await anyone.get(`/api/v1/groups/09G/public/meetings/${upcoming.id}`);
    expect(agenda.status).toBe(200);
    const ahead = (await agenda.json()) as {
      meeting: { held: boolean };
      present: unknown[];
      items: { title: string; declarations: unknown[]; decision: unknown }[];
    };
    expect(ahead.meeting.held).toBe(false);
    expect(ahead.present).toEqual([]);
    expect(ahead.items[0]).toMatchObject({ declarations: [], decision: null });
    const csv = await (await anyone.get('/groups/09G/public/meetings.csv')).text();
    expect(csv.split(/\r?\n/)[0]).toBe(
      'date,committee,meeting,held,item,title,concerns,paper,for_decision,declarations,quorate,decision,reasons,votes_for,votes_against,abstentions',
    );
    expect(csv).toContain('Dr Bram Sample: honorary sessions');
    expect(csv).not.toContain('@example.org');
    expect((await anyone.get(`/groups/09G/public/meetings/${past.id}`)).status).toBe(200);
    const log = (await (await anyone.get('/api/v1/groups/09G/public/decisions')).json()) as {
      decisions: { kind: string; item: string; votes_for: number | null }[];
    };
    expect(log.decisions.filter((d) => d.kind === 'meeting').map((d) => d.item)).toEqual([
      'Renewal of the dermatology service contract',
    ]);
    expect(await (await anyone.get('/groups/09G/public/decisions.csv')).text()).toContain(
      'Renew the dermatology contract',
    );
  });

  it('keeps people, appointments and committees, and shows the public who governs without contacts', async () => {
    const page = '/groups/09G/governance/people';
    expect((await gp.get(page)).status).toBe(403); // a member practice's GP: not an officer
    // A public request for the private register (contacts included) is refused, and audited.
    const privateApi = await anyone.get('/api/v1/groups/09G/governance/people');
    expect(privateApi.status).toBe(401);
    expect(((await privateApi.json()) as { error: { message: string } }).error.message).toContain(
      'Sign in',
    );
    const refusals = await seeded.store.db
      .selectFrom('audit_event')
      .select(['actor', 'entity_id'])
      .where('action', '=', 'governance.access_refused')
      .execute();
    expect(refusals).toEqual(
      expect.arrayContaining([
        { actor: 'anonymous', entity_id: 'GET /api/v1/groups/09G/governance/people' },
        { actor: 'gp.coastal@example.nhs.uk', entity_id: `GET ${page}` },
      ]),
    );
    const brighton = new AppClient(seeded.app);
    await brighton.signIn('gp.brighton@example.nhs.uk', PASSWORD);
    expect((await brighton.get(page)).status).toBe(403);
    expect((await lay.get(page)).status).toBe(200);
    // A lay member reads but does not keep the register.
    expect(
      (await lay.submit(page, `${page}/add`, { name: 'Someone', contactEmail: '' })).status,
    ).toBe(403);

    const bad = await admin.submit(page, `${page}/add`, {
      name: 'Dr Hana Invented',
      contactEmail: 'not-an-email',
      contactPhone: '',
      userEmail: '',
    });
    expect(bad.status).toBe(400);
    const badText = await bad.text();
    expect(badText).toContain('nhsuk-error-summary');
    expect(badText).toContain('Enter an email address like name@nhs.net');
    const added = await admin.submit(page, `${page}/add`, {
      name: 'Dr Hana Invented',
      contactEmail: 'hana.private@example.net',
      contactPhone: '01632 960123',
      userEmail: '',
    });
    expect(added.status).toBe(303);
    interface People {
      people: {
        id: number;
        name: string;
        appointments: { id: number; body: string; current: boolean; endsOn: string | null }[];
      }[];
      committees: { id: number; name: string; minimum_voting: number }[];
    }
    const people = async () =>
      (await (await admin.get('/api/v1/groups/09G/governance/people')).json()) as People;
    const hana = (await people()).people.find((p) => p.name === 'Dr Hana Invented')!;

    // A committee, and a quorum rule that must make sense.
    const noQuorum = await admin.submit(page, '/groups/09G/governance/committees', {
      committee: '',
      committeeName: 'Audit committee',
      minimumVoting: '0',
      layMemberRequired: 'yes',
      terms: 'Audit.',
    });
    expect(noQuorum.status).toBe(400);
    expect(await noQuorum.text()).toContain('from 1 to 50');
    const noLayChoice = await admin.submit(page, '/groups/09G/governance/committees', {
      committee: '',
      committeeName: 'Audit committee',
      minimumVoting: '2',
      terms: 'Audit.',
    });
    expect(noLayChoice.status).toBe(400);
    expect(await noLayChoice.text()).toContain(
      'Choose yes or no: must a lay member be among them?',
    );
    expect(
      (
        await admin.submit(page, '/groups/09G/governance/committees', {
          committee: '',
          committeeName: 'Audit committee',
          minimumVoting: '2',
          layMemberRequired: 'yes',
          terms: 'Terms of reference (illustrative): reviews internal control and conflicts.',
        })
      ).status,
    ).toBe(303);
    // The guardian must be a lay member; an appointment cannot end before it starts.
    const appoint = {
      person: String(hana.id),
      body: 'Audit committee',
      role: 'clinical_director',
      voting: 'yes',
      decisionMaker: 'yes',
      guardian: 'yes',
      startsOn: '2026-01-01',
      endsOn: '2025-12-31',
    };
    const refused = await admin.submit(page, `${page}/appoint`, appoint);
    expect(refused.status).toBe(400);
    const refusedText = await refused.text();
    expect(refusedText).toContain('The conflicts of interest guardian is a lay member');
    expect(refusedText).toContain('An appointment cannot end before it starts');
    expect(
      (
        await admin.submit(page, `${page}/appoint`, {
          ...appoint,
          guardian: 'no',
          startsOn: '2026-01-01',
          endsOn: '',
        })
      ).status,
    ).toBe(303);
    // Renaming the committee keeps its members.
    const audit = (await people()).committees.find((x) => x.name === 'Audit committee')!;
    expect(
      (
        await admin.submit(page, '/groups/09G/governance/committees', {
          committee: String(audit.id),
          committeeName: 'Audit and risk committee',
          minimumVoting: '3',
          layMemberRequired: 'yes',
          terms: 'Terms of reference (illustrative): reviews internal control, risk and conflicts.',
        })
      ).status,
    ).toBe(303);
    const after = await people();
    const appointment = after.people.find((p) => p.id === hana.id)!.appointments[0]!;
    expect(appointment.body).toBe('Audit and risk committee');
    const early = await admin.submit(page, `${page}/end`, {
      appointment: String(appointment.id),
      appointmentEndsOn: '2025-06-30',
    });
    expect(early.status).toBe(400);
    expect(await early.text()).toContain('cannot end before then');

    // Served from the cache until something changes: the change shows at once.
    const cachedBefore = await (await anyone.get('/api/v1/groups/09G/public/governance')).text();
    expect(cachedBefore).toContain('coastal-west-sussex.example');
    const contact = await admin.submit(page, '/groups/09G/governance/guardian-contact', {
      guardianContact: 'conflicts.guardian@coastal.example.nhs.uk',
    });
    expect(contact.status).toBe(303);

    // The public page: committees, members and the guardian's role mailbox; no one's own contacts.
    const home = await anyone.get('/groups/09G/public/governance');
    expect(home.status).toBe(200);
    const homeText = await home.text();
    expect(homeText).toContain('conflicts.guardian@coastal.example.nhs.uk');
    expect(homeText).toContain('Audit and risk committee');
    expect(homeText).toContain('Dr Hana Invented');
    const api = await (await anyone.get('/api/v1/groups/09G/public/governance')).text();
    const csv = await (await anyone.get('/groups/09G/public/governing-body.csv')).text();
    for (const text of [homeText, api, csv]) {
      expect(text).not.toContain('hana.private@example.net');
      expect(text).not.toContain('01632 960123');
      expect(text).not.toContain('@example.org'); // the demo people's own addresses
    }
    expect(JSON.parse(api).guardian).toEqual({
      names: ['Cara Placeholder'],
      contact: 'conflicts.guardian@coastal.example.nhs.uk',
    });
    const actions = await seeded.store.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', 'in', [
        'gov_person.added',
        'gov_committee.added',
        'gov_committee.changed',
        'gov_appointment.added',
        'gov_group_setting.guardian_contact',
      ])
      .execute();
    expect(actions.length).toBe(5);
  });

  it('schedules a meeting, builds its agenda with papers, and takes attendance into quorum', async () => {
    const list = '/groups/09G/governance/meetings';
    const committees = (
      (await (await admin.get('/api/v1/groups/09G/governance/people')).json()) as {
        committees: { id: number; name: string }[];
      }
    ).committees;
    const gb = committees.find((x) => x.name === 'Governing body')!;
    const bad = await admin.submit(list, list, {
      committee: String(gb.id),
      heldOn: '2026-02-30',
      title: '',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Enter the date');
    const farOff = await admin.submit(list, list, {
      committee: String(gb.id),
      heldOn: '9999-12-31',
      title: 'A typing mistake',
    });
    expect(farOff.status).toBe(400);
    expect(await farOff.text()).toContain('like 2026-12-15 (from 1948 to 2099)');
    const scheduled = await admin.submit(list, list, {
      committee: String(gb.id),
      heldOn: '2099-01-15',
      title: 'Extraordinary governing body meeting (test)',
    });
    expect(scheduled.status).toBe(303);
    const page = scheduled.headers.get('location')!;
    const id = page.split('/').at(-1)!;
    const noOrg = await admin.submit(page, `${page}/agenda`, {
      itemTitle: 'Dermatology pathway',
      forDecision: 'yes',
      organisationCode: 'ZZZ999',
      organisationName: '',
      paper: '',
    });
    expect(noOrg.status).toBe(400);
    expect(await noOrg.text()).toContain('No organisation has that ODS code');
    expect(
      (
        await admin.submit(page, `${page}/agenda`, {
          itemTitle: 'Dermatology pathway',
          forDecision: 'yes',
          organisationCode: 'ryr',
          organisationName: '',
          paper: 'Paper GB-1: the proposed pathway (illustrative)',
        })
      ).status,
    ).toBe(303);
    // Apologies from two voting members: quorum is recalculated without them.
    const view = async () =>
      (await (await admin.get(`/api/v1/groups/09G/governance/meetings/${id}`)).json()) as {
        members: { person_id: number; name: string; voting: boolean }[];
        items: {
          id: number;
          organisation_name: string;
          paper: string;
          quorum: { deciding: unknown[] };
        }[];
      };
    const before = await view();
    expect(before.items[0]).toMatchObject({
      organisation_name: 'University Hospitals Sussex NHS Foundation Trust',
      paper: 'Paper GB-1: the proposed pathway (illustrative)',
    });
    const voting = before.members.filter((m) => m.voting).slice(0, 2);
    // The form sends every member's mark ("not recorded" is an empty one); a form cut short is
    // refused, so it cannot wipe the marks it left out.
    const marks = Object.fromEntries(
      before.members.map((m) => [`attend-${m.person_id}`, voting.includes(m) ? 'apologies' : '']),
    );
    const cutShort = await admin.submit(
      page,
      `${page}/attendance`,
      Object.fromEntries(voting.map((m) => [`attend-${m.person_id}`, 'apologies'])),
    );
    expect(cutShort.status).toBe(400);
    expect((await cutShort.text()).replaceAll('&#39;', "'")).toMatch(
      /.+'s attendance was missing from the form, so nothing was saved/,
    );
    expect((await view()).items[0]!.quorum).toEqual(before.items[0]!.quorum);
    expect((await admin.submit(page, `${page}/attendance`, marks)).status).toBe(303);
    const afterApologies = await view();
    expect(afterApologies.items[0]!.quorum.deciding.length).toBe(
      before.items[0]!.quorum.deciding.length - 2,
    );
    expect(
      (
        await admin.submit(page, `${page}/attendance`, {
          ...marks,
          [`attend-${voting[0]!.person_id}`]: 'maybe',
        })
      ).status,
    ).toBe(400);
    // Shown again with the problem, each mark is as sent: "Not recorded" stays chosen, even for a
    // member recorded with apologies.
    const reshown = await (
      await admin.submit(page, `${page}/attendance`, {
        ...marks,
        [`attend-${voting[0]!.person_id}`]: 'maybe',
        [`attend-${voting[1]!.person_id}`]: '',
      })
    ).text();
    const radio = (id: number, value: string) =>
      new RegExp(`<input[^>]*name="attend-${id}"[^>]*value="${value}"[^>]*>`).exec(reshown)?.[0];
    expect(radio(voting[1]!.person_id, '')).toContain('checked');
    expect(radio(voting[1]!.person_id, 'apologies')).not.toContain('checked');
    // No decision before the meeting is held.
    const early = await admin.submit(page, `${page}/decisions`, {
      decItem: String(afterApologies.items[0]!.id),
      decDecision: 'Adopt the pathway',
      decRationale: 'Test',
      decFor: '1',
      decAgainst: '0',
      decAbstain: '0',
    });
    expect(early.status).toBe(400);
    expect(await early.text()).toContain('its decisions are recorded once it is held');
    // The public sees the agenda and paper ahead of the meeting, and the apologies.
    const agenda = await (await anyone.get(`/groups/09G/public/meetings/${id}`)).text();
    expect(agenda).toContain('Paper GB-1: the proposed pathway');
    expect(agenda).toContain('Apologies');
  });
});
