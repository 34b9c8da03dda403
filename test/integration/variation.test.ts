// Variation end to end on real files: activity facts, groups compared, practice ratios, attention, learning pairs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyImporter } from '../../src/app/importers.js';
import { requireGroup } from '../../src/organisations/group.service.js';
import { systemActor } from '../../src/platform/audit/audit.service.js';
import { ImportError } from '../../src/platform/errors.js';
import { runImport } from '../../src/platform/imports/import-runner.js';
import {
  aeAttendancesImporter,
  marCommissionerImporter,
  practiceActivityImporter,
} from '../../src/variation/activity.import.js';
import { writeSyntheticActivity } from '../../src/variation/synthetic-seed.js';
import { AppClient } from '../support/app-client.js';
import { PASSWORD, seededApp, subsetData, type Seeded } from '../support/seeded.js';
import { engines } from '../support/stores.js';
import { sharedDataDir } from '../support/subset-data.js';

const readCsv = (file: string) =>
  parse(readFileSync(file), { columns: true, bom: true }) as Record<string, string>[];
const marFile = path.join(
  sharedDataDir,
  'mar-monthly-activity-by-commissioner/mar_commissioner_2012-04_to_2019-12.csv',
);

describe.each(engines())('variation on %s', (engine) => {
  let seeded: Seeded;
  let gp: AppClient;
  beforeAll(async () => {
    seeded = await seededApp(engine);
    gp = new AppClient(seeded.app);
    await gp.signIn('gp.coastal@example.nhs.uk', PASSWORD);
  });
  afterAll(() => seeded.close());

  const json = async (client: AppClient, url: string) => {
    const response = await client.get(url);
    expect(response.status, `${url}: ${await response.clone().text()}`).toBe(200);
    return response.json() as Promise<Record<string, unknown>>;
  };

  it('holds the real Monthly Activity Return exactly as published', async () => {
    const rows = readCsv(marFile).filter((r) => r.org_code === '09G');
    const stored = await seeded.facts.all<{ month: string; value: number }>(
      `SELECT strftime(month, '%Y-%m') AS month, value FROM commissioner_activity
       WHERE commissioner_code = '09G' AND measure = 'gp-referrals-made-all' ORDER BY month`,
    );
    expect(stored).toEqual(
      rows.map((r) => ({
        month: r.month,
        value: Number(r['GP Referrals Made (All specialties)']),
      })),
    );
  });

  it('compares GP referrals per 1,000 between groups from real numerators and denominators', async () => {
    const body = (await json(gp, '/api/v1/groups/09G/variation/between-groups?year=2018-19')) as {
      dataStatus: string;
      self: { referrals: number; patients: number; ratePer1000: number; signal: string };
      rows: { code: string }[];
    };
    expect(body.dataStatus).toBe('real');
    const referrals = readCsv(marFile)
      .filter((r) => r.org_code === '09G' && r.fin_year === '2018-19')
      .reduce((sum, r) => sum + Number(r['GP Referrals Made (All specialties)']), 0);
    const payments = readCsv(
      path.join(subsetData(), 'nhs-payments-to-general-practice/payments_2018-19.csv'),
    ).filter((r) => r['CCG Code'] === '09G');
    const patients = payments.reduce(
      (sum, r) => sum + Number(r['Number of Registered Patients (Last Known Figure)']),
      0,
    );
    expect(body.self.referrals).toBe(referrals);
    expect(body.self.patients).toBeCloseTo(patients, 2);
    expect(body.self.ratePer1000).toBeCloseTo((referrals / patients) * 1000, 9);
    const csv = await gp.get('/groups/09G/variation/between-groups.csv?year=2018-19');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await csv.text()).toMatch(/^group_code,group_name,gp_referrals_made/);
  });

  it('answers bad variation requests with a precise 4xx', async () => {
    const cases: [string, number][] = [
      ['/api/v1/groups/09G/variation/between-groups?year=2017-18', 404],
      ['/api/v1/groups/09G/variation/between-groups?year=last', 400],
      ['/api/v1/groups/09G/variation/activity/bed-days', 404],
      ['/api/v1/groups/09G/variation/activity/gp-referrals-made-all?rebase=2099-01', 400],
      ['/api/v1/groups/09G/variation/ae?provider=ZZZ99', 404],
      ['/api/v1/groups/09G/variation/practices?pod=dentistry', 400],
      ['/api/v1/groups/09G/variation/practices?pod=ae-attendance', 404],
      ['/api/v1/groups/09G/variation/practices?to=2030-01', 400],
      ['/api/v1/groups/09G/variation/practices/funnel?specialty=999', 400],
      ['/api/v1/groups/09G/practices/A81001/activity', 404],
    ];
    for (const [url, status] of cases) {
      const response = await gp.get(url);
      expect(response.status, url).toBe(status);
      expect(
        ((await response.json()) as { error: { message: string } }).error.message,
      ).toBeTruthy();
    }
    expect((await new AppClient(seeded.app).get('/api/v1/groups/09G/variation/ae')).status).toBe(
      401,
    );
    const brighton = new AppClient(seeded.app);
    await brighton.signIn('gp.brighton@example.nhs.uk', PASSWORD);
    expect((await brighton.get('/groups/09G/variation/practices')).status).toBe(403);
  });

  it('rebases an SPC chart into segments with their own limits', async () => {
    const one = (await json(gp, '/api/v1/groups/09G/variation/activity/gp-referrals-made-all')) as {
      segments: unknown[];
    };
    const two = (await json(
      gp,
      '/api/v1/groups/09G/variation/activity/gp-referrals-made-all?rebase=2016-04',
    )) as { segments: { from: string; mean: number }[] };
    expect(one.segments).toHaveLength(1);
    expect(two.segments.map((s) => s.from)).toEqual(['2013-04', '2016-04']);
  });

  it('shows A&E 4-hour performance with assurance against the 95% standard', async () => {
    const body = (await json(gp, '/api/v1/groups/09G/variation/ae?provider=RYR')) as {
      provider: { code: string };
      assurance: string | null;
      points: { month: string; value: number }[];
    };
    expect(body.provider.code).toBe('RYR');
    expect(['consistent_pass', 'consistent_fail', 'inconsistent']).toContain(body.assurance);
    const published = readCsv(path.join(sharedDataDir, 'nhsr-datasets/ae_attendances.csv')).filter(
      (r) => r.org_code === 'RYR' && r.period === '2018-12-01',
    );
    const attendances = published.reduce((s, r) => s + Number(r.attendances), 0);
    const breaches = published.reduce((s, r) => s + Number(r.breaches), 0);
    const december = body.points.find((p) => p.month === '2018-12')!;
    expect(december.value).toBeCloseTo(((attendances - breaches) / attendances) * 100, 9);
  });

  it('generates synthetic activity that adds up exactly to the real monthly totals', async () => {
    const sums = await seeded.facts.all<{ pod: string; month: string; total: number }>(
      `SELECT point_of_delivery AS pod, strftime(month, '%Y-%m') AS month, sum(count) AS total,
              bool_and(synthetic) AS all_synthetic
       FROM practice_activity GROUP BY ALL ORDER BY 1, 2`,
    );
    const mar = new Map(
      readCsv(marFile)
        .filter((r) => r.org_code === '09G')
        .map((r) => [r.month, r]),
    );
    const column: Record<string, string> = {
      'gp-referral': 'GP Referrals Made (All specialties)',
      'first-outpatient': 'All 1st Outpatient Attendances (G&A)',
      'elective-admission': 'Elective G&A Total Admissions (FFCEs)',
      'emergency-admission': 'Total Non-elective G&A Admissions (FFCEs)',
    };
    expect(sums.length).toBe(mar.size * 4);
    for (const s of sums)
      expect(s.total, `${s.pod} ${s.month}`).toBe(Number(mar.get(s.month)![column[s.pod]!]));
  });

  it('finds every planted outlier beyond the funnel limits, and labels the data synthetic', async () => {
    const group = await requireGroup(seeded.store.db, '09G', '2026-11-22');
    const written = await writeSyntheticActivity(
      seeded.store.db,
      seeded.facts,
      group,
      mkdtempSync(path.join(os.tmpdir(), 'flock-planted-')),
    );
    const grid = (await json(gp, '/api/v1/groups/09G/variation/practices?pod=gp-referral')) as {
      dataStatus: string;
      rows: { code: string; cells: Record<string, { signal: string; ratio: number }> }[];
    };
    expect(grid.dataStatus).toBe('synthetic');
    expect(written!.planted.length).toBe(4);
    for (const planted of written!.planted) {
      const cell = grid.rows.find((r) => r.code === planted.practiceCode)!.cells[
        planted.specialty
      ]!;
      expect(cell.signal, JSON.stringify(planted)).toBe(
        planted.factor > 1 ? 'high-99.8' : 'low-99.8',
      );
    }
    const html = await (
      await gp.get('/groups/09G/variation/practices/funnel?specialty=130')
    ).text();
    expect(html).toContain('Synthetic data');
    const attention = (await json(gp, '/api/v1/groups/09G/variation/attention')) as {
      items: { kind: string; href: string; why: string }[];
    };
    const planted = written!.planted[0]!;
    expect(
      attention.items.some(
        (i) => i.kind === 'funnel-outlier' && i.href.includes(`specialty=${planted.specialty}`),
      ),
    ).toBe(true);
    const csv = await (await gp.get('/groups/09G/variation/practices.csv?pod=gp-referral')).text();
    expect(csv.split(/\r?\n/)[0]).toBe(
      'practice_code,practice_name,point_of_delivery,from_month,to_month,treatment_function,observed,expected,standardised_ratio,lower_95,upper_95,lower_99_8,upper_99_8,funnel_signal,data',
    );
  });

  it('lets a clinical lead record and follow up a learning pair, audited; others may only look', async () => {
    const lead = new AppClient(seeded.app);
    await lead.signIn('lead.coastal@example.nhs.uk', PASSWORD);
    const api = (await json(lead, '/api/v1/groups/09G/variation/pairs')) as {
      suggestions: { specialty: string; high: { code: string }; candidates: { code: string }[] }[];
    };
    const suggestion = api.suggestions.find((s) => s.candidates.length > 0)!;
    const fields = {
      high: suggestion.high.code,
      low: suggestion.candidates[0]!.code,
      specialty: suggestion.specialty,
    };
    const pairsPage = '/groups/09G/variation/pairs';
    const refused = await gp.submit(pairsPage, pairsPage, fields);
    expect(refused.status).toBe(403);

    const created = await lead.submit(pairsPage, pairsPage, fields);
    expect(created.status).toBe(303);
    const again = await lead.submit(pairsPage, pairsPage, fields);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('There is a problem');
    const wrong = await lead.submit(pairsPage, pairsPage, { ...fields, high: fields.low });
    expect(wrong.status).toBe(400);

    const [pair] = (
      (await json(lead, '/api/v1/groups/09G/variation/pairs')) as { pairs: { id: number }[] }
    ).pairs;
    const action = `${pairsPage}/${pair!.id}`;
    const bad = await lead.submit(pairsPage, action, {
      status: 'met',
      followUpOn: '2020-02-30',
      notes: 'x',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Enter the follow-up date as a real date');
    const good = await lead.submit(pairsPage, action, {
      status: 'met',
      followUpOn: '2020-06-30',
      notes: 'Visited; shared the ophthalmology pathway.',
    });
    expect(good.status).toBe(303);
    const stored = (
      (await json(lead, '/api/v1/groups/09G/variation/pairs')) as {
        pairs: { status: string; follow_up_on: string; notes: string }[];
      }
    ).pairs[0]!;
    expect(stored).toMatchObject({ status: 'met', follow_up_on: '2020-06-30' });
    // A form cut short (no notes, no date) does not wipe them.
    const cutShort = await lead.submit(pairsPage, action, { status: 'met' });
    expect(cutShort.status).toBe(400);
    expect(await cutShort.text()).toContain(
      'Follow up on was missing from the form, so nothing was saved',
    );
    const events = await seeded.store.db
      .selectFrom('audit_event')
      .select(['action', 'before_state', 'after_state'])
      .orderBy('id')
      .where('entity_type', '=', 'learning_pair')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['learning_pair.created', 'learning_pair.updated']);
    expect(events[1]!.before_state).toMatchObject({ status: 'proposed' });
    expect(events[1]!.after_state).toMatchObject({ status: 'met', followUpOn: '2020-06-30' });
  });

  it('imports bad activity files not at all, naming the file, row and column', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flock-bad-activity-'));
    const before = await seeded.facts.all<{ n: number }>(
      'SELECT count(*) AS n FROM practice_activity',
    );
    const attempt = async (
      name: string,
      text: string,
      importer: AnyImporter = practiceActivityImporter(),
    ): Promise<ImportError> => {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      const error = await runImport(seeded.store.db, importer, file, {
        actor: systemActor('test'),
        facts: seeded.facts,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportError);
      return error as ImportError;
    };
    const header = 'practice_code,month,point_of_delivery,treatment_function,count\n';
    expect(
      (
        await attempt(
          'a.csv',
          `${header}H82014,2019-01,gp-referral,130,5\nZZ9999,2019-01,gp-referral,130,5\n`,
        )
      ).message,
    ).toMatch(/a\.csv, row 3, column "practice_code": unknown practice code "ZZ9999"/);
    expect((await attempt('b.csv', `${header}H82014,2019-01,dentistry,130,5\n`)).message).toMatch(
      /b\.csv, row 2, column "point_of_delivery"/,
    );
    expect(
      (await attempt('c.csv', `${header}H82014,2019-01,gp-referral,130,-5\n`)).message,
    ).toMatch(/c\.csv, row 2, column "count"/);
    expect((await attempt('d.csv', `${header}H82014,2019-13,gp-referral,130,5\n`)).message).toMatch(
      /d\.csv, row 2, column "month": expected a month as YYYY-MM/,
    );
    expect(
      (
        await attempt(
          'e.csv',
          `${header}H82014,2019-01,gp-referral,130,5\nH82014,2019-01,gp-referral,130,6\n`,
        )
      ).message,
    ).toMatch(/e\.csv, row 3: duplicate row/);
    expect(
      (
        await attempt(
          'ae.csv',
          'period,org_code,type,attendances,breaches,admissions\n2018-01-01,RYR,1,100,101,5\n',
          aeAttendancesImporter(),
        )
      ).message,
    ).toMatch(/ae\.csv, row 2, column "breaches": more patients waited over 4 hours than attended/);
    const marHeader = readFileSync(marFile, 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\n')[0]!;
    const marRow = readFileSync(marFile, 'utf8').split('\n')[1]!.replace(',115093,', ',lots,');
    expect(
      (await attempt('mar.csv', `${marHeader}\n${marRow}\n`, marCommissionerImporter())).message,
    ).toMatch(
      /mar\.csv, row 2, column "Elective G&A Ordinary Admissions \(FFCEs\)": expected a number/,
    );
    const after = await seeded.facts.all<{ n: number }>(
      'SELECT count(*) AS n FROM practice_activity',
    );
    expect(after).toEqual(before);
  });
});
