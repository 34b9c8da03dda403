// The procurement decisions register on the demo group: recording a procurement end to end (with the
// refusals), exact weighted scores and ranking, the standstill in working days past a bank holiday,
// likely conflicts filled in, what the public sees (and never), audit, and who may see and write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppClient, withoutFields } from '../support/app-client.js';
import { PASSWORD, seededApp, type Seeded } from '../support/seeded.js';
import { engines } from '../support/stores.js';
import { isoDate } from '../../src/platform/clock.js';
import { addWorkingDays } from '../../src/governance/working-days.js';
import { formatDate } from '../../src/web/render.js';
import { linkPersonToUser } from '../../src/app/seed.js';

interface Full {
  id: number;
  title: string;
  route: string;
  status: { kind: string; text: string };
  awardedTo: string | null;
  intentionNoticeOn: string | null;
  standstill: { applies: boolean; startsOn: string | null; endsOn: string | null };
  criteria: { name: string; weight: number }[];
  bidders: {
    id: number;
    name: string;
    scores: (number | null)[];
    total: string | null;
    rank: number | null;
    awardee: boolean;
  }[];
  decisionMakers: { name: string; conflict: string | null; managed: string | null }[];
  item: { item: string } | null;
  scoresWithheld: { reason: string; providersEvaluated: number } | null;
}

