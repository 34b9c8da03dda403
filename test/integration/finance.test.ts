// Allocation against target and fair shares for the demo group, from the real weighted populations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppClient } from '../support/app-client.js';
import { PASSWORD, seededApp, type Seeded } from '../support/seeded.js';
import { engines } from '../support/stores.js';

describe.each(engines())('finance: allocation on %s', (engine) => {
  let seeded: Seeded;
  let gp: AppClient;
  beforeAll(async () => {
    seeded = await seededApp(engine);
    gp = new AppClient(seeded.app);
    await gp.signIn('gp.coastal@example.nhs.uk', PASSWORD);
  });
  afterAll(() => seeded.close());

  it('gives the target, distance from target and fair shares that add up to the penny', async () => {
    const url =
      '/api/v1/groups/09G/finance/allocation?year=2022%2F23&perHead=1135.41&allocation=700000000';
    const response = await gp.get(url);
    expect(response.status, await response.clone().text()).toBe(200);
    const body = (await response.json()) as {
      weightedPopulation: number;
      rawPopulation: number;
      result: {
        targetPence: number;
        allocationPence: number;
        distancePence: number;
        distancePercent: number;
      };
      practices: { weighted: number; fairSharePence: number }[];
      pcns: { fairSharePence: number }[];
    };
    const weighted = body.practices.reduce((s, p) => s + p.weighted, 0);
    expect(body.weightedPopulation).toBeCloseTo(weighted, 4);
    expect(body.result.targetPence).toBe(Math.round(weighted * 113541));
    expect(body.result.allocationPence).toBe(70_000_000_000);
    expect(body.result.distancePence).toBe(70_000_000_000 - body.result.targetPence);
    expect(body.result.distancePercent).toBeCloseTo(
      (100 * body.result.distancePence) / body.result.targetPence,
      3,
    );
    const sum = (xs: { fairSharePence: number }[]) => xs.reduce((s, x) => s + x.fairSharePence, 0);
    expect(sum(body.practices)).toBe(body.result.targetPence);
    expect(sum(body.pcns)).toBe(body.result.targetPence);

    const page = await gp.get(url.replace('/api/v1', ''));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Distance from target');
    const csv = await gp.get(
      '/groups/09G/finance/allocation.csv?year=2022%2F23&perHead=1135.41&allocation=700000000',
    );
    expect(csv.headers.get('content-type')).toContain('text/csv');
  });

  it('gives fair shares for custom groupings of practices that add up to the target', async () => {
    const base =
      '/api/v1/groups/09G/finance/allocation?year=2022%2F23&perHead=1135.41&allocation=700000000';
    const all = (await (await gp.get(base)).json()) as { practices: { code: string }[] };
    const [a, b, c] = all.practices.map((p) => p.code);
    const groupings = `North: ${a}, ${b}\nSouth: ${c}`;
    const response = await gp.get(`${base}&groupings=${encodeURIComponent(groupings)}`);
    expect(response.status, await response.clone().text()).toBe(200);
    const body = (await response.json()) as {
      result: { targetPence: number };
      groupings: { name: string; practices: number; fairSharePence: number }[];
      practices: { code: string; grouping: string | null; fairSharePence: number }[];
    };
    expect(body.groupings.map((g) => [g.name, g.practices])).toEqual([
      ['North', 2],
      ['South', 1],
      ['Not in a grouping', body.practices.length - 3],
    ]);
    expect(body.groupings.reduce((s, g) => s + g.fairSharePence, 0)).toBe(body.result.targetPence);
    const north = body.practices.filter((p) => p.grouping === 'North');
    expect(north.reduce((s, p) => s + p.fairSharePence, 0)).toBe(body.groupings[0]!.fairSharePence);
    const twice = await gp.get(`${base}&groupings=${encodeURIComponent(`A: ${a}\nB: ${a}`)}`);
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain(`${a} is already in A`);
  });

  it('refuses a negative allocation, half the inputs or an unknown year, with the field named', async () => {
    const bad = async (query: string, field: string) => {
      const api = await gp.get(`/api/v1/groups/09G/finance/allocation?${query}`);
      expect(api.status, query).toBe(400);
      const page = await gp.get(`/groups/09G/finance/allocation?${query}`);
      expect(page.status, query).toBe(400);
      const html = await page.text();
      expect(html).toContain('There is a problem');
      expect(html).toContain(`href="#${field}"`);
    };
    await bad('perHead=1135.41&allocation=-5', 'allocation');
    await bad('perHead=1135.41', 'allocation');
    await bad('year=1999%2F00', 'year');
    await bad('component=nonsense', 'component');
    await bad('perHead=abc&allocation=1', 'perHead');
    await bad(`groupings=${encodeURIComponent('North: NOTAPRACTICE')}`, 'groupings');
    await bad(`groupings=${encodeURIComponent('no colon here')}`, 'groupings');
    const other = new AppClient(seeded.app);
    await other.signIn('gp.brighton@example.nhs.uk', PASSWORD);
    expect((await other.get('/api/v1/groups/09G/finance/allocation')).status).toBe(403);
  });

  it('simulates the group’s financial risk: smaller populations swing more, pooling and stop-loss narrow it', async () => {
    const response = await gp.get('/api/v1/groups/09G/finance/risk?years=2000');
    expect(response.status, await response.clone().text()).toBe(200);
    const body = (await response.json()) as {
      dataStatus: string;
      wholeGroup: { people: number; over5: number };
      practices: { people: number; over5: number; pooledOver5?: number }[];
      sizes: { people: number; p5: number; p95: number }[];
    };
    expect(body.dataStatus).toBe('illustrative');
    expect(body.practices.length).toBeGreaterThan(20);
    expect(body.wholeGroup.people).toBe(body.practices.reduce((s, p) => s + p.people, 0));
    const spread = body.sizes.map((s) => s.p95 - s.p5);
    for (let i = 1; i < spread.length; i++) expect(spread[i]!).toBeLessThan(spread[i - 1]!);
    const pooled = body.practices.filter((p) => p.pooledOver5 !== undefined);
    expect(pooled.reduce((s, p) => s + p.pooledOver5!, 0)).toBeLessThan(
      pooled.reduce((s, p) => s + p.over5, 0),
    );
    expect((await gp.get('/api/v1/groups/09G/finance/risk?years=2000')).status).toBe(200);
    const page = await gp.get('/groups/09G/finance/risk?years=2000&stopLoss=50000');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Illustrative');
    const bad = await gp.get('/groups/09G/finance/risk?years=5&highCostPer1000=abc');
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('href="#years"');
    expect(html).toContain('href="#highCostPer1000"');
    expect((await gp.get('/api/v1/groups/09G/finance/risk?years=1000000')).status).toBe(400);
  });

  it('shows the year’s rules with sources and checks a plan, every breach with its gap', async () => {
    const rules = (await (
      await gp.get('/api/v1/groups/09G/finance/rules?year=2014%2F15')
    ).json()) as {
      rules: { year: string; rules: Record<string, { confirmed: boolean; source: string }> };
      checks: null;
    };
    expect(rules.rules.year).toBe('2014/15');
    expect(rules.rules.rules.nonRecurrentHeadroom!.confirmed).toBe(false);
    expect(rules.checks).toBeNull();
    const url =
      '/api/v1/groups/09G/finance/rules?year=2014%2F15&allocation=700000000&surplus=7000000&contingency=1000000&headroom=20000000&runningCosts=13500000';
    const checked = (await (await gp.get(url)).json()) as {
      registered: number;
      breaches: number;
      checks: {
        key: string;
        passes: boolean;
        requiredPence: number;
        plannedPence: number;
        gapPence: number;
      }[];
    };
    const by = Object.fromEntries(checked.checks.map((c) => [c.key, c]));
    expect(by.plannedSurplus).toMatchObject({ passes: true, requiredPence: 700_000_000 });
    expect(by.contingency).toMatchObject({
      passes: false,
      requiredPence: 350_000_000,
      gapPence: 250_000_000,
    });
    expect(by.runningCostPerHead!.requiredPence).toBe(2473 * checked.registered);
    expect(checked.breaches).toBe(checked.checks.filter((c) => !c.passes).length);
    const page = await gp.get(url.replace('/api/v1', ''));
    expect(await page.text()).toContain('Breach');
    const bad = await gp.get('/groups/09G/finance/rules?allocation=-1&surplus=x');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('href="#allocation"');
    expect((await gp.get('/api/v1/groups/09G/finance/rules?allocation=5')).status).toBe(400);
    expect((await gp.get('/groups/09G/finance/rules.csv?year=2014%2F15')).status).toBe(200);
  });

  it('sets each practice’s fair share of the prescribing budget against its actual spend, to the penny', async () => {
    // The seeded samples have no 09G prescribing: import one synthetic month for its practices.
    const { generatePrescribing } = await import('../../src/prescribing/synthetic-prescribing.js');
    const { prescribingImporter } = await import('../../src/prescribing/prescribing.import.js');
    const { runImport } = await import('../../src/platform/imports/import-runner.js');
    const { systemActor } = await import('../../src/platform/audit/audit.service.js');
    const { sharedDataDir } = await import('../support/subset-data.js');
    const os = await import('node:os');
    const path = await import('node:path');
    const fs = await import('node:fs');
    const members = (
      await seeded.store.db
        .selectFrom('organisation as p')
        .innerJoin('organisation_relationship as r', 'r.child_id', 'p.id')
        .innerJoin('organisation as g', 'g.id', 'r.parent_id')
        .select('p.code')
        .where('g.code', '=', '09G')
        .execute()
    ).map((r) => r.code);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'flock-budgets-'));
    const generated = await generatePrescribing(seeded.store.db, seeded.facts, {
      sharedDataDir,
      outDir: out,
      months: ['2018-05'],
      practiceCodes: members,
    });
    await runImport(seeded.store.db, prescribingImporter(), generated.months[0]!.file, {
      actor: systemActor('test'),
      facts: seeded.facts,
    });
    const body = (await (
      await gp.get('/api/v1/groups/09G/finance/practice-budgets?year=2018-19&budget=1000000')
    ).json()) as {
      months: number;
      synthetic: boolean;
      budgetPence: number;
      sharesTotalPence: number;
      actualTotalPence: number;
      rows: {
        code: string;
        fairSharePence: number | null;
        actualPence: number | null;
        differencePence: number | null;
      }[];
    };
    expect(body.synthetic).toBe(true);
    expect(body.budgetPence).toBe(100_000_000);
    expect(body.sharesTotalPence).toBe(100_000_000);
    const [facts] = await seeded.facts.all<{ pence: number }>(
      // Each practice's actual cost rounded to the penny, then added: the total is the sum of the rows.
      `SELECT sum(pence)::BIGINT AS pence FROM (SELECT round(sum(actual_cost) * 100) AS pence FROM prescribing
       WHERE month = DATE '2018-05-01' GROUP BY practice_code)`,
    );
    expect(body.actualTotalPence).toBe(facts!.pence);
    for (const r of body.rows)
      if (r.fairSharePence !== null && r.actualPence !== null)
        expect(r.differencePence).toBe(r.actualPence - r.fairSharePence);
    const shared = (await (
      await gp.get('/api/v1/groups/09G/finance/practice-budgets?year=2018-19')
    ).json()) as {
      budgetPence: number;
      actualTotalPence: number;
    };
    expect(shared.budgetPence).toBe(shared.actualTotalPence);
    expect((await gp.get('/groups/09G/finance/practice-budgets')).status).toBe(200);
    expect((await gp.get('/groups/09G/finance/practice-budgets?budget=-1')).status).toBe(400);
    expect((await gp.get('/api/v1/groups/09G/finance/practice-budgets?year=1999-00')).status).toBe(
      400,
    );
    expect((await gp.get('/groups/09G/finance/practice-budgets.csv?year=2018-19')).status).toBe(
      200,
    );
  });
});
