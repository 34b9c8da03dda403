// HTTP routes for commissioning finance: allocation against target and fair shares; page, API and CSV.
import type { Context, Hono } from 'hono';
import type { GroupAccess } from '../organisations/group-access.js';
import type { Group } from '../organisations/group.service.js';
import type { DataCache } from '../platform/db/data-cache.js';
import type { Db } from '../platform/db/schema.js';
import type { FactStore } from '../platform/facts/fact-store.js';
import { practiceBudgets, prescribingYears } from './practice-budgets.service.js';
import { AppError } from '../platform/errors.js';
import { toCsv } from '../platform/http/csv.js';
import { problemsView } from '../platform/http/forms.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { sendCsv, sendJson } from '../platform/http/json.js';
import type { PageRenderer } from '../platform/http/pages.js';
import { penceAsPounds } from '../platform/money.js';
import { allocationComponents, allocationYears } from '../population/population.repository.js';
import { thousandsOfPounds } from './allocation.js';
import { groupAllocation, type AllocationQuery } from './allocation.service.js';
import { defaultAssumptions } from './risk.js';
import { groupRisk, riskFields } from './risk.service.js';
import { groupRules, planFields } from './business-rules.service.js';
import { ruleLabels, ruleSets, type RuleKey } from './business-rules.js';
import { pairedBarChartSvg } from '../web/charts/bar-chart.js';
import { spreadChartSvg } from '../web/charts/spread-chart.js';

/** £ for chart axes: £12.3m, £450k, £900. */
export const poundsShort = (v: number) =>
  Math.abs(v) >= 1e6
    ? `£${(v / 1e6).toFixed(1)}m`
    : Math.abs(v) >= 1e3
      ? `£${(v / 1e3).toFixed(0)}k`
      : `£${v.toFixed(0)}`;

interface Deps {
  db: Db;
  facts: FactStore;
  page: PageRenderer;
  cache: DataCache;
}

const source =
  'Practice weighted populations, NHS England allocations (registered and weighted populations by formula component)';
const method =
  'Target = the group’s weighted population × the national amount per weighted head, to the penny. Distance from target = allocation − target (£ and % of target); per-head figures divide by the registered population. Fair shares split the target in proportion to weighted population, in whole pence that add up to it. Method: docs/methods.md, “Allocation”.';

const queryOf = (c: Context<AppEnv>): AllocationQuery => ({
  year: c.req.query('year'),
  component: c.req.query('component'),
  perHead: c.req.query('perHead'),
  allocation: c.req.query('allocation'),
  groupings: c.req.query('groupings'),
});