describe.each(engines())('governance: procurement decisions register on %s', (engine) => {
  let seeded: Seeded;
  let admin: AppClient;
  let lay: AppClient;
  let lead: AppClient;
  let gp: AppClient;
  let brighton: AppClient;
  let anyone: AppClient;
  const today = isoDate(new Date());
  const register = '/groups/09G/governance/procurement';
  beforeAll(async () => {
    seeded = await seededApp(engine);
    admin = new AppClient(seeded.app);
    lay = new AppClient(seeded.app);
    lead = new AppClient(seeded.app);
    gp = new AppClient(seeded.app);
    brighton = new AppClient(seeded.app);
    anyone = new AppClient(seeded.app);
    await admin.signIn('admin.coastal@example.nhs.uk', PASSWORD);
    await lay.signIn('lay.coastal@example.nhs.uk', PASSWORD);
    await lead.signIn('lead.coastal@example.nhs.uk', PASSWORD);
    await gp.signIn('gp.coastal@example.nhs.uk', PASSWORD);
    await brighton.signIn('gp.brighton@example.nhs.uk', PASSWORD);
  }, 240_000);
  afterAll(() => seeded.close());

  const full = async (client: AppClient, id: number) =>
    (
      (await (await client.get(`/api/v1/groups/09G/governance/procurement/${id}`)).json()) as {
        procurement: Full;
      }
    ).procurement;

  it('seeds three illustrative procurements: one decided at the meeting, one in standstill', async () => {
    const response = await lay.get('/api/v1/groups/09G/governance/procurement');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { procurements: Full[]; illustrative: boolean };
    expect(body.illustrative).toBe(true);
    expect(body.procurements).toHaveLength(3);
    const derm = body.procurements.find((p) => p.route === 'direct_award_c')!;
    expect(derm.item?.item).toBe('Renewal of the dermatology service contract');
    expect(derm.status.kind).toBe('award notice published');
    expect(derm.decisionMakers.find((d) => d.name === 'Dr Bram Sample')?.managed).toMatch(
      /left the room/,
    );
    const diag = body.procurements.find((p) => p.route === 'competitive')!;
    expect(diag.status.kind).toBe('standstill');
    expect(diag.standstill.endsOn).toBe(addWorkingDays(diag.intentionNoticeOn!, 8));
    expect(diag.standstill.endsOn! >= today).toBe(true);
    expect(diag.bidders.map((b) => [b.name, b.total, b.rank])).toEqual([
      ['Example Imaging Partnership (fictional)', '73.75', 1],
      ['Sample Diagnostics Ltd (fictional)', '70.15', 2],
      ['Placeholder Health CIC (fictional)', '70.00', 3],
    ]);
    expect(body.procurements.find((p) => p.route === 'aqp')!.status.kind).toBe(
      'award notice published',
    );
    const page = await (await lay.get(register)).text();
    expect(page).toContain(`Standstill until ${formatDate(diag.standstill.endsOn)}`);
    const pub = await (await anyone.get('/groups/09G/public/procurement')).text();
    expect(pub).toContain(`Standstill until ${formatDate(diag.standstill.endsOn)}`);
    expect(page).toContain('invented people and records for the demonstration');
  });

  it('records a procurement end to end, refusing bad input with the reason', async () => {
    const main = {
      title: 'Musculoskeletal triage (test)',
      service: 'Community MSK triage and physiotherapy',
      route: 'competitive',
      value: '1,250,000.50',
      contractStartsOn: '2027-04-01',
      contractEndsOn: '2030-03-31',
      awardedTo: '',
      awardedToCode: '',
      decidedOn: '',
      decidedBy: '',
      rationale: '',
      item: '',
      intentionNoticeOn: '',
      awardNoticeOn: '',
    };
    // Bad value, an end before the start, a decision in the future: the form again, nothing saved.
    const bad = await admin.submit(register, register, {
      ...main,
      value: '12.345',
      contractEndsOn: '2027-03-31',
      awardedTo: 'Someone Ltd',
      decidedOn: '2099-01-01',
      decidedBy: 'Governing body',
      rationale: 'Because',
    });
    expect(bad.status).toBe(400);
    const badPage = await bad.text();
    expect(badPage).toContain('There is a problem');
    expect(badPage).toContain('The contract value must be an amount in pounds and pence');
    expect(badPage).toContain('The contract cannot end before it starts');
    expect(badPage).toContain('The decision date cannot be in the future');
    expect(badPage).toContain('Musculoskeletal triage (test)'); // what was typed is kept
    expect((await admin.submit(register, register, { ...main, value: 'lots' })).status).toBe(400);
    expect((await admin.submit(register, register, { ...main, value: '-5' })).status).toBe(400);
    const before = (await (
      await admin.get('/api/v1/groups/09G/governance/procurement')
    ).json()) as {
      procurements: Full[];
    };
    expect(before.procurements).toHaveLength(3);

    const created = await admin.submit(register, register, main);
    expect(created.status).toBe(303);
    const url = created.headers.get('location')!;
    const id = Number(/\/(\d+)$/.exec(url)![1]);
    const api = (await (
      await admin.get(`/api/v1/groups/09G/governance/procurement/${id}`)
    ).json()) as {
      procurement: { valuePence: number; status: { kind: string } };
    };
    expect(api.procurement.valuePence).toBe(125_000_050);
    expect(api.procurement.status.kind).toBe('in evaluation');

    // Criteria: weights that do not total 100 are refused with the difference, and nothing is saved.
    // The form has eight rows, and a browser sends them all (empty ones too).
    const emptyRows = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [
        [`name_${i + 1}`, ''],
        [`weight_${i + 1}`, ''],
      ]).flat(),
    );
    const cutShort = await admin.submit(url, `${url}/criteria`, {
      name_1: 'Value',
      weight_1: '100',
    });
    expect(cutShort.status).toBe(400);
    expect(await cutShort.text()).toContain(
      'Name of criterion 2 was missing from the form, so nothing was saved',
    );
    const criteria = {
      ...emptyRows,
      name_1: 'Quality and innovation',
      weight_1: '40',
      name_2: 'Value',
      weight_2: '30',
      name_3: 'Improving access, reducing health inequalities and facilitating choice',
      weight_3: '20',
    };
    const short = await admin.submit(url, `${url}/criteria`, criteria);
    expect(short.status).toBe(400);
    expect(await short.text()).toContain(
      'The weights add up to 90%; they must total 100% (10 short)',
    );
    expect((await full(admin, id)).criteria).toEqual([]);
    expect(
      (await admin.submit(url, `${url}/criteria`, { ...criteria, weight_1: '55' })).status,
    ).toBe(400);
    expect(
      (
        await admin.submit(url, `${url}/criteria`, {
          ...criteria,
          name_4: 'Social value',
          weight_4: '10',
        })
      ).status,
    ).toBe(303);

    // Bidders and scores: out of range refused; totals exact, ranked.
    const outOfRange = await admin.submit(url, `${url}/bidders`, {
      bidder: 'new',
      bidderName: 'Alpha Physio (fictional)',
      bidderCode: '',
      score_1: '101',
      score_2: '50',
      score_3: '50',
      score_4: '50',
    });
    expect(outOfRange.status).toBe(400);
    expect(await outOfRange.text()).toContain(
      'Score for Quality and innovation: a whole number from 0 to 100',
    );
    const bid = (name: string, scores: number[]) =>
      admin.submit(url, `${url}/bidders`, {
        bidder: 'new',
        bidderName: name,
        bidderCode: '',
        ...Object.fromEntries(scores.map((s, i) => [`score_${i + 1}`, String(s)])),
      });
    // 40×71 + 30×64 + 20×80 + 10×55 = 2840 + 1920 + 1600 + 550 = 6910 → 69.10
    expect((await bid('Alpha Physio (fictional)', [71, 64, 80, 55])).status).toBe(303);
    // 40×77 + 30×61 + 20×59 + 10×33 = 3080 + 1830 + 1180 + 330 = 6420 → 64.20
    expect((await bid('Sample Diagnostics Ltd (fictional)', [77, 61, 59, 33])).status).toBe(303);
    // 40×70 + 30×65 + 20×80 + 10×61 = 2800 + 1950 + 1600 + 610 = 6960 → 69.60
    expect((await bid('Gamma MSK CIC (fictional)', [70, 65, 80, 61])).status).toBe(303);
    const scored = await full(admin, id);
    expect(scored.bidders.map((b) => [b.name, b.total, b.rank])).toEqual([
      ['Gamma MSK CIC (fictional)', '69.60', 1],
      ['Alpha Physio (fictional)', '69.10', 2],
      ['Sample Diagnostics Ltd (fictional)', '64.20', 3],
    ]);
    // A bidder already scored, changed with its code and scores left empty, keeps them.
    const alpha = scored.bidders.find((b) => b.name === 'Alpha Physio (fictional)')!;
    const renamed = await admin.submit(url, `${url}/bidders`, {
      bidder: String(alpha.id),
      bidderName: 'Alpha Physio (fictional)',
      bidderCode: 'AP1',
      ...Object.fromEntries([1, 2, 3, 4].map((n) => [`score_${n}`, ''])),
    });
    expect(renamed.status).toBe(303);
    expect((await full(admin, id)).bidders.find((b) => b.id === alpha.id)).toMatchObject({
      scores: [71, 64, 80, 55],
      total: '69.10',
    });
    const missingCode = await admin.submit(url, `${url}/bidders`, {
      bidder: String(alpha.id),
      bidderName: 'Alpha Physio (fictional)',
    });
    expect(missingCode.status).toBe(400);
    expect(await missingCode.text()).toContain('ODS code was missing from the form');
    const page = await (await admin.get(url)).text();
    expect(page).toContain('69.60');

    // The award: not to someone who did not bid; the notices in order; the standstill past a bank holiday.
    const award = {
      ...main,
      awardedTo: 'Gamma MSK CIC (fictional)',
      decidedOn: '2026-08-20',
      decidedBy: 'Primary care commissioning committee',
      rationale: 'Highest weighted score',
      intentionNoticeOn: '2026-08-27',
    };
    const notBidder = await admin.submit(url, url, { ...award, awardedTo: 'Nobody Ltd' });
    expect(notBidder.status).toBe(400);
    expect(await notBidder.text()).toContain('The award must go to one of the bidders');
    const early = await admin.submit(url, url, { ...award, awardNoticeOn: '2026-08-26' });
    expect(early.status).toBe(400);
    expect(await early.text()).toContain(
      'The contract award notice cannot come before the notice of intention to award',
    );
    const inStandstill = await admin.submit(url, url, { ...award, awardNoticeOn: '2026-09-08' });
    expect(await inStandstill.text()).toContain('during the standstill, which ends on 2026-09-09');
    expect((await admin.submit(url, url, award)).status).toBe(303);
    // Changing the record, a field left out is an error, never "clear it"; nor can the award be
    // taken away, nor the competition changed once decided.
    const omitted = await admin.submit(url, url, withoutFields(award, 'rationale'));
    expect(omitted.status).toBe(400);
    expect(await omitted.text()).toContain(
      'Rationale was missing from the form, so nothing was saved',
    );
    const unaward = await admin.submit(url, url, main);
    expect(unaward.status).toBe(400);
    expect(await unaward.text()).toContain(
      'The contract has been awarded to Gamma MSK CIC (fictional): the award can be corrected but not removed',
    );
    const rescore = await admin.submit(url, `${url}/bidders`, {
      bidder: String(scored.bidders.find((b) => b.name.startsWith('Alpha'))!.id),
      bidderName: 'Alpha Physio (fictional)',
      bidderCode: '',
      ...Object.fromEntries([1, 2, 3, 4].map((n) => [`score_${n}`, '100'])),
    });
    expect(rescore.status).toBe(400);
    expect(await rescore.text()).toContain('its bidders and their scores can no longer be changed');
    expect((await admin.submit(url, `${url}/criteria`, criteria)).status).toBe(400);
    const awarded = await full(admin, id);
    expect(awarded.bidders.map((b) => b.total)).toEqual(scored.bidders.map((b) => b.total));
    // Thursday 27 August 2026; Monday 31 August is the summer bank holiday: 28 Aug, 1–4 Sep, 7–9 Sep.
    expect(awarded.standstill).toMatchObject({
      applies: true,
      startsOn: '2026-08-28',
      endsOn: '2026-09-09',
    });
    expect(awarded.bidders.find((b) => b.awardee)?.name).toBe('Gamma MSK CIC (fictional)');
    expect((await admin.get(url)).status).toBe(200);
    expect(await (await admin.get(url)).text()).toContain(
      'From 28 Aug 2026 to midnight at the end of <strong>9 Sep 2026</strong>',
    );
    expect((await admin.submit(url, url, { ...award, awardNoticeOn: '2026-09-15' })).status).toBe(
      303,
    );
    expect((await full(admin, id)).status.kind).toBe('award notice published');

    // Decision-makers: the likely conflict (a bidder Dr Bram Sample has shares in) is filled in.
    const form = await (await admin.get(url)).text();
    expect(form).toContain('Likely conflict from the register');
    const people = (await (await admin.get('/api/v1/groups/09G/governance/interests')).json()) as {
      people: { id: number; name: string }[];
    };
    const bram = people.people.find((p) => p.name === 'Dr Bram Sample')!;
    const cara = people.people.find((p) => p.name === 'Cara Placeholder')!;
    const prefilled = new RegExp(`name="conflict_${bram.id}"[^>]*value="([^"]*)"`).exec(form)?.[1];
    // Worded without the name of a bidder not awarded, so that it can be published as it stands.
    expect(prefilled).toContain('Declared interest in another provider evaluated: ');
    expect(prefilled).not.toContain('Sample Diagnostics');
    const conflict = 'Shareholding of 6% in Sample Diagnostics Ltd, a bidder';
    const unmanaged = await admin.submit(url, `${url}/decision-makers`, {
      [`dm_${bram.id}`]: 'yes',
      [`conflict_${bram.id}`]: conflict,
      [`managed_${bram.id}`]: '',
      [`dm_${cara.id}`]: 'yes',
      [`conflict_${cara.id}`]: '',
      [`managed_${cara.id}`]: '',
    });
    expect(unmanaged.status).toBe(400);
    expect(await unmanaged.text()).toContain(
      'Dr Bram Sample declared a conflict: record how it was managed',
    );
    expect((await full(admin, id)).decisionMakers).toEqual([]);
    expect(
      (
        await admin.submit(url, `${url}/decision-makers`, {
          [`dm_${bram.id}`]: 'yes',
          [`conflict_${bram.id}`]: conflict,
          [`managed_${bram.id}`]: 'Left the room; took no part',
          [`dm_${cara.id}`]: 'yes',
          [`conflict_${cara.id}`]: '',
          [`managed_${cara.id}`]: '',
        })
      ).status,
    ).toBe(303);
    // Awarded and recorded, the decision-makers are frozen; an empty form never clears them.
    for (const fields of [{}, { [`dm_${cara.id}`]: 'yes' }]) {
      const again = await admin.submit(url, `${url}/decision-makers`, fields);
      expect(again.status).toBe(400);
      expect(await again.text()).toMatch(/Choose at least one person|can no longer be changed/);
    }
    expect((await full(admin, id)).decisionMakers).toEqual([
      { personId: cara.id, name: 'Cara Placeholder', conflict: null, managed: null },
      {
        personId: bram.id,
        name: 'Dr Bram Sample',
        conflict,
        managed: 'Left the room; took no part',
      },
    ]);

    // Every write, and the refusals, audited.
    const actions = new Set(
      (
        await seeded.store.db
          .selectFrom('audit_event')
          .select('action')
          .where('action', 'like', 'gov_procurement.%')
          .execute()
      ).map((a) => a.action),
    );
    for (const a of [
      'gov_procurement.recorded',
      'gov_procurement.changed',
      'gov_procurement.criteria_refused',
      'gov_procurement.criteria_set',
      'gov_procurement.bidder_refused',
      'gov_procurement.bidder_added',
      'gov_procurement.decision_makers_refused',
      'gov_procurement.decision_makers_set',
    ])
      expect(actions.has(a), a).toBe(true);

    // What the public sees: the award, criteria, decision-makers and conflicts; never scores of
    // the providers not awarded, their names, who recorded it, or anyone's contact details.
    const pub = await anyone.get(`/api/v1/groups/09G/public/procurement/${id}`);
    expect(pub.status).toBe(200);
    const pubText = await pub.text();
    expect(pubText).toContain('Gamma MSK CIC (fictional)');
    expect(pubText).toContain('"awardeeWeightedScore":"69.60"');
    // The conflict is published with the losing bidder's name replaced.
    expect(pubText).toContain('Shareholding of 6% in another provider evaluated, a bidder');
    expect(pubText).toContain('"providersEvaluated":3');
    for (const leak of [
      'Alpha Physio',
      'Sample Diagnostics',
      '69.10',
      '64.20',
      'admin.coastal',
      '"scores"',
      '@example.org',
      '01632',
    ])
      expect(pubText, leak).not.toContain(leak);
    const pubPage = await (await anyone.get(`/groups/09G/public/procurement/${id}`)).text();
    expect(pubPage).toContain('9 Sep 2026');
    expect(pubPage).toContain('Left the room; took no part');
    for (const leak of [
      'Alpha Physio',
      'Sample Diagnostics',
      '69.10',
      'admin.coastal',
      '@example.org',
      '01632',
    ])
      expect(pubPage, leak).not.toContain(leak);
  });

  it('publishes the register on a page, JSON and CSV with nothing private', async () => {
    const page = await anyone.get('/groups/09G/public/procurement');
    expect(page.status).toBe(200);
    const html = await page.text();
    const json = await (await anyone.get('/api/v1/groups/09G/public/procurement')).text();
    const csvResponse = await anyone.get('/groups/09G/public/procurement.csv');
    expect(csvResponse.headers.get('content-type')).toContain('text/csv');
    const csv = await csvResponse.text();
    for (const text of [html, json, csv]) {
      expect(text).toContain('University Hospitals Sussex NHS Foundation Trust');
      expect(text).toContain('Example Imaging Partnership (fictional)');
      expect(text).toContain('Dr Bram Sample');
      for (const leak of [
        '@example.org',
        '01632',
        'Placeholder Health CIC', // a provider not awarded
        'Placeholder Health',
        'Sample Diagnostics', // another, named in a decision-maker's conflict as recorded
        '70.15', // a losing score
        'recordedBy',
        'recorded_by',
        'contactEmail',
      ])
        expect(text, leak).not.toContain(leak);
    }
    expect(json).toContain('Shareholding of 6% in another provider evaluated, a bidder');
    const diag = /"id":(\d+),"title":"Community diagnostics/.exec(json)![1];
    for (const text of [
      await (await anyone.get(`/groups/09G/public/procurement/${diag}`)).text(),
      await (await anyone.get(`/api/v1/groups/09G/public/procurement/${diag}`)).text(),
    ]) {
      expect(text).toContain('another provider evaluated');
      for (const leak of ['Sample Diagnostics', 'Placeholder Health', '70.15', '70.00'])
        expect(text, leak).not.toContain(leak);
    }
    expect(html).toContain('invented people and records for the demonstration');
    expect(csv.split('\r\n')[0]).toContain('standstill_ends_on');
    expect(json).toContain('"awardeeWeightedScore":"73.75"');
    expect((await anyone.get('/api/v1/groups/NOPE/public/procurement')).status).toBe(404);
    expect((await anyone.get('/api/v1/groups/09G/public/procurement/999999')).status).toBe(404);
    expect((await anyone.get('/api/v1/groups/09G/public/procurement/abc')).status).toBe(404);
  });

  it('keeps the full register from other groups and member practices, and writing to its keepers', async () => {
    for (const path of [register, '/api/v1/groups/09G/governance/procurement', `${register}.csv`])
      expect((await brighton.get(path)).status, path).toBe(403);
    expect((await gp.get(register)).status).toBe(403);
    expect((await gp.get('/api/v1/groups/09G/governance/procurement')).status).toBe(403);
    expect((await anyone.get('/api/v1/groups/09G/governance/procurement')).status).toBe(401);
    const list = (await (await lay.get('/api/v1/groups/09G/governance/procurement')).json()) as {
      procurements: Full[];
    };
    const id = list.procurements[0]!.id;
    expect((await brighton.get(`${register}/${id}`)).status).toBe(403);
    expect((await lay.get(`${register}/${id}`)).status).toBe(200);
    const csv = await (await lay.get(`${register}.csv`)).text();
    expect(csv).toContain('Placeholder Health CIC'); // the full register has every bidder
    // A plain member cannot write (refused and audited); a lay member reads but does not write.
    const fields = { title: 'X', service: 'Y', route: 'competitive', value: '1' };
    // (A valid CSRF token, so that the refusal is the role check's.)
    const post = async (client: AppClient, action: string, f: Record<string, string>) =>
      client.submit('/groups/09G/public/procurement', action, f, {
        csrf: await client.csrfToken(),
      });
    const refusal = async (r: Response) => [r.status, (await r.text()).includes('has expired')];
    expect(await refusal(await post(gp, register, fields))).toEqual([403, false]);
    expect(await refusal(await post(lay, register, fields))).toEqual([403, false]);
    expect(
      await refusal(await post(gp, `${register}/${id}/criteria`, { name_1: 'A', weight_1: '100' })),
    ).toEqual([403, false]);
    expect(await refusal(await post(brighton, register, fields))).toEqual([403, false]);
    expect(list.procurements).toHaveLength(
      (
        (await (await lay.get('/api/v1/groups/09G/governance/procurement')).json()) as {
          procurements: Full[];
        }
      ).procurements.length,
    );
    const refused = await seeded.store.db
      .selectFrom('audit_event')
      .select('action')
      .where('action', '=', 'gov_procurement.refused')
      .execute();
    expect(refused.length).toBeGreaterThanOrEqual(3);
  });

  it('withholds the bids from a decision-maker who declared an interest in a bidder', async () => {
    const list = (await (await admin.get('/api/v1/groups/09G/governance/procurement')).json()) as {
      procurements: Full[];
    };
    const diag = list.procurements.find((p) => p.title.startsWith('Community diagnostics'))!;
    // The register's keeper (not conflicted) sees every bid.
    expect(diag.scoresWithheld).toBeNull();
    expect(diag.bidders.map((b) => b.name)).toContain('Sample Diagnostics Ltd (fictional)');
    expect(await (await admin.get(`${register}/${diag.id}`)).text()).toContain('73.75');

    // Dr Bram Sample (the lead's person) holds shares in Sample Diagnostics, a bidder.
    const before = await seeded.store.db
      .selectFrom('audit_event')
      .select('id')
      .where('action', '=', 'gov_procurement.scores_withheld')
      .execute();
    const api = await lead.get(`/api/v1/groups/09G/governance/procurement/${diag.id}`);
    expect(api.status).toBe(200);
    const apiText = await api.text();
    const page = await lead.get(`${register}/${diag.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const csv = await (await lead.get(`${register}.csv`)).text();
    const listText = await (await lead.get('/api/v1/groups/09G/governance/procurement')).text();
    const listed = (JSON.parse(listText) as { procurements: Full[] }).procurements;
    const diagListed = JSON.stringify(listed.find((p) => p.id === diag.id));
    expect(diagListed).toContain('withheld because you declared an interest');
    expect(html).toContain('withheld because you declared an interest in a provider evaluated');
    expect(apiText).toContain('withheld because you declared an interest in a provider evaluated');
    expect(csv).toContain('Withheld because you declared an interest in a provider evaluated');
    const mine = (JSON.parse(apiText) as { procurement: Full }).procurement;
    expect(mine.bidders).toEqual([]);
    expect(mine.scoresWithheld?.providersEvaluated).toBe(3);
    for (const [where, text] of [
      ['page', html],
      ['api', apiText],
      ['csv', csv],
      ['list', diagListed],
    ])
      for (const leak of [
        'Sample Diagnostics',
        'Placeholder Health',
        '73.75',
        '70.15',
        '70.00',
        '"rank"',
        '"scores"',
      ])
        expect(text, `${where}: ${leak}`).not.toContain(leak);
    // The awarded provider is public, so it is still shown.
    expect(html).toContain('Example Imaging Partnership (fictional)');
    // The dermatology renewal's awardee is a trust he has sessions with: withheld too; the hearing
    // services qualification, where he has no interest, is not.
    expect(listed.find((p) => p.route === 'direct_award_c')!.scoresWithheld).not.toBeNull();
    expect(listed.find((p) => p.route === 'aqp')!.scoresWithheld).toBeNull();
    // Audited once per request: the item API, the item page, the CSV and the list.
    const after = await seeded.store.db
      .selectFrom('audit_event')
      .select(['id', 'entity_id'])
      .where('action', '=', 'gov_procurement.scores_withheld')
      .execute();
    expect(after.length - before.length).toBe(4);
  });

  it('withholds the bids from a conflicted keeper of the register, who cannot change them', async () => {
    const list = (await (await admin.get('/api/v1/groups/09G/governance/procurement')).json()) as {
      procurements: Full[];
    };
    const diag = list.procurements.find((p) => p.title.startsWith('Community diagnostics'))!;
    const placeholder = diag.bidders.find((b) => b.name.startsWith('Placeholder Health'))!;
    // A second administrator, whose person in the register declared an interest in a bidder.
    const secretary = new AppClient(seeded.app);
    const db = seeded.store.db;
    const gus = await db
      .selectFrom('gov_person')
      .innerJoin('organisation', 'organisation.id', 'gov_person.group_id')
      .select('gov_person.id')
      .where('organisation.code', '=', '09G')
      .where('gov_person.name', '=', 'Gus Dummy')
      .executeTakeFirstOrThrow();
    const interest = await db
      .insertInto('gov_interest')
      .values({ person_id: gus.id, created_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('gov_interest_version')
      .values({
        interest_id: interest.id,
        version: 1,
        category: 'non_financial_personal',
        counterpart: 'Placeholder Health CIC',
        description: 'Trustee',
        arose_on: '2020-01-01',
        declared_on: '2020-01-01',
        action_taken: 'Excluded from procurements it bids in',
        recorded_by: 'test',
        recorded_at: new Date(),
      })
      .execute();
    await linkPersonToUser(db, '09G', 'Gus Dummy', 'admin.coastal@example.nhs.uk');
    await secretary.signIn('admin.coastal@example.nhs.uk', PASSWORD);
    const url = `${register}/${diag.id}`;
    const html = await (await secretary.get(url)).text();
    expect(html).toContain('withheld because you declared an interest in a provider evaluated');
    expect(html).not.toContain('73.75');
    expect(html).not.toContain('Placeholder Health');
    expect(html).not.toContain(`${url}/bidders`); // no forms
    // Changing the scores (or anything else of this procurement) is refused, and audited.
    const tryScore = await secretary.submit(
      url,
      `${url}/bidders`,
      {
        bidder: String(placeholder.id),
        bidderName: 'Placeholder Health CIC (fictional)',
        bidderCode: '',
        score_1: '100',
        score_2: '100',
        score_3: '100',
        score_4: '100',
        score_5: '100',
      },
      { csrf: await secretary.csrfToken() },
    );
    expect(tryScore.status).toBe(403);
    expect(await tryScore.text()).toContain('You declared an interest in a provider evaluated');
    const tryDm = await secretary.submit(
      url,
      `${url}/decision-makers`,
      {},
      {
        csrf: await secretary.csrfToken(),
      },
    );
    expect(tryDm.status).toBe(403);
    const refusals = await db
      .selectFrom('audit_event')
      .select('entity_id')
      .where('action', '=', 'gov_procurement.conflict_refused')
      .execute();
    expect(refusals.map((r) => r.entity_id)).toEqual([String(diag.id), String(diag.id)]);
    const unchanged = await full(lay, diag.id);
    expect(unchanged.bidders.find((b) => b.id === placeholder.id)!.total).toBe('70.00');
  });
});
