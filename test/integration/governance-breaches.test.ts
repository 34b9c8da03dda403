// The breaches register (full for officers, anonymised for the public) and decisions by delegated
// officers in the public decisions log, on the demo group's illustrative governance records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkPersonToUser } from '../../src/app/seed.js';
import { AppClient, withoutFields } from '../support/app-client.js';
import { PASSWORD, seededApp, type Seeded } from '../support/seeded.js';
import { engines } from '../support/stores.js';

interface PublicBreaches {
  breaches: {
    reference: number;
    category: string;
    identified: string;
    summary: string;
    actionTaken: string;
    reportedTo: string[];
    closed: boolean;
  }[];
  thisYear: { year: string; recorded: number; published: number; underReview: number };
  illustrative: boolean;
}
interface FullBreaches {
  breaches: {
    id: number;
    person: string | null;
    description: string;
    open: boolean;
    days_open: number;
    public_summary: string | null;
  }[];
  open: number;
}
interface Logged {
  kind: 'meeting' | 'officer';
  decided_on: string;
  item: string;
  decision: string;
  committee: string | null;
  minutes: string | null;
  votes_for: number | null;
  officer: string | null;
  officer_role: string | null;
  delegation: string | null;
  value_pence: number | null;
}

// Distinctive private values: none may ever reach a public page, the public API or the public CSV.
const PRIVATE_DESCRIPTION = 'Zebracorn-private-account of the undeclared shares';
const PRIVATE_REPORTED = 'Mr Quokka Secretname';
const SUMMARY =
  'A governing body member took part in a decision while holding an undeclared interest (Wombat test).';