export function registerFinanceRoutes(
  app: Hono<AppEnv>,
  { db, facts, page, cache }: Deps,
  access: GroupAccess,
) {
  const { privateGroup, cachedPage, crumbs } = access;

  /**
   * A page with a GET form: served from the cache when the inputs are good; when they are not, the
   * form again with what was typed and an NHS error summary (400).
   */
  const formPage = async (
    c: Context<AppEnv>,
    template: string,
    build: () => Promise<Record<string, unknown>>,
    whenInvalid: () => Promise<Record<string, unknown>>,
  ) => {
    try {
      return await cachedPage(c, async () => ({ template, data: await build() }));
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalid_input') throw error;
      return page(
        c,
        template,
        {
          ...(await whenInvalid()),
          ...problemsView(error.problems),
        },
        400,
      );
    }
  };

  const view = (
    group: Group,
    q: AllocationQuery,
    r: Awaited<ReturnType<typeof groupAllocation>> | null,
    years: readonly string[] = r?.years ?? [],
  ) => ({
    title: `${group.name}: allocation and fair shares`,
    group,
    r,
    q,
    yearItems: years.map((y) => ({
      value: y,
      text: y,
      selected: y === (r?.year ?? q.year),
    })),
    componentItems: allocationComponents.map((c) => ({
      value: c.key,
      text: c.label,
      selected: c.key === (r?.component ?? q.component ?? 'core_services'),
    })),
    chart: r?.result
      ? pairedBarChartSvg(
          [
            {
              label: `${group.code}: the whole group`,
              values: [
                Number(r.result.targetPerHeadPence) / 100,
                Number(r.result.allocationPerHeadPence) / 100,
              ],
            },
            ...r.pcns
              .filter((p) => p.fairSharePence !== null && p.registered > 0)
              .map((p) => ({
                label: p.name,
                values: [Number(p.fairSharePence!) / 100 / p.registered, null] as [number, null],
              })),
          ],
          {
            id: 'allocation-chart',
            title: `Allocation against target per registered patient, ${r.year}`,
            description: `The group’s target and actual allocation per registered patient, then each PCN’s fair share of the target per registered patient (needs differ by PCN). The tables below give every figure.`,
            names: ['Target or fair share per patient', 'Allocation per patient'],
            format: (v) => `£${v.toFixed(0)}`,
          },
        )
      : '',
    thousands: r?.result
      ? {
          target: thousandsOfPounds(r.result.targetPence),
          allocation: thousandsOfPounds(r.result.allocationPence),
          distance: thousandsOfPounds(r.result.distancePence),
          distanceAbs: Math.abs(thousandsOfPounds(r.result.distancePence)),
        }
      : null,
    source,
    method,
    breadcrumbs: crumbs(group, [
      { text: 'Finance', href: `/groups/${group.code}/finance/allocation` },
    ]),
  });

  app.get('/groups/:code/finance/allocation', async (c) => {
    const group = await privateGroup(c);
    const q = queryOf(c);
    return formPage(
      c,
      'finance-allocation.njk',
      async () => view(group, q, await groupAllocation(db, group, q)),
      async () => view(group, q, null, await allocationYears(db)),
    );
  });

  app.get('/api/v1/groups/:code/finance/allocation', async (c) => {
    const group = await privateGroup(c);
    const r = await groupAllocation(db, group, queryOf(c));
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      ...r,
      method,
      sources: [source],
    });
  });

  app.get('/groups/:code/finance/allocation.csv', async (c) => {
    const group = await privateGroup(c);
    const r = await groupAllocation(db, group, queryOf(c));
    return sendCsv(
      c,
      `fair-shares-${group.code}-${r.year}-${r.component}.csv`,
      toCsv(
        [
          { header: 'allocation_year', value: () => r.year },
          { header: 'component', value: () => r.component },
          { header: 'pcn_code', value: (p) => p.pcn_code },
          { header: 'grouping', value: (p) => p.grouping },
          { header: 'pcn_name', value: (p) => p.pcn_name },
          { header: 'practice_code', value: (p) => p.code },
          { header: 'practice_name', value: (p) => p.name },
          { header: 'registered_patients', value: (p) => p.registered_patients },
          { header: 'weighted_population', value: (p) => p.weighted },
          { header: 'fair_share_pounds', value: (p) => penceAsPounds(p.fairSharePence) },
        ],
        r.practices,
      ),
    );
  });

  // ---- financial risk ---------------------------------------------------------------------------
  const riskQuery = (c: Context<AppEnv>) =>
    Object.fromEntries(riskFields.map((f) => [f.key, c.req.query(f.key)])) as Record<
      string,
      string | undefined
    >;
  const riskOf = (group: Group, q: Record<string, string | undefined>) =>
    cache.memo(`risk|${group.code}|${JSON.stringify(q)}`, () => groupRisk(db, group, q));
  const riskMethod =
    'Each simulated year draws every practice’s spend: ordinary patients summed by the central limit theorem, high-cost patients (a Poisson number) drawn one by one from a lognormal when few. A PCN’s and the group’s spend are the sums of their practices’ in the same year. Budget = expected spend; overspend = spend ÷ budget − 1. Pooled: a practice shares its PCN’s overspend in proportion to budget. Stop-loss caps each patient’s cost to the budget (the premium is a fixed cost). Method: docs/methods.md, “Financial risk”.';
  const riskView = (
    group: Group,
    q: Record<string, string | undefined>,
    r: Awaited<ReturnType<typeof groupRisk>> | null,
  ) => ({
    title: `${group.name}: financial risk`,
    group,
    r,
    fields: riskFields.map((f) => ({
      ...f,
      value: q[f.key] ?? '',
      placeholder:
        f.key === 'years'
          ? '10000'
          : f.key === 'seed'
            ? '20110501'
            : String((defaultAssumptions as unknown as Record<string, unknown>)[f.key] ?? ''),
    })),
    svg: r
      ? spreadChartSvg(
          [
            ...r.sizes.map((s) => ({
              people: s.people,
              p5: s.p5,
              p50: s.p50,
              p95: s.p95,
              label: s.label,
            })),
            {
              people: r.group.people,
              p5: r.group.p5,
              p50: r.group.p50,
              p95: r.group.p95,
              label: group.code,
              highlight: true,
            },
          ],
          {
            id: 'risk-spread',
            title: 'How far a year’s spend can fall from budget by chance, by population size',
            description: `5th to 95th percentile of spend against budget over ${r.years.toLocaleString('en-GB')} simulated years, for populations from 2,000 to 1 million; ${group.name} (red) has ${r.group.people.toLocaleString('en-GB')} patients. The tables below give every figure.`,
            marker: { people: 100_000, text: 'King’s Fund: no full budgets below ~100,000' },
          },
        )
      : '',
    method: riskMethod,
    breadcrumbs: crumbs(group, [
      { text: 'Finance', href: `/groups/${group.code}/finance/allocation` },
    ]),
  });
  app.get('/groups/:code/finance/risk', async (c) => {
    const group = await privateGroup(c);
    const q = riskQuery(c);
    return formPage(
      c,
      'finance-risk.njk',
      async () => riskView(group, q, await riskOf(group, q)),
      async () => riskView(group, q, null),
    );
  });
  app.get('/api/v1/groups/:code/finance/risk', async (c) => {
    const group = await privateGroup(c);
    const r = await riskOf(group, riskQuery(c));
    const { group: whole, ...rest } = r;
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      wholeGroup: whole,
      ...rest,
      method: riskMethod,
      dataStatus: 'illustrative',
    });
  });
  app.get('/groups/:code/finance/risk.csv', async (c) => {
    const group = await privateGroup(c);
    const r = await riskOf(group, riskQuery(c));
    return sendCsv(
      c,
      `financial-risk-${group.code}.csv`,
      toCsv(
        [
          { header: 'kind', value: (x) => x.kind },
          { header: 'code', value: (x) => x.key },
          { header: 'name', value: (x) => x.label },
          { header: 'registered_patients', value: (x) => x.people },
          { header: 'p_overspend_over_1pct', value: (x) => x.over1 },
          { header: 'p_overspend_over_5pct', value: (x) => x.over5 },
          { header: 'p_overspend_over_10pct', value: (x) => x.over10 },
          { header: 'p_over_5pct_pooled_in_pcn', value: (x) => x.pooledOver5 ?? null },
          { header: 'spend_vs_budget_p5_pct', value: (x) => x.p5 },
          { header: 'spend_vs_budget_p50_pct', value: (x) => x.p50 },
          { header: 'spend_vs_budget_p95_pct', value: (x) => x.p95 },
          { header: 'years', value: () => r.years },
          { header: 'seed', value: () => r.seed },
        ],
        [r.group, ...r.pcns, ...r.practices, ...r.sizes],
      ),
    );
  });

  // ---- business rules ---------------------------------------------------------------------------
  const rulesQuery = (c: Context<AppEnv>) =>
    Object.fromEntries(
      ['year', ...planFields.map((f) => f.key)].map((k) => [k, c.req.query(k)]),
    ) as Record<string, string | undefined>;
  const rulesView = (
    group: Group,
    q: Record<string, string | undefined>,
    r: Awaited<ReturnType<typeof groupRules>> | null,
  ) => ({
    title: `${group.name}: business rules`,
    group,
    r,
    q,
    ruleRows: r
      ? Object.entries(r.rules.rules).map(([key, rule]) => ({
          key,
          label: ruleLabels[key as RuleKey],
          ...rule,
        }))
      : [],
    yearItems: (r?.years ?? []).map((y) => ({ value: y, text: y, selected: y === r?.rules.year })),
    fields: planFields.map((f) => ({ ...f, value: q[f.key] ?? '' })),
    breadcrumbs: crumbs(group, [
      { text: 'Finance', href: `/groups/${group.code}/finance/allocation` },
    ]),
  });
  app.get('/groups/:code/finance/rules', async (c) => {
    const group = await privateGroup(c);
    const q = rulesQuery(c);
    return formPage(
      c,
      'finance-rules.njk',
      async () => rulesView(group, q, await groupRules(db, group, q)),
      async () => ({
        ...rulesView(group, q, null),
        yearItems: ruleSets().map((s) => ({
          value: s.year,
          text: s.year,
          selected: s.year === q.year,
        })),
      }),
    );
  });
  app.get('/api/v1/groups/:code/finance/rules', async (c) => {
    const group = await privateGroup(c);
    const r = await groupRules(db, group, rulesQuery(c));
    return sendJson(c, { group: { code: group.code, name: group.name }, ...r });
  });
  app.get('/groups/:code/finance/rules.csv', async (c) => {
    const group = await privateGroup(c);
    const r = await groupRules(db, group, rulesQuery(c));
    const rows = Object.entries(r.rules.rules).map(([key, rule]) => ({ key, ...rule }));
    return sendCsv(
      c,
      `business-rules-${r.rules.year.replace('/', '-')}.csv`,
      toCsv(
        [
          { header: 'year', value: () => r.rules.year },
          { header: 'rule', value: (x) => x.key },
          { header: 'kind', value: (x) => x.kind },
          { header: 'comparison', value: (x) => x.comparison },
          { header: 'value', value: (x) => x.value },
          { header: 'confirmed', value: (x) => x.confirmed },
          { header: 'source', value: (x) => x.source },
        ],
        rows,
      ),
    );
  });

  // ---- practice indicative budgets ------------------------------------------------------------------
  const budgetQuery = (c: Context<AppEnv>) => ({
    year: c.req.query('year'),
    budget: c.req.query('budget'),
  });
  const budgetsView = (
    group: Group,
    q: { year?: string; budget?: string },
    r: Awaited<ReturnType<typeof practiceBudgets>> | null,
  ) => ({
    title: `${group.name}: practice prescribing budgets`,
    group,
    r,
    q,
    chart:
      r?.year && r.rows.length
        ? pairedBarChartSvg(
            r.rows.map((p) => ({
              label: p.name,
              values: [
                p.fairSharePence === null ? null : Number(p.fairSharePence) / 100,
                p.actualPence === null ? null : Number(p.actualPence) / 100,
              ],
            })),
            {
              id: 'practice-budgets-chart',
              title: `Prescribing: each practice’s fair share against its actual spend, ${r.year}`,
              description:
                'One pair of bars per practice, most over its share first: grey the fair share, blue the actual spend. The table below gives every figure.',
              names: ['Fair share', 'Actual spend'],
              format: poundsShort,
            },
          )
        : '',
    yearItems: (r?.years ?? []).map((y) => ({ value: y, text: y, selected: y === r?.year })),
    breadcrumbs: crumbs(group, [
      { text: 'Finance', href: `/groups/${group.code}/finance/allocation` },
    ]),
  });
  app.get('/groups/:code/finance/practice-budgets', async (c) => {
    const group = await privateGroup(c);
    const q = budgetQuery(c);
    return formPage(
      c,
      'finance-practice-budgets.njk',
      async () => budgetsView(group, q, await practiceBudgets(db, facts, group, q)),
      async () => ({
        ...budgetsView(group, q, null),
        yearItems: (await prescribingYears(db, facts, group)).years.map((y) => ({
          value: y,
          text: y,
          selected: y === q.year,
        })),
      }),
    );
  });
  app.get('/api/v1/groups/:code/finance/practice-budgets', async (c) => {
    const group = await privateGroup(c);
    const r = await practiceBudgets(db, facts, group, budgetQuery(c));
    return sendJson(c, { group: { code: group.code, name: group.name }, ...r });
  });
  app.get('/groups/:code/finance/practice-budgets.csv', async (c) => {
    const group = await privateGroup(c);
    const r = await practiceBudgets(db, facts, group, budgetQuery(c));
    return sendCsv(
      c,
      `practice-prescribing-budgets-${group.code}-${r.year ?? 'none'}.csv`,
      toCsv(
        [
          { header: 'financial_year', value: () => r.year },
          { header: 'practice_code', value: (x) => x.code },
          { header: 'practice_name', value: (x) => x.name },
          { header: 'weighted_population_prescribing', value: (x) => x.weighted },
          { header: 'fair_share_pounds', value: (x) => penceAsPounds(x.fairSharePence) },
          { header: 'actual_spend_pounds', value: (x) => penceAsPounds(x.actualPence) },
          { header: 'difference_pounds', value: (x) => penceAsPounds(x.differencePence) },
          { header: 'difference_percent', value: (x) => x.differencePercent },
          { header: 'data', value: () => ('synthetic' in r && r.synthetic ? 'synthetic' : 'real') },
        ],
        r.rows,
      ),
    );
  });
}
