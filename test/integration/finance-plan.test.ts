// The plan, QIPP, ledger, forecast and running costs on the demo group's illustrative plan: figures
// recomputed by hand from the stored rows, every bad input refused with nothing saved, roles enforced.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppClient, withoutFields } from '../support/app-client.js';
import { PASSWORD, seededApp, type Seeded } from '../support/seeded.js';
import { engines } from '../support/stores.js';

interface Forecastish {
  budgetPence: number;
  actualToDatePence: number;
  budgetToDatePence: number;
  runRatePence: number;
  phasedPence: number;
  commitmentsPence: number;
}
interface BudgetBody {
  monthsElapsed: number;
  total: Forecastish;
  programmes: (Forecastish & {
    costCentres: (Forecastish & { code: string; monthlyActualPence: number[] })[];
  })[];
}

const ledgerPage = '/groups/09G/finance/ledger';
const csv = (rows: string[][]) =>
  ['Entity,Period,Cost Centre,Subjective,Amount,Description', ...rows.map((r) => r.join(','))].join(
    '\n',
  ) + '\n';

describe.each(engines())('finance: plan, ledger and forecast on %s', (engine) => {
  let seeded: Seeded;
  let finance: AppClient;
  let lay: AppClient;
  let gp: AppClient;
  let brighton: AppClient;
  const json = async (client: AppClient, url: string) => {
    const r = await client.get(url);
    expect(r.status, `${url}: ${(await r.clone().text()).slice(0, 300)}`).toBe(200);
    return r.json();
  };
  const ledgerRows = async () =>
    Number(
      (
        await sql<{ n: string }>`SELECT count(*)::text AS n FROM ledger_entry`.execute(
          seeded.store.db,
        )
      ).rows[0]!.n,
    );

  beforeAll(async () => {
    seeded = await seededApp(engine);
    finance = new AppClient(seeded.app);
    lay = new AppClient(seeded.app);
    gp = new AppClient(seeded.app);
    brighton = new AppClient(seeded.app);
    await finance.signIn('finance.coastal@example.nhs.uk', PASSWORD);
    await lay.signIn('lay.coastal@example.nhs.uk', PASSWORD);
    await gp.signIn('gp.coastal@example.nhs.uk', PASSWORD);
    await brighton.signIn('gp.brighton@example.nhs.uk', PASSWORD);
  }, 240_000);
  afterAll(() => seeded.close());

  it('keeps a plan whose budgets add up to the allocation, with the QIPP requirement derived', async () => {
    const plan = (await json(lay, '/api/v1/groups/09G/finance/plan')) as {
      illustrative: boolean;
      allocationPence: number;
      committedSpendPence: number;
      growthPence: number;
      totalBudgetPence: number;
      balanced: boolean;
      programmes: { budgetPence: number; costCentres: { budgetPence: number }[] }[];
      rules: {
        breaches: number;
        checks: { key: string; requiredPence: number; rule: { kind: string } }[];
      };
      qipp: { requirementPence: number; rulesPence: number };
    };
    expect(plan.illustrative).toBe(true);
    expect(plan.balanced).toBe(true);
    const lines = plan.programmes.flatMap((p) => p.costCentres.map((c) => c.budgetPence));
    expect(lines.reduce((s, x) => s + x, 0)).toBe(plan.allocationPence);
    for (const p of plan.programmes)
      expect(p.costCentres.reduce((s, c) => s + c.budgetPence, 0)).toBe(p.budgetPence);
    expect(plan.rules.breaches, JSON.stringify(plan.rules.checks)).toBe(0);
    const rules = plan.rules.checks
      .filter((c) => c.rule.kind === 'percent')
      .reduce((s, c) => s + c.requiredPence, 0);
    expect(plan.qipp.rulesPence).toBe(rules);
    expect(plan.qipp.requirementPence).toBe(
      plan.committedSpendPence + plan.growthPence + rules - plan.allocationPence,
    );
    const page = await (await lay.get('/groups/09G/finance/plan')).text();
    expect(page).toContain('Illustrative figures');
    expect(page).not.toContain('Save the plan'); // lay members read, they do not edit
  });

  it('gives budget against actual from the live imports and journals, and both forecasts by hand', async () => {
    const b = (await json(lay, '/api/v1/groups/09G/finance/budget')) as BudgetBody;
    expect(b.monthsElapsed).toBe(6);
    const stored = await sql<{ code: string; actual: string }>`
      SELECT cc.code, sum(e.amount_pence)::text AS actual FROM ledger_entry e
      JOIN finance_cost_centre cc ON cc.id = e.cost_centre_id
      LEFT JOIN ledger_load l ON l.import_id = e.import_id
      WHERE e.journal_id IS NOT NULL OR l.reversed_at IS NULL GROUP BY cc.code`.execute(
      seeded.store.db,
    );
    const actual = new Map(stored.rows.map((r) => [r.code, Number(r.actual)]));
    const lines = b.programmes.flatMap((p) => p.costCentres);
    for (const l of lines) {
      expect(l.actualToDatePence, l.code).toBe(actual.get(l.code) ?? 0);
      expect(l.monthlyActualPence.reduce((s, x) => s + x, 0)).toBe(l.actualToDatePence);
      // Budget to date: six twelfths, the odd pence in the first months.
      const base = Math.floor(l.budgetPence / 12);
      expect(l.budgetToDatePence).toBe(6 * base + Math.min(6, l.budgetPence - 12 * base));
      expect(l.runRatePence).toBe(Math.round((l.actualToDatePence * 12) / 6));
      expect(l.phasedPence).toBe(
        l.actualToDatePence + (l.budgetPence - l.budgetToDatePence) + l.commitmentsPence,
      );
    }
    // The reversed first export of September does not count; the journal does.
    const sum = (k: keyof Forecastish) => lines.reduce((s, l) => s + l[k], 0);
    expect(b.total.actualToDatePence).toBe(sum('actualToDatePence'));
    expect(b.total.runRatePence).toBe(sum('runRatePence'));
    expect(b.total.phasedPence).toBe(sum('phasedPence'));
    const reversed = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM ledger_load WHERE reversed_at IS NOT NULL`.execute(
      seeded.store.db,
    );
    expect(Number(reversed.rows[0]!.n)).toBe(1);
    const kept = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM ledger_entry e JOIN ledger_load l ON l.import_id = e.import_id
      WHERE l.reversed_at IS NOT NULL`.execute(seeded.store.db);
    expect(Number(kept.rows[0]!.n)).toBeGreaterThan(0); // history kept, not counted
    const csvText = await (await lay.get('/groups/09G/finance/budget.csv')).text();
    expect(csvText.split('\n')[0]).toContain('explanation_run_rate');
    expect(csvText).toContain('ACU01');
  });

  it('imports a month, refuses bad files naming the row and column, and changes nothing when it does', async () => {
    const before = await ledgerRows();
    const bad = async (name: string, content: string, expected: RegExp) => {
      const r = await finance.upload(
        ledgerPage,
        `${ledgerPage}/upload`,
        { year: '2022/23' },
        { field: 'file', name, content },
      );
      const html = await r.text();
      expect(r.status, name).toBe(400);
      expect(html).toContain('There is a problem');
      expect(html.replaceAll('&quot;', '"').replaceAll('&#39;', "'"), name).toMatch(expected);
      expect(await ledgerRows(), name).toBe(before);
    };
    await bad(
      'unknown-cc.csv',
      csv([
        ['09G', '2022-10', 'ACU01', '51210', '1000.00', ''],
        ['09G', '2022-10', 'NOPE9', '51210', '5.00', ''],
      ]),
      /unknown-cc\.csv, row 3, column "Cost Centre": unknown cost centre "NOPE9"/,
    );
    await bad(
      'closed.csv',
      csv([['09G', '2022-04', 'ACU01', '51210', '1.00', '']]),
      /April 2022|Apr 2022 is closed/,
    );
    await bad(
      'loaded.csv',
      csv([['09G', '2022-09', 'ACU01', '51210', '1.00', '']]),
      /already loaded \(import \d+\); reverse that import first/,
    );
    await bad(
      'two-months.csv',
      csv([
        ['09G', '2022-10', 'ACU01', '51210', '1.00', ''],
        ['09G', '2022-11', 'ACU01', '51210', '1.00', ''],
      ]),
      /row 3, column "Period": a file holds one month/,
    );
    await bad(
      'pennies.csv',
      csv([['09G', '2022-10', 'ACU01', '51210', '1.005', '']]),
      /row 2, column "Amount"/,
    );
    await bad(
      'no-decimal-point.csv',
      csv([
        ['09G', '2022-10', 'ACU01', '51210', '1000.00', ''],
        ['09G', '2022-10', 'ACU01', '51210', '-240000000000', ''],
      ]),
      /row 3, column "Amount": −£240,000,000,000\.00 is more than 09G's whole allocation for 2022\/23/,
    );
    await bad(
      'no-plan.csv',
      csv([['09G', '2024-10', 'ACU01', '51210', '1.00', '']]),
      /no financial plan for 2024\/25/,
    );
    await bad('header-only.csv', csv([]), /header but no rows/);
    await bad('empty.csv', '', /the file is empty \(0 bytes\)/);
    await bad(
      'other-group.csv',
      csv([['09D', '2022-10', 'ACU01', '51210', '1.00', '']]),
      /row 2, column "Entity": this file is 09D's ledger; only 09G's can be imported here/,
    );

    const good = csv([
      ['09G', '2022-10', 'ACU01', '51210', '24000000.00', 'October contract'],
      ['09G', '2022-10', 'PRE01', '53110', '-1250.50', 'Credit note'],
    ]);
    const r = await finance.upload(
      ledgerPage,
      `${ledgerPage}/upload`,
      { year: '2022/23' },
      { field: 'file', name: 'ledger-09G-2022-10.csv', content: good },
    );
    expect(r.status, (await r.clone().text()).slice(0, 500)).toBe(303);
    expect(await ledgerRows()).toBe(before + 2);
    const b = (await json(finance, '/api/v1/groups/09G/finance/budget')) as BudgetBody;
    expect(b.monthsElapsed).toBe(7);
    // The same file again changes nothing.
    const again = await finance.upload(
      ledgerPage,
      `${ledgerPage}/upload`,
      { year: '2022/23' },
      { field: 'file', name: 'ledger-09G-2022-10.csv', content: good },
    );
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already imported');
    expect(await ledgerRows()).toBe(before + 2);

    // Reversed, the month no longer counts, its rows stay, and a corrected file can follow.
    const ledger = (await json(finance, '/api/v1/groups/09G/finance/ledger')) as {
      months: { period: string; import: { id: number } | null }[];
    };
    const october = ledger.months.find((m) => m.period === '2022-10')!.import!.id;
    const noReason = await finance.submit(ledgerPage, `${ledgerPage}/reverse`, {
      year: '2022/23',
      reverseImport: String(october),
      reverseReason: '',
    });
    expect(noReason.status).toBe(400);
    const reversed = await finance.submit(ledgerPage, `${ledgerPage}/reverse`, {
      year: '2022/23',
      reverseImport: String(october),
      reverseReason: 'Wrong contract value posted',
    });
    expect(reversed.status).toBe(303);
    expect(
      ((await json(finance, '/api/v1/groups/09G/finance/budget')) as BudgetBody).monthsElapsed,
    ).toBe(6);
    expect(await ledgerRows()).toBe(before + 2);
    const corrected = await finance.upload(
      ledgerPage,
      `${ledgerPage}/upload`,
      { year: '2022/23' },
      {
        field: 'file',
        name: 'ledger-09G-2022-10-corrected.csv',
        content: csv([['09G', '2022-10', 'ACU01', '51210', '23500000.00', 'October contract']]),
      },
    );
    expect(corrected.status).toBe(303);
    expect(
      ((await json(finance, '/api/v1/groups/09G/finance/budget')) as BudgetBody).monthsElapsed,
    ).toBe(7);
  });

  it('closes months in order; a closed month cannot be reversed and changes only by journal with a reason', async () => {
    const outOfOrder = await finance.submit(ledgerPage, `${ledgerPage}/close`, {
      year: '2022/23',
      closePeriod: '2022-10',
    });
    expect(outOfOrder.status).toBe(400);
    expect(await outOfOrder.text()).toContain('Close Sep 2022 first');
    expect(
      (
        await finance.submit(ledgerPage, `${ledgerPage}/close`, {
          year: '2022/23',
          closePeriod: '2022-09',
        })
      ).status,
    ).toBe(303);
    const ledger = (await json(finance, '/api/v1/groups/09G/finance/ledger')) as {
      months: { period: string; import: { id: number } | null; closed: unknown }[];
    };
    const sep = ledger.months.find((m) => m.period === '2022-09')!;
    expect(sep.closed).not.toBeNull();
    const refuse = await finance.submit(ledgerPage, `${ledgerPage}/reverse`, {
      year: '2022/23',
      reverseImport: String(sep.import!.id),
      reverseReason: 'Trying after close',
    });
    expect(refuse.status).toBe(400);
    expect(await refuse.text()).toContain('correct it with a journal');

    const before = ((await json(finance, '/api/v1/groups/09G/finance/budget')) as BudgetBody).total
      .actualToDatePence;
    const future = await finance.submit(ledgerPage, `${ledgerPage}/journal`, {
      year: '2022/23',
      journalPeriod: '2023-02',
      journalCostCentre: 'MH03',
      journalSubjective: '52530',
      journalAmount: '1000',
      journalReason: 'Accrual for a month not yet imported',
    });
    expect(future.status).toBe(400);
    expect(await future.text()).toContain(
      'A journal adjusts a month with actuals: the last month imported is Oct 2022',
    );
    const noChoice = await finance.submit(ledgerPage, `${ledgerPage}/reverse`, {
      year: '2022/23',
      reverseImport: '',
      reverseReason: 'No import chosen',
    });
    expect(noChoice.status).toBe(400);
    const noReason = await finance.submit(ledgerPage, `${ledgerPage}/journal`, {
      year: '2022/23',
      journalPeriod: '2022-09',
      journalCostCentre: 'MH03',
      journalSubjective: '52530',
      journalAmount: '1000',
      journalReason: '',
    });
    expect(noReason.status).toBe(400);
    const journal = await finance.submit(ledgerPage, `${ledgerPage}/journal`, {
      year: '2022/23',
      journalPeriod: '2022-09',
      journalCostCentre: 'MH03',
      journalSubjective: '52530',
      journalAmount: '-1234.56',
      journalReason: 'Placement invoice credited after close',
    });
    expect(journal.status).toBe(303);
    const after = ((await json(finance, '/api/v1/groups/09G/finance/budget')) as BudgetBody).total
      .actualToDatePence;
    expect(after).toBe(before - 123456);
    const audit = await sql<{ action: string }>`
      SELECT action FROM audit_event WHERE action LIKE 'ledger%' ORDER BY id`.execute(
      seeded.store.db,
    );
    const actions = audit.rows.map((r) => r.action);
    expect(actions).toContain('ledger_import.reversed');
    expect(actions).toContain('ledger_period.closed');
    expect(actions.at(-1)).toBe('ledger_journal.posted');
  });

  it('counts known commitments in the phased forecast until they are released', async () => {
    const forecastOf = async () =>
      ((await json(finance, '/api/v1/groups/09G/finance/budget?year=2022%2F23')) as BudgetBody)
        .total;
    const before = await forecastOf();
    const added = await finance.submit(ledgerPage, `${ledgerPage}/commitment`, {
      year: '2022/23',
      commitmentCostCentre: 'CHC01',
      commitmentDescription: 'New complex care package from January',
      commitmentAmount: '120000.50',
    });
    expect(added.status).toBe(303);
    const withIt = await forecastOf();
    expect(withIt.phasedPence - before.phasedPence).toBe(12_000_050);
    expect(withIt.runRatePence).toBe(before.runRatePence);
    const ledger = (await json(finance, '/api/v1/groups/09G/finance/ledger?year=2022%2F23')) as {
      commitments: { id: number; description: string; released_at: string | null }[];
    };
    const id = ledger.commitments.find((k) => k.description.startsWith('New complex care'))!.id;
    const noWhy = await finance.submit(ledgerPage, `${ledgerPage}/release`, {
      year: '2022/23',
      releaseCommitment: String(id),
      releaseReason: '',
    });
    expect(noWhy.status).toBe(400);
    const released = await finance.submit(ledgerPage, `${ledgerPage}/release`, {
      year: '2022/23',
      releaseCommitment: String(id),
      releaseReason: 'Package now in the October actuals',
    });
    expect(released.status).toBe(303);
    expect((await forecastOf()).phasedPence).toBe(before.phasedPence);
    const again = await finance.submit(ledgerPage, `${ledgerPage}/release`, {
      year: '2022/23',
      releaseCommitment: String(id),
      releaseReason: 'Released twice',
    });
    expect(again.status).toBe(400);
  });

  it('refuses a plan whose budgets do not add up, or a negative allocation, with nothing saved', async () => {
    const planPage = '/groups/09G/finance/plan';
    const before = await json(finance, '/api/v1/groups/09G/finance/plan');
    const html = await (await finance.get(planPage)).text();
    const fields: Record<string, string> = { year: '2022/23', basis: '' };
    for (const m of html.matchAll(
      /name="(allocation|committed|growth|budget-[A-Z0-9]+)"[^>]*value="([^"]*)"/g,
    ))
      fields[m[1]!] = m[2]!;
    expect(Object.keys(fields).filter((k) => k.startsWith('budget-')).length).toBeGreaterThan(20);
    const unbalanced = await finance.submit(planPage, planPage, {
      ...fields,
      'budget-ACU01': '1.00',
    });
    expect(unbalanced.status).toBe(400);
    expect(await unbalanced.text()).toContain('must match to the penny');
    const negative = await finance.submit(planPage, planPage, { ...fields, allocation: '-5' });
    expect(negative.status).toBe(400);
    expect(await negative.text()).toContain('Allocation must not be negative');
    const cutShort = await finance.submit(planPage, planPage, withoutFields(fields, 'basis'));
    expect(cutShort.status).toBe(400);
    expect(await cutShort.text()).toContain(
      'Basis of the figures was missing from the form, so nothing was saved',
    );
    const farFuture = await finance.submit(planPage, planPage, { ...fields, year: '9998/99' });
    expect(farFuture.status).toBe(400);
    expect(await farFuture.text()).toContain(
      'Enter the financial year like 2022/23 (from 1948 to 2099)',
    );
    expect(await json(finance, '/api/v1/groups/09G/finance/plan')).toEqual(before);

    // A member of the governing body reads the plan but cannot change it.
    expect((await lay.submit(planPage, planPage, fields)).status).toBe(403);

    // A new year's plan with the standard cost centres, balanced to the penny.
    const next: Record<string, string> = {
      year: '2023/24',
      allocation: '1000.00',
      committed: '900',
      growth: '20',
      basis: '',
    };
    const standard = [
      'ACU01',
      'COM01',
      'MH01',
      'CHC01',
      'PRE01',
      'PC01',
      'OTH01',
      'RC01',
      'RES01',
      'RES02',
      'RES03',
    ];
    for (const code of standard) next[`budget-${code}`] = code === 'ACU01' ? '900.00' : '10.00';
    const created = await finance.submit(planPage, planPage, next);
    expect(created.status, (await created.clone().text()).slice(0, 300)).toBe(303);
    const plan = (await json(finance, '/api/v1/groups/09G/finance/plan?year=2023%2F24')) as {
      totalBudgetPence: number;
      illustrative: boolean;
    };
    expect(plan.totalBudgetPence).toBe(100_000);
    expect(plan.illustrative).toBe(false);
  });

  it('tracks QIPP schemes and their delivery', async () => {
    const qippPage = '/groups/09G/finance/qipp';
    const before = (await json(finance, '/api/v1/groups/09G/finance/qipp?year=2022%2F23')) as {
      plannedPence: number;
      requirementPence: number;
      unidentifiedPence: number;
      schemes: { id: number; name: string; plannedPence: number; planned: number[] }[];
    };
    expect(before.unidentifiedPence).toBe(
      Math.max(0, before.requirementPence - before.plannedPence),
    );
    const missing = await finance.submit(qippPage, qippPage, {
      year: '2022/23',
      schemeName: 'Falls prevention',
      schemeOwner: '',
      schemeCostCentre: 'COM01',
      schemeRisk: 'low',
      schemeSaving: '0',
      schemeFirstMonth: '7',
    });
    expect(missing.status).toBe(400);
    const text = await missing.text();
    expect(text).toContain('Enter who owns the scheme');
    expect(text).toContain('The saving must be more than £0');
    const added = await finance.submit(qippPage, qippPage, {
      year: '2022/23',
      schemeName: 'Falls prevention',
      schemeOwner: 'Community services lead',
      schemeCostCentre: 'COM01',
      schemeRisk: 'low',
      schemeSaving: '60000.06',
      schemeFirstMonth: '7',
    });
    expect(added.status).toBe(303);
    const after = (await json(
      finance,
      '/api/v1/groups/09G/finance/qipp?year=2022%2F23',
    )) as typeof before;
    const scheme = after.schemes.find((s) => s.name === 'Falls prevention')!;
    expect(scheme.plannedPence).toBe(6_000_006);
    expect(scheme.planned.slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(scheme.planned.reduce((s, x) => s + x, 0)).toBe(6_000_006);
    expect(after.plannedPence).toBe(before.plannedPence + 6_000_006);
    const delivered = await finance.submit(qippPage, `${qippPage}/delivery`, {
      year: '2022/23',
      deliveryScheme: String(scheme.id),
      deliveryMonth: '7',
      deliveryAmount: '9000',
    });
    expect(delivered.status).toBe(303);
    const overAllocation = await finance.submit(qippPage, `${qippPage}/delivery`, {
      year: '2022/23',
      deliveryScheme: String(scheme.id),
      deliveryMonth: '8',
      deliveryAmount: '2147483648.99',
    });
    expect(overAllocation.status).toBe(400);
    expect((await overAllocation.text()).replaceAll('&#39;', "'")).toMatch(
      /Delivered saving must be no more than £[\d,.]+ \(the year’s allocation\)/,
    );
    // A form without its year is refused, never applied to whichever year is the latest.
    const noYear = await finance.submit(qippPage, `${qippPage}/delivery`, {
      deliveryScheme: String(scheme.id),
      deliveryMonth: '8',
      deliveryAmount: '100',
    });
    expect(noYear.status).toBe(400);
    expect(await noYear.text()).toContain('Financial year was missing from the form');
    const noOwner = await finance.submit(qippPage, `${qippPage}/scheme`, {
      year: '2022/23',
      changeScheme: String(scheme.id),
      changeOwner: '',
      changeRisk: 'high',
    });
    expect(noOwner.status).toBe(400);
    const changed = await finance.submit(qippPage, `${qippPage}/scheme`, {
      year: '2022/23',
      changeScheme: String(scheme.id),
      changeOwner: 'Falls lead',
      changeRisk: 'high',
    });
    expect(changed.status).toBe(303);
    const latest = (await json(finance, '/api/v1/groups/09G/finance/qipp?year=2022%2F23')) as {
      schemes: { id: number; owner: string; risk: string }[];
    };
    expect(latest.schemes.find((s) => s.id === scheme.id)).toMatchObject({
      owner: 'Falls lead',
      risk: 'high',
    });
    expect((await lay.submit(qippPage, qippPage, { year: '2022/23' })).status).toBe(403);
    expect(
      (
        await lay.submit(qippPage, `${qippPage}/scheme`, {
          year: '2022/23',
          changeScheme: String(scheme.id),
          changeOwner: 'X',
          changeRisk: 'low',
        })
      ).status,
    ).toBe(403);
  });

  it('shows the plan to officers, running costs to members, and nothing to other groups', async () => {
    for (const url of [
      '/groups/09G/finance/plan',
      '/groups/09G/finance/budget',
      '/groups/09G/finance/qipp',
      '/groups/09G/finance/ledger',
      '/api/v1/groups/09G/finance/budget',
    ]) {
      expect((await gp.get(url)).status, url).toBe(403);
      expect((await brighton.get(url)).status, url).toBe(403);
      expect((await lay.get(url)).status, url).toBe(200);
    }
    const rc = (await json(gp, '/api/v1/groups/09G/finance/running-costs')) as {
      allowancePence: number;
      perHead: string;
      registered: number;
      budgetPence: number;
      categories: { budgetPence: number }[];
    };
    expect(rc.allowancePence).toBe(Math.round(Number(rc.perHead) * 100) * rc.registered);
    expect(rc.categories.reduce((s, c) => s + c.budgetPence, 0)).toBe(rc.budgetPence);
    expect((await gp.get('/groups/09G/finance/running-costs')).status).toBe(200);
    expect((await brighton.get('/groups/09G/finance/running-costs')).status).toBe(403);
    expect((await new AppClient(seeded.app).get('/api/v1/groups/09G/finance/budget')).status).toBe(
      401,
    );
    expect((await lay.get('/api/v1/groups/09G/finance/budget?year=1999%2F00')).status).toBe(404);
    expect((await lay.get('/api/v1/groups/09G/finance/budget?year=nonsense')).status).toBe(400);
  });
});