describe.each(engines())('governance: breaches and delegated decisions on %s', (engine) => {
  let seeded: Seeded;
  let anyone: AppClient;
  let gp: AppClient;
  let brighton: AppClient;
  let admin: AppClient;
  let lay: AppClient;
  let oversight: AppClient;
  let people: { id: number; name: string }[];
  beforeAll(async () => {
    seeded = await seededApp(engine);
    anyone = new AppClient(seeded.app);
    gp = new AppClient(seeded.app);
    brighton = new AppClient(seeded.app);
    admin = new AppClient(seeded.app);
    lay = new AppClient(seeded.app);
    oversight = new AppClient(seeded.app);
    await gp.signIn('gp.coastal@example.nhs.uk', PASSWORD);
    await brighton.signIn('gp.brighton@example.nhs.uk', PASSWORD);
    await admin.signIn('admin.coastal@example.nhs.uk', PASSWORD);
    await lay.signIn('lay.coastal@example.nhs.uk', PASSWORD);
    await oversight.signIn('oversight@example.nhs.uk', PASSWORD);
    people = (
      (await (await admin.get('/api/v1/groups/09G/governance/interests')).json()) as {
        people: { id: number; name: string }[];
      }
    ).people;
  }, 240_000);
  afterAll(() => seeded.close());

  /** Posts a form as a browser would, with the session's CSRF token, whether or not the user sees the form. */
  const post = async (client: AppClient, action: string, fields: Record<string, string>) =>
    client.submit('/groups/09G/public/breaches', action, fields, {
      csrf: await client.csrfToken(),
    });
  const idOf = (name: string) => String(people.find((p) => p.name === name)!.id);
  const auditCount = async (action: string) =>
    (
      await seeded.store.db
        .selectFrom('audit_event')
        .select('id')
        .where('action', '=', action)
        .execute()
    ).length;
  /** Page, API and CSV of the public breaches register. */
  const publicTexts = async () => [
    await (await anyone.get('/groups/09G/public/breaches')).text(),
    await (await anyone.get('/api/v1/groups/09G/public/breaches')).text(),
    await (await anyone.get('/groups/09G/public/breaches.csv')).text(),
  ];

  it('publishes the demo’s anonymised summaries, and counts the breach still under review', async () => {
    const response = await anyone.get('/api/v1/groups/09G/public/breaches');
    expect(response.status).toBe(200);
    const body = (await response.json()) as PublicBreaches;
    expect(body.illustrative).toBe(true);
    expect(body.breaches.map((b) => b.category).sort()).toEqual(['gifts', 'interests']);
    expect(body.breaches.every((b) => /^[A-Z][a-z]+ \d{4}$/.test(b.identified))).toBe(true);
    const interests = body.breaches.find((b) => b.category === 'interests')!;
    expect(interests.reportedTo).toEqual([
      'Audit committee',
      'Conflicts of interest guardian',
      'NHS England',
    ]);
    expect(interests.closed).toBe(true);
    expect(body.thisYear.underReview).toBeGreaterThanOrEqual(1); // the open one, identified 12 days ago
    const page = await (await anyone.get('/groups/09G/public/breaches')).text();
    expect(page).toContain('invented people and records for the demonstration');
    expect(page).toContain('not exact dates');
    expect(page).toContain('https://www.england.nhs.uk/commissioning/pc-co-comms/coi/');
    for (const text of await publicTexts())
      for (const leak of [
        'Dev Fictional',
        'Gus Dummy',
        'Dr Finn Mockley',
        'Cara Placeholder', // named in the open breach's "reported to"
        'sub-regional team', // free text in "reported to"
        'spouse',
        'musculoskeletal',
        '"person',
        '"description"',
        '"reported_to"',
        '@example.org',
      ])
        expect(text, leak).not.toContain(leak);
    expect((await anyone.get('/api/v1/groups/NOPE/public/breaches')).status).toBe(404);
  });

  it('records a breach, re-shows bad input, writes the summary and closes it, all audited; nothing private published', async () => {
    const form = '/groups/09G/governance/breaches';
    const fields = {
      category: 'interests',
      occurredOn: '2025-06-03',
      identifiedOn: '2025-06-17',
      person: idOf('Dr Ada Example'),
      description: PRIVATE_DESCRIPTION,
      actionTaken: 'Decision re-taken without the member',
      reportedTo: `Audit committee; ${PRIVATE_REPORTED}`,
    };
    const early = await admin.submit(form, form, { ...fields, identifiedOn: '2025-06-02' });
    expect(early.status).toBe(400);
    const earlyPage = await early.text();
    expect(earlyPage).toContain('There is a problem');
    expect(earlyPage).toContain('A breach cannot be identified before it happened');
    expect(earlyPage).toContain(PRIVATE_DESCRIPTION); // what was typed is shown again
    const future = await admin.submit(form, form, {
      ...fields,
      occurredOn: '2098-01-01',
      identifiedOn: '2098-01-02',
    });
    expect(future.status).toBe(400);
    expect(await future.text()).toContain('cannot be in the future');
    const blank = await admin.submit(form, form, { ...fields, category: '', description: '' });
    expect(blank.status).toBe(400);
    const blankPage = await blank.text();
    expect(blankPage).toContain('Choose the kind of breach');
    expect(blankPage).toContain('Enter what happened');
    const stranger = await admin.submit(form, form, { ...fields, person: '999999' });
    expect(stranger.status).toBe(400);
    expect(await auditCount('gov_breach.recorded')).toBe(0);

    const recorded = await admin.submit(form, form, fields);
    expect(recorded.status).toBe(303);
    const url = recorded.headers.get('location')!;
    expect(url).toMatch(/^\/groups\/09G\/governance\/breaches\/\d+$/);
    const id = Number(url.split('/').at(-1));
    expect(await auditCount('gov_breach.recorded')).toBe(1);
    const shown = await (await admin.get(url)).text();
    expect(shown).toContain(PRIVATE_DESCRIPTION);
    expect(shown).toContain('Dr Ada Example');

    // Recorded without a summary: counted as under review, not published.
    let body = (await (
      await anyone.get('/api/v1/groups/09G/public/breaches')
    ).json()) as PublicBreaches;
    expect(body.breaches.map((b) => b.reference)).not.toContain(id);

    const update = {
      actionTaken: 'Decision re-taken without the member',
      reportedTo: `Audit committee; ${PRIVATE_REPORTED}`,
      publicSummary: SUMMARY,
      closedOn: '2025-07-09',
    };
    const named = await admin.submit(url, url, {
      ...update,
      publicSummary: 'Dr Ada Example took part in a decision.',
    });
    expect(named.status).toBe(400);
    expect(await named.text()).toContain(
      'The public summary must be anonymised: it names Dr Ada Example',
    );
    const closedEarly = await admin.submit(url, url, { ...update, closedOn: '2025-06-16' });
    expect(closedEarly.status).toBe(400);
    expect(await closedEarly.text()).toContain(
      'A breach cannot be closed before it was identified',
    );
    const noSummary = await admin.submit(url, url, { ...update, publicSummary: '' });
    expect(noSummary.status).toBe(400);
    expect(await noSummary.text()).toContain('Write the anonymised public summary before closing');
    const closedFuture = await admin.submit(url, url, { ...update, closedOn: '2098-01-01' });
    expect(closedFuture.status).toBe(400);
    expect(await auditCount('gov_breach.closed')).toBe(0);

    expect((await admin.submit(url, url, update)).status).toBe(303);
    expect(await auditCount('gov_breach.closed')).toBe(1);
    // A form cut short (no closing date) neither reopens it nor takes the public summary down.
    const reopen = await admin.submit(url, url, withoutFields(update, 'closedOn', 'publicSummary'));
    expect(reopen.status).toBe(400);
    expect(await reopen.text()).toContain(
      'The public summary was missing from the form, so nothing was saved',
    );
    expect(await auditCount('gov_breach.reopened')).toBe(0);
    const full = (await (
      await admin.get('/api/v1/groups/09G/governance/breaches')
    ).json()) as FullBreaches;
    const mine = full.breaches.find((b) => b.id === id)!;
    expect(mine).toMatchObject({ open: false, days_open: 22, public_summary: SUMMARY });
    expect(full.breaches[0]!.open).toBe(true); // open breaches first
    const csv = await (await admin.get('/groups/09G/governance/breaches.csv')).text();
    expect(csv).toContain(PRIVATE_DESCRIPTION);

    body = (await (
      await anyone.get('/api/v1/groups/09G/public/breaches')
    ).json()) as PublicBreaches;
    expect(body.breaches.find((b) => b.reference === id)).toMatchObject({
      summary: SUMMARY,
      identified: 'June 2025',
      reportedTo: ['Audit committee'],
      closed: true,
    });
    for (const text of await publicTexts()) {
      expect(text).toContain('Wombat test');
      for (const leak of [
        PRIVATE_DESCRIPTION,
        'Zebracorn',
        'Quokka',
        'Secretname',
        'Dr Ada Example',
        '2025-06-17',
        '2025-06-03',
        '2025-07-09',
      ])
        expect(text, leak).not.toContain(leak);
    }
  });

  it('lets the governing body and lay members read the full register, keeps it from other officers, member practices and other groups, and lets the guardian keep it', async () => {
    // It names people and what they did: not for the finance officer either.
    const finance = new AppClient(seeded.app);
    await finance.signIn('finance.coastal@example.nhs.uk', PASSWORD);
    expect((await finance.get('/api/v1/groups/09G/governance/breaches')).status).toBe(403);
    expect((await gp.get('/groups/09G/governance/breaches')).status).toBe(403);
    expect((await gp.get('/api/v1/groups/09G/governance/breaches')).status).toBe(403);
    expect((await gp.get('/groups/09G/governance/breaches.csv')).status).toBe(403);
    expect((await anyone.get('/api/v1/groups/09G/governance/breaches')).status).toBe(401);
    expect((await brighton.get('/groups/09G/governance/breaches')).status).toBe(403);
    expect((await brighton.get('/api/v1/groups/09G/governance/breaches')).status).toBe(403);
    expect((await brighton.get('/groups/09G/public/breaches')).status).toBe(200);
    const full = (await (
      await admin.get('/api/v1/groups/09G/governance/breaches')
    ).json()) as FullBreaches;
    const first = full.breaches[0]!.id;
    expect((await brighton.get(`/groups/09G/governance/breaches/${first}`)).status).toBe(403);
    expect((await brighton.get(`/api/v1/groups/09D/governance/breaches/${first}`)).status).toBe(
      403,
    );
    // Oversight may read any group's register, but a breach of 09G is not found under another group.
    expect((await oversight.get(`/api/v1/groups/09G/governance/breaches/${first}`)).status).toBe(
      200,
    );
    expect((await oversight.get(`/api/v1/groups/09D/governance/breaches/${first}`)).status).toBe(
      404,
    );
    expect((await admin.get('/groups/09G/governance/breaches/999999')).status).toBe(404);
    expect((await admin.get('/api/v1/groups/09G/governance/breaches/nonsense')).status).toBe(404);

    // A plain member cannot record or follow up a breach: refused and audited.
    const fields = {
      category: 'gifts',
      occurredOn: '2025-01-01',
      identifiedOn: '2025-01-02',
      person: '',
      description: 'x',
      actionTaken: 'y',
      reportedTo: '',
    };
    const refusedBefore = await auditCount('gov_breach.refused');
    expect((await post(gp, '/groups/09G/governance/breaches', fields)).status).toBe(403);
    expect(
      (
        await post(gp, `/groups/09G/governance/breaches/${first}`, {
          actionTaken: 'z',
          reportedTo: '',
          publicSummary: '',
          closedOn: '',
        })
      ).status,
    ).toBe(403);
    expect(await auditCount('gov_breach.refused')).toBe(refusedBefore + 2);

    // A lay member reads the full register, without the form; as the guardian they keep it.
    const layPage = await lay.get('/groups/09G/governance/breaches');
    expect(layPage.status).toBe(200);
    expect(await layPage.text()).not.toContain('Record the breach');
    const form = '/groups/09G/governance/breaches';
    expect((await post(lay, form, fields)).status).toBe(403);
    await linkPersonToUser(
      seeded.store.db,
      '09G',
      'Cara Placeholder',
      'lay.coastal@example.nhs.uk',
    );
    expect(await (await lay.get(form)).text()).toContain('Record the breach');
    expect((await lay.submit(form, form, fields)).status).toBe(303);
  });

  it('records a delegated officer’s decision and shows it in the public decisions log beside meeting decisions', async () => {
    const form = '/groups/09G/governance/officer-decisions';
    const page = await (await admin.get(form)).text();
    const dev =
      /<option value="(\d+)">Dev Fictional \(Chief finance officer, Governing body\)<\/option>/.exec(
        page,
      )?.[1];
    expect(dev).toBeDefined();
    const fields = {
      person: dev!,
      delegation: 'Scheme of delegation 4.2: contracts up to £250,000',
      title: 'Koala test: podiatry contract variation',
      decision: 'Vary the podiatry contract to add a clinic',
      rationale: 'Within the budget and the delegation',
      value: '£12,345.67',
      organisation: 'Example Podiatry (fictional)',
      decidedOn: '2026-01-15',
    };
    const future = await admin.submit(form, form, { ...fields, decidedOn: '2098-01-01' });
    expect(future.status).toBe(400);
    const futurePage = await future.text();
    expect(futurePage).toContain('The date of the decision cannot be in the future');
    expect(futurePage).toContain('Koala test'); // what was typed is shown again
    const badValue = await admin.submit(form, form, { ...fields, value: 'lots' });
    expect(badValue.status).toBe(400);
    expect(await badValue.text()).toContain('The value must be an amount in pounds');
    const notAppointed = await admin.submit(form, form, { ...fields, decidedOn: '2000-01-01' });
    expect(notAppointed.status).toBe(400);
    expect(await notAppointed.text()).toContain('held no appointment');
    expect(await auditCount('gov_officer_decision.recorded')).toBe(0);
    expect((await admin.submit(form, form, fields)).status).toBe(303);
    expect(await auditCount('gov_officer_decision.recorded')).toBe(1);
    // Only administrators and the governing body record them; a member is refused and audited.
    expect((await post(gp, form, fields)).status).toBe(403);
    expect(await auditCount('gov_officer_decision.refused')).toBe(1);
    expect((await brighton.get(form)).status).toBe(403);

    const api = await anyone.get('/api/v1/groups/09G/public/decisions');
    expect(api.status).toBe(200);
    const text = await api.clone().text();
    const log = ((await api.json()) as { decisions: Logged[] }).decisions;
    const dates = log.map((d) => d.decided_on);
    expect(dates).toEqual([...dates].sort().reverse()); // newest first
    const mine = log.find((d) => d.item.startsWith('Koala test'))!;
    expect(mine).toMatchObject({
      kind: 'officer',
      officer: 'Dev Fictional',
      officer_role: 'Chief finance officer, Governing body',
      delegation: fields.delegation,
      value_pence: 1_234_567,
      committee: null,
      minutes: null,
    });
    const meeting = log.find((d) => d.kind === 'meeting')!;
    expect(meeting).toMatchObject({
      item: 'Renewal of the dermatology service contract',
      committee: 'Governing body',
      votes_for: 3,
      officer: null,
    });
    expect(meeting.minutes).toMatch(/^\/groups\/09G\/public\/meetings\/\d+$/);
    expect(log.filter((d) => d.kind === 'officer').length).toBe(4); // three in the demo, and ours
    const html = await (await anyone.get('/groups/09G/public/decisions')).text();
    expect(html).toContain('Koala test');
    expect(html).toContain('Delegated officer');
    expect(html).toContain('£12,345.67');
    expect(html).toContain(`href="${meeting.minutes}"`);
    const csv = await (await anyone.get('/groups/09G/public/decisions.csv')).text();
    expect(csv.split('\r\n')[0]).toContain('date,kind,committee,meeting,item');
    expect(csv).toContain('12345.67');
    expect(csv).toContain('Koala test');
    expect(csv).toContain('Renew the dermatology contract');
    // Officers' contact details are never published.
    for (const t of [text, html, csv])
      for (const leak of ['@example.org', '01632', 'recorded_by', 'admin.coastal'])
        expect(t, leak).not.toContain(leak);
  });
});
