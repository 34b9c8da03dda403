// HTTP routes for the group's financial plan, QIPP tracker, budget vs actual and forecast, the ledger's
// month-end controls and the running cost view: pages, forms, JSON API and CSV.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Context, Hono } from 'hono';
import type { GroupAccess } from '../organisations/group-access.js';
import type { Group } from '../organisations/group.service.js';
import { userActor } from '../platform/audit/audit.service.js';
import type { Clock } from '../platform/clock.js';
import type { DataCache } from '../platform/db/data-cache.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, ImportError, type FieldProblem } from '../platform/errors.js';
import type { FactStore } from '../platform/facts/fact-store.js';
import { toCsv } from '../platform/http/csv.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { sendCsv, sendJson } from '../platform/http/json.js';
import type { PageRenderer } from '../platform/http/pages.js';
import { runImport } from '../platform/imports/import-runner.js';
import { penceAsPounds } from '../platform/money.js';
import { lineChartSvg } from '../web/charts/line-chart.js';
import { monthsOfYear, periodLabel } from './budget.js';
import { programmeLabels, programmes, reserveKinds, riskRatings } from './finance.table.js';
import { ledgerImporter } from './ledger.import.js';
import {
  addCommitment,
  budgetVsActual,
  closePeriod,
  postJournal,
  reverseLoad,
} from './ledger.service.js';
import { planYears, type PlanRow } from './plan.repository.js';
import {
  addCostCentre,
  addScheme,
  canEditFinance,
  canReadPlan,
  planSummary,
  recordDelivery,
  requirePlan,
  savePlan,
  standardCostCentres,
  type Editor,
} from './plan.service.js';

interface Deps {
  db: Db;
  facts: FactStore;
  page: PageRenderer;
  cache: DataCache;
  clock: Clock;
}

export const planSource = (plan: PlanRow) =>
  plan.illustrative
    ? `Illustrative plan and ledger, generated for the demo from NHS England practice weighted populations with stated £-per-head assumptions: not real figures. ${plan.basis ?? ''}`.trim()
    : `The group’s financial plan for ${plan.financial_year}, entered by its finance officers (last changed by ${plan.updated_by}); actuals imported from the finance ledger.`;

const forecastMethod =
  'Run-rate: the average month so far × 12. Phased plan plus commitments: actual to date + the rest of the budget phased evenly by month + known commitments. Each variance is the variance to date plus the rest of the year. Pence exact; totals are sums of lines. Method: docs/methods.md, “Budget and forecast”.';

const sum = (xs: readonly bigint[]) => xs.reduce((s, x) => s + x, 0n);

/** The signed-in user making a change (routes that write are behind sign-in and CSRF checks). */
const editorOf = (c: Context<AppEnv>): Editor => ({
  principal: c.get('principal')!,
  clientAddress: c.get('clientAddress'),
});

export function registerPlanRoutes(
  app: Hono<AppEnv>,
  { db, facts, page, cache, clock }: Deps,
  access: GroupAccess,
) {
  const { privateGroup, crumbs, ancestors } = access;

  /** The group, checked for this page's audience: the plan pages are not for member practices. */
  const financeGroup = async (c: Context<AppEnv>, audience: 'officers' | 'members') => {
    const group = await privateGroup(c);
    if (audience === 'officers' && !canReadPlan(c.get('principal'), group, await ancestors(group)))
      throw new AppError(
        'forbidden',
        `The plan, ledger and QIPP of ${group.name} are for its officers, governing body and lay members; member practices see practice budgets and running costs`,
      );
    return group;
  };

  /** Everything written to the plan or ledger is audited: the newest audit event versions the cache. */
  const financeVersion = async (group: Group) =>
    (
      await db
        .selectFrom('audit_event')
        .select((eb) => eb.fn.max('id').as('v'))
        .where('organisation_id', '=', group.id)
        .executeTakeFirst()
    )?.v ?? 0;

  const loadPlan = async (c: Context<AppEnv>, group: Group) =>
    requirePlan(db, group, c.req.query('year') ?? undefined);

  const summaryOf = async (group: Group, plan: PlanRow) =>
    cache.memo(`plan|${group.id}|${plan.id}|${await financeVersion(group)}`, () =>
      planSummary(db, group, plan),
    );
  const budgetOf = async (group: Group, plan: PlanRow) =>
    cache.memo(`budget|${group.id}|${plan.id}|${await financeVersion(group)}`, () =>
      budgetVsActual(db, group, plan),
    );

  const financeCrumbs = (group: Group) =>
    crumbs(group, [{ text: 'Finance', href: `/groups/${group.code}/finance/plan` }]);

  const problemsView = (problems: FieldProblem[]) => ({
    errors: problems.map((p) => ({ text: p.message, href: `#${p.field}` })),
    fieldErrors: Object.fromEntries(problems.map((p) => [p.field, p.message])),
  });

  /**
   * Runs a form's change; on success back to the page (303), on bad input the page again with what was
   * typed and the NHS error summary (400).
   */
  const postForm = async (
    c: Context<AppEnv>,
    change: () => Promise<string>,
    rerender: (problems: FieldProblem[], values: Record<string, string>) => Promise<Response>,
    values: Record<string, string>,
  ) => {
    try {
      return c.redirect(await change(), 303);
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid_input')
        return rerender(
          error.problems.length ? error.problems : [{ field: 'form', message: error.message }],
          values,
        );
      throw error;
    }
  };

  const formValues = async (c: Context<AppEnv>) => {
    const form = await c.req.parseBody();
    return Object.fromEntries(
      Object.entries(form)
        .filter(([k, v]) => typeof v === 'string' && k !== '_csrf')
        .map(([k, v]) => [k, (v as string).trim()]),
    );
  };

  const yearItems = (years: readonly string[], current: string) =>
    years.map((y) => ({ value: y, text: y, selected: y === current }));

  // ---------------------------------------------------------------------------------------------
  // The plan

  const planPage = async (
    c: Context<AppEnv>,
    group: Group,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) => {
    const years = await planYears(db, group.id);
    const asked = c.req.query('year') ?? values.year;
    // A new year's plan: asked for, or the re-shown form of one that could not be saved.
    const creating =
      c.req.query('new') !== undefined ||
      (asked !== undefined && asked !== '' && !years.includes(asked) && values.year !== undefined);
    const plan =
      years.length && !creating ? (await requirePlan(db, group, asked || undefined)).plan : null;
    const s = plan ? await summaryOf(group, plan) : null;
    const editable = canEditFinance(c.get('principal'), group);
    const centres =
      s?.costCentres.map((cc) => ({
        code: cc.code,
        name: cc.name,
        programme: cc.programme,
        budget: penceAsPounds(cc.annual_budget_pence),
      })) ??
      standardCostCentres.map((cc) => ({
        code: cc.code,
        name: cc.name,
        programme: cc.programme,
        budget: '',
      }));
    return page(
      c,
      'finance-plan.njk',
      {
        title: `${group.name}: financial plan${plan ? ` ${plan.financial_year}` : ''}`,
        group,
        s,
        plan,
        years,
        yearItems: plan ? yearItems(years, plan.financial_year) : [],
        editable,
        creating: !plan,
        form: {
          year: values.year ?? plan?.financial_year ?? '',
          allocation: values.allocation ?? (plan ? penceAsPounds(plan.allocation_pence) : ''),
          committed: values.committed ?? (plan ? penceAsPounds(plan.committed_spend_pence) : ''),
          growth: values.growth ?? (plan ? penceAsPounds(plan.growth_pence) : ''),
          basis: values.basis ?? plan?.basis ?? '',
          centres: centres.map((cc) => ({
            ...cc,
            programmeLabel: programmeLabels[cc.programme],
            value: values[`budget-${cc.code}`] ?? cc.budget,
          })),
        },
        ccValues: values,
        programmeItems: programmes.map((p) => ({
          value: p,
          text: programmeLabels[p],
          selected: values.ccProgramme === p,
        })),
        reserveItems: [
          { value: '', text: 'Not a reserve' },
          ...reserveKinds.map((k) => ({
            value: k,
            text: k.replace('_', '-'),
            selected: values.ccReserveKind === k,
          })),
        ],
        source: plan ? planSource(plan) : null,
        breadcrumbs: financeCrumbs(group),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };

  app.get('/groups/:code/finance/plan', async (c) => {
    const group = await financeGroup(c, 'officers');
    return planPage(c, group);
  });

  app.post('/groups/:code/finance/plan', async (c) => {
    const group = await financeGroup(c, 'officers');
    const values = await formValues(c);
    const budgets = Object.fromEntries(
      Object.entries(values)
        .filter(([k]) => k.startsWith('budget-'))
        .map(([k, v]) => [k.slice('budget-'.length), v]),
    );
    return postForm(
      c,
      async () => {
        const year = await savePlan(
          db,
          editorOf(c),
          group,
          {
            year: values.year ?? '',
            allocation: values.allocation ?? '',
            committed: values.committed ?? '',
            growth: values.growth ?? '',
            basis: values.basis ?? '',
            budgets,
          },
          clock,
        );
        return `/groups/${group.code}/finance/plan?year=${encodeURIComponent(year)}`;
      },
      (problems, v) => planPage(c, group, problems, v),
      values,
    );
  });

  app.post('/groups/:code/finance/plan/cost-centres', async (c) => {
    const group = await financeGroup(c, 'officers');
    const values = await formValues(c);
    const { plan } = await requirePlan(db, group, values.year);
    return postForm(
      c,
      async () => {
        await addCostCentre(
          db,
          editorOf(c),
          group,
          plan,
          {
            code: values.ccCode ?? '',
            name: values.ccName ?? '',
            programme: values.ccProgramme ?? '',
            reserveKind: values.ccReserveKind ?? '',
          },
          clock,
        );
        return `/groups/${group.code}/finance/plan?year=${encodeURIComponent(plan.financial_year)}#budgets`;
      },
      (problems, v) => planPage(c, group, problems, { ...v, year: plan.financial_year }),
      values,
    );
  });

  const planJson = (group: Group, s: Awaited<ReturnType<typeof planSummary>>) => ({
    group: { code: group.code, name: group.name },
    financialYear: s.plan.financial_year,
    illustrative: s.plan.illustrative,
    allocationPence: s.plan.allocation_pence,
    committedSpendPence: s.plan.committed_spend_pence,
    growthPence: s.plan.growth_pence,
    totalBudgetPence: s.totalPence,
    balanced: s.balanced,
    programmes: s.programmes.map((p) => ({
      programme: p.programme,
      label: p.label,
      budgetPence: p.budgetPence,
      costCentres: p.costCentres.map((cc) => ({
        code: cc.code,
        name: cc.name,
        reserveKind: cc.reserve_kind,
        budgetPence: cc.annual_budget_pence,
      })),
    })),
    rules: s.ruleSet
      ? {
          year: s.ruleSet.rules.year,
          carriedForward: s.ruleSet.carriedForward,
          registeredPopulation: s.registered,
          checks: s.checks,
          breaches: s.breaches,
        }
      : null,
    qipp: {
      requirementPence: s.requirementPence,
      derivation:
        'committed spend + growth + what the rules set aside (surplus, contingency, headroom) − allocation',
      rulesPence: s.rulesPence,
      plannedPence: s.qipp.plannedPence,
      unidentifiedPence: s.qipp.unidentifiedPence,
    },
    source: planSource(s.plan),
  });

  app.get('/api/v1/groups/:code/finance/plan', async (c) => {
    const group = await financeGroup(c, 'officers');
    const { plan } = await loadPlan(c, group);
    return sendJson(c, planJson(group, await summaryOf(group, plan)));
  });

  app.get('/groups/:code/finance/plan.csv', async (c) => {
    const group = await financeGroup(c, 'officers');
    const { plan } = await loadPlan(c, group);
    const s = await summaryOf(group, plan);
    return sendCsv(
      c,
      `plan-${group.code}-${plan.financial_year}.csv`,
      toCsv(
        [
          { header: 'financial_year', value: () => plan.financial_year },
          { header: 'illustrative', value: () => (plan.illustrative ? 'Y' : 'N') },
          { header: 'programme', value: (cc) => programmeLabels[cc.programme] },
          { header: 'cost_centre', value: (cc) => cc.code },
          { header: 'name', value: (cc) => cc.name },
          { header: 'reserve_kind', value: (cc) => cc.reserve_kind },
          { header: 'annual_budget_pounds', value: (cc) => penceAsPounds(cc.annual_budget_pence) },
        ],
        s.costCentres,
      ),
    );
  });

  // ---------------------------------------------------------------------------------------------
  // QIPP

  const qippPage = async (
    c: Context<AppEnv>,
    group: Group,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) => {
    const { plan, years } = await requirePlan(db, group, c.req.query('year') ?? values.year);
    const s = await summaryOf(group, plan);
    const months = monthsOfYear(plan.financial_year);
    const cumulative = (xs: (bigint | null)[]) => {
      let run = 0n;
      return xs.map((x) => (x === null ? null : Number((run += x)) / 100));
    };
    const chart = lineChartSvg(
      months.map((m) => periodLabel(m).slice(0, 3)),
      [
        {
          name: 'Planned savings',
          kind: 'england',
          values: cumulative(s.qipp.monthly.map((m) => m.plannedPence)),
        },
        {
          name: 'Delivered savings',
          kind: 'group',
          values: cumulative(s.qipp.monthly.map((m) => m.deliveredPence)),
        },
      ],
      {
        id: 'qipp-chart',
        title: `QIPP savings planned and delivered, cumulative, ${plan.financial_year}`,
        description: `Cumulative planned savings by month against delivered savings so far; the requirement is ${penceAsPounds(s.requirementPence)} pounds. The same figures are in the table below.`,
        format: (v) => `£${(v / 1e6).toFixed(1)}m`,
      },
    );
    return page(
      c,
      'finance-qipp.njk',
      {
        title: `${group.name}: QIPP ${plan.financial_year}`,
        group,
        plan,
        s,
        chart,
        months: months.map((m, i) => ({ value: String(i + 1), text: periodLabel(m), period: m })),
        yearItems: yearItems(years, plan.financial_year),
        editable: canEditFinance(c.get('principal'), group),
        values,
        schemeItems: [
          { value: '', text: 'Choose a scheme' },
          ...s.qipp.schemes.map((r) => ({
            value: String(r.id),
            text: r.name,
            selected: values.deliveryScheme === String(r.id),
          })),
        ],
        deliveryMonthItems: [
          { value: '', text: 'Choose a month' },
          ...months.map((m, i) => ({
            value: String(i + 1),
            text: periodLabel(m),
            selected: values.deliveryMonth === String(i + 1),
          })),
        ],
        firstMonthItems: months.map((m, i) => ({
          value: String(i + 1),
          text: periodLabel(m),
          selected: values.schemeFirstMonth === String(i + 1),
        })),
        riskItems: riskRatings.map((r) => ({
          value: r,
          text: r,
          selected: values.schemeRisk === r,
        })),
        costCentreItems: [
          { value: '', text: 'Choose a cost centre' },
          ...s.costCentres.map((cc) => ({
            value: cc.code,
            text: `${cc.code} ${cc.name}`,
            selected: values.schemeCostCentre === cc.code,
          })),
        ],
        source: planSource(plan),
        breadcrumbs: financeCrumbs(group),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };

  app.get('/groups/:code/finance/qipp', async (c) => {
    const group = await financeGroup(c, 'officers');
    return qippPage(c, group);
  });

  app.post('/groups/:code/finance/qipp', async (c) => {
    const group = await financeGroup(c, 'officers');
    const values = await formValues(c);
    const { plan } = await requirePlan(db, group, values.year);
    return postForm(
      c,
      async () => {
        await addScheme(
          db,
          editorOf(c),
          group,
          plan,
          {
            name: values.schemeName ?? '',
            owner: values.schemeOwner ?? '',
            costCentre: values.schemeCostCentre ?? '',
            risk: values.schemeRisk ?? '',
            saving: values.schemeSaving ?? '',
            firstMonth: values.schemeFirstMonth ?? '',
          },
          clock,
        );
        return `/groups/${group.code}/finance/qipp?year=${encodeURIComponent(plan.financial_year)}`;
      },
      (problems, v) => qippPage(c, group, problems, v),
      values,
    );
  });

  app.post('/groups/:code/finance/qipp/delivery', async (c) => {
    const group = await financeGroup(c, 'officers');
    const values = await formValues(c);
    const { plan } = await requirePlan(db, group, values.year);
    return postForm(
      c,
      async () => {
        await recordDelivery(
          db,
          editorOf(c),
          group,
          plan,
          {
            scheme: values.deliveryScheme ?? '',
            month: values.deliveryMonth ?? '',
            delivered: values.deliveryAmount ?? '',
          },
          clock,
        );
        return `/groups/${group.code}/finance/qipp?year=${encodeURIComponent(plan.financial_year)}`;
      },
      (problems, v) => qippPage(c, group, problems, v),
      values,
    );
  });

  app.get('/api/v1/groups/:code/finance/qipp', async (c) => {
    const group = await financeGroup(c, 'officers');
    const { plan } = await loadPlan(c, group);
    const s = await summaryOf(group, plan);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      financialYear: plan.financial_year,
      illustrative: plan.illustrative,
      ...s.qipp,
      months: monthsOfYear(plan.financial_year),
      source: planSource(plan),
    });
  });

  app.get('/groups/:code/finance/qipp.csv', async (c) => {
    const group = await financeGroup(c, 'officers');
    const { plan } = await loadPlan(c, group);
    const s = await summaryOf(group, plan);
    const months = monthsOfYear(plan.financial_year);
    const rows = s.qipp.schemes.flatMap((scheme) =>
      months.map((m, i) => ({
        scheme,
        period: m,
        planned: scheme.planned[i]!,
        delivered: scheme.delivered[i] ?? null,
      })),
    );
    return sendCsv(
      c,
      `qipp-${group.code}-${plan.financial_year}.csv`,
      toCsv(
        [
          { header: 'financial_year', value: () => plan.financial_year },
          { header: 'illustrative', value: () => (plan.illustrative ? 'Y' : 'N') },
          { header: 'scheme', value: (r) => r.scheme.name },
          { header: 'owner', value: (r) => r.scheme.owner },
          { header: 'cost_centre', value: (r) => r.scheme.cost_centre_code },
          { header: 'risk', value: (r) => r.scheme.risk },
          { header: 'month', value: (r) => r.period },
          { header: 'planned_pounds', value: (r) => penceAsPounds(r.planned) },
          { header: 'delivered_pounds', value: (r) => penceAsPounds(r.delivered) },
        ],
        rows,
      ),
    );
  });

  // ---------------------------------------------------------------------------------------------
  // Budget vs actual and forecast

  app.get('/groups/:code/finance/budget', async (c) => {
    const group = await financeGroup(c, 'officers');
    const { plan, years } = await loadPlan(c, group);
    const b = await budgetOf(group, plan);
    // Cumulative variance against the phased budget, in pounds (display only): the differences are a
    // few per cent of the budget, invisible on a chart of cumulative spend.
    const against = (p: bigint | null, budget: bigint) =>
      p === null ? null : Number(p - budget) / 100;
    const chart = lineChartSvg(
      b.byMonth.map((m) => m.label.slice(0, 3)),
      [
        {
          name: 'Actual',
          kind: 'group',
          values: b.byMonth.map((m) => against(m.actualCumulativePence, m.budgetCumulativePence)),
        },
        {
          name: 'Run-rate forecast',
          kind: 'practice',
          values: b.byMonth.map((m) => against(m.runRateCumulativePence, m.budgetCumulativePence)),
        },
        {
          name: 'Phased + commitments',
          kind: 'england',
          values: b.byMonth.map((m) => against(m.phasedCumulativePence, m.budgetCumulativePence)),
        },
      ],
      {
        id: 'budget-chart',
        title: `Cumulative over (+) or under (−) spend against the phased budget, ${plan.financial_year}`,
        description: `Actual spend less the phased budget, cumulative to ${b.lastPeriod ? periodLabel(b.lastPeriod) : 'date'}, then each forecast less the budget to March. Above zero is an overspend. The table below has every figure.`,
        format: (v) => `${v < 0 ? '−' : ''}£${Math.abs(v / 1e6).toFixed(1)}m`,
      },
    );
    return page(c, 'finance-budget.njk', {
      title: `${group.name}: budget and forecast ${plan.financial_year}`,
      group,
      plan,
      b,
      chart,
      yearItems: yearItems(years, plan.financial_year),
      source: planSource(plan),
      method: forecastMethod,
      breadcrumbs: financeCrumbs(group),
    });
  });

  const budgetJson = (
    group: Group,
    plan: PlanRow,
    b: Awaited<ReturnType<typeof budgetVsActual>>,
  ) => ({
    group: { code: group.code, name: group.name },
    financialYear: plan.financial_year,
    illustrative: plan.illustrative,
    monthsElapsed: b.monthsElapsed,
    lastPeriod: b.lastPeriod,
    monthsWithoutActuals: b.missing,
    total: {
      budgetPence: b.totalBudgetPence,
      commitmentsPence: b.totalCommitmentsPence,
      ...b.total,
      explanation: b.totalExplanation,
    },
    programmes: b.programmes.map((p) => ({
      programme: p.programme,
      label: p.label,
      budgetPence: p.budgetPence,
      commitmentsPence: p.commitmentsPence,
      ...p.forecast,
      explanation: p.explanation,
      costCentres: p.lines.map((l) => ({
        code: l.code,
        name: l.name,
        budgetPence: l.budgetPence,
        commitmentsPence: l.commitmentsPence,
        monthlyActualPence: l.monthlyActualPence,
        ...l.forecast,
        explanation: l.explanation,
      })),
    })),
    byMonth: b.byMonth.map((m) => ({
      period: m.period,
      budgetPence: m.budgetPence,
      actualPence: m.actualPence,
      budgetCumulativePence: m.budgetCumulativePence,
      actualCumulativePence: m.actualCumulativePence,
      runRateCumulativePence: m.runRateCumulativePence,
      phasedCumulativePence: m.phasedCumulativePence,
      closed: m.closed !== null,
    })),
    method: forecastMethod,
    source: planSource(plan),
  });

  app.get('/api/v1/groups/:code/finance/budget', async (c) => {
    const group = await financeGroup(c, 'officers');
    const { plan } = await loadPlan(c, group);
    return sendJson(c, budgetJson(group, plan, await budgetOf(group, plan)));
  });

  app.get('/groups/:code/finance/budget.csv', async (c) => {
    const group = await financeGroup(c, 'officers');
    const { plan } = await loadPlan(c, group);
    const b = await budgetOf(group, plan);
    return sendCsv(
      c,
      `budget-${group.code}-${plan.financial_year}.csv`,
      toCsv(
        [
          { header: 'financial_year', value: () => plan.financial_year },
          { header: 'illustrative', value: () => (plan.illustrative ? 'Y' : 'N') },
          { header: 'months_of_actuals', value: () => b.monthsElapsed },
          { header: 'programme', value: (l) => programmeLabels[l.programme] },
          { header: 'cost_centre', value: (l) => l.code },
          { header: 'name', value: (l) => l.name },
          { header: 'annual_budget_pounds', value: (l) => penceAsPounds(l.budgetPence) },
          {
            header: 'budget_to_date_pounds',
            value: (l) => penceAsPounds(l.forecast.budgetToDatePence),
          },
          {
            header: 'actual_to_date_pounds',
            value: (l) => penceAsPounds(l.forecast.actualToDatePence),
          },
          {
            header: 'variance_to_date_pounds',
            value: (l) => penceAsPounds(l.forecast.varianceToDatePence),
          },
          {
            header: 'forecast_run_rate_pounds',
            value: (l) => penceAsPounds(l.forecast.runRatePence),
          },
          {
            header: 'variance_run_rate_pounds',
            value: (l) => penceAsPounds(l.forecast.runRateVariancePence),
          },
          { header: 'commitments_pounds', value: (l) => penceAsPounds(l.commitmentsPence) },
          { header: 'forecast_phased_pounds', value: (l) => penceAsPounds(l.forecast.phasedPence) },
          {
            header: 'variance_phased_pounds',
            value: (l) => penceAsPounds(l.forecast.phasedVariancePence),
          },
          { header: 'explanation_run_rate', value: (l) => l.explanation.runRate },
          { header: 'explanation_phased', value: (l) => l.explanation.phased },
        ],
        b.lines,
      ),
    );
  });

  // ---------------------------------------------------------------------------------------------
  // The ledger: months, imports, closes, journals, commitments

  const ledgerPage = async (
    c: Context<AppEnv>,
    group: Group,
    problems: FieldProblem[] = [],
    values: Record<string, string> = {},
  ) => {
    const { plan, years } = await requirePlan(db, group, c.req.query('year') ?? values.year);
    const b = await budgetOf(group, plan);
    const s = await summaryOf(group, plan);
    const loaded = b.byMonth.filter((m) => m.load);
    return page(
      c,
      'finance-ledger.njk',
      {
        title: `${group.name}: ledger ${plan.financial_year}`,
        group,
        plan,
        b,
        yearItems: yearItems(years, plan.financial_year),
        editable: canEditFinance(c.get('principal'), group),
        values,
        closeItems: loaded
          .filter((m) => !m.closed)
          .map((m) => ({ value: m.period, text: m.label })),
        reverseItems: loaded
          .filter((m) => !m.closed)
          .map((m) => ({
            value: String(m.load!.import_id),
            text: `${m.label} (import ${m.load!.import_id})`,
            selected: values.reverseImport === String(m.load!.import_id),
          })),
        periodItems: b.byMonth.map((m) => ({
          value: m.period,
          text: `${m.label}${m.closed ? ' (closed)' : ''}`,
          selected: values.journalPeriod === m.period,
        })),
        costCentreItems: (field: string) => [
          { value: '', text: 'Choose a cost centre' },
          ...s.costCentres.map((cc) => ({
            value: cc.code,
            text: `${cc.code} ${cc.name}`,
            selected: values[field] === cc.code,
          })),
        ],
        source: planSource(plan),
        breadcrumbs: financeCrumbs(group),
        ...problemsView(problems),
      },
      problems.length ? 400 : 200,
    );
  };

  app.get('/groups/:code/finance/ledger', async (c) => {
    const group = await financeGroup(c, 'officers');
    return ledgerPage(c, group);
  });

  const ledgerAction = (
    route: string,
    act: (
      c: Context<AppEnv>,
      group: Group,
      plan: PlanRow,
      values: Record<string, string>,
    ) => Promise<unknown>,
  ) =>
    app.post(`/groups/:code/finance/ledger/${route}`, async (c) => {
      const group = await financeGroup(c, 'officers');
      const values = await formValues(c);
      const { plan } = await requirePlan(db, group, values.year);
      return postForm(
        c,
        async () => {
          await act(c, group, plan, values);
          return `/groups/${group.code}/finance/ledger?year=${encodeURIComponent(plan.financial_year)}`;
        },
        (problems, v) => ledgerPage(c, group, problems, v),
        values,
      );
    });

  ledgerAction('close', (c, group, plan, v) =>
    closePeriod(db, editorOf(c), group, plan, v.closePeriod ?? '', clock),
  );
  ledgerAction('reverse', (c, group, _plan, v) => {
    const id = Number(v.reverseImport);
    if (!Number.isSafeInteger(id))
      throw new AppError('invalid_input', 'Choose the import to reverse', [
        { field: 'reverseImport', message: 'Choose the import to reverse' },
      ]);
    return reverseLoad(db, editorOf(c), group, id, v.reverseReason ?? '', clock);
  });
  ledgerAction('journal', (c, group, plan, v) =>
    postJournal(
      db,
      editorOf(c),
      group,
      plan,
      {
        period: v.journalPeriod ?? '',
        costCentre: v.journalCostCentre ?? '',
        subjective: v.journalSubjective ?? '',
        amount: v.journalAmount ?? '',
        reason: v.journalReason ?? '',
      },
      clock,
    ),
  );
  ledgerAction('commitment', (c, group, plan, v) =>
    addCommitment(
      db,
      editorOf(c),
      group,
      plan,
      {
        costCentre: v.commitmentCostCentre ?? '',
        description: v.commitmentDescription ?? '',
        amount: v.commitmentAmount ?? '',
      },
      clock,
    ),
  );

  /** Upload of a month's actuals: the same importer as `flock import ledger`, all or nothing. */
  app.post('/groups/:code/finance/ledger/upload', async (c) => {
    const group = await financeGroup(c, 'officers');
    const principal = c.get('principal')!;
    if (!canEditFinance(principal, group))
      throw new AppError('forbidden', `Only finance officers of ${group.name} can import actuals`);
    const form = await c.req.parseBody();
    const values = { year: typeof form.year === 'string' ? form.year : '' };
    const file = form.file;
    const fail = (message: string) => ledgerPage(c, group, [{ field: 'file', message }], values);
    if (!(file instanceof File) || file.size === 0)
      return fail('Choose the ledger CSV file to import');
    if (file.size > 20 * 1024 * 1024)
      return fail('The file is larger than 20 MB: split it by month');
    const dir = await mkdtemp(path.join(tmpdir(), 'flock-ledger-'));
    const name = path.basename(file.name).replace(/[^A-Za-z0-9._-]/g, '_') || 'ledger.csv';
    try {
      const filePath = path.join(dir, name);
      await writeFile(filePath, Buffer.from(await file.arrayBuffer()));
      const result = await runImport(db, ledgerImporter(), filePath, {
        actor: userActor(principal, c.get('clientAddress')),
        facts,
        clock,
      });
      if (result.status === 'unchanged') {
        const load = await db
          .selectFrom('ledger_load')
          .select(['reversed_at'])
          .where('import_id', '=', result.previousImportId)
          .executeTakeFirst();
        return fail(
          load?.reversed_at
            ? `${name} is the file imported as import ${result.previousImportId} and since reversed: import a corrected file`
            : `${name} was already imported (import ${result.previousImportId}); nothing changed`,
        );
      }
      return c.redirect(
        `/groups/${group.code}/finance/ledger?year=${encodeURIComponent(values.year)}&imported=${result.importId}`,
        303,
      );
    } catch (error) {
      if (error instanceof ImportError) return fail(error.message);
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  app.get('/api/v1/groups/:code/finance/ledger', async (c) => {
    const group = await financeGroup(c, 'officers');
    const { plan } = await loadPlan(c, group);
    const b = await budgetOf(group, plan);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      financialYear: plan.financial_year,
      illustrative: plan.illustrative,
      months: b.byMonth.map((m) => ({
        period: m.period,
        actualPence: m.actualPence,
        import: m.load
          ? {
              id: m.load.import_id,
              file: m.load.file_name,
              totalPence: m.load.total_pence,
              rows: m.load.rows_loaded,
              importedBy: m.load.imported_by,
              at: m.load.finished_at,
            }
          : null,
        reversedImports: m.reversedLoads.map((l) => ({
          id: l.import_id,
          file: l.file_name,
          totalPence: l.total_pence,
          reversedBy: l.reversed_by,
          reversedAt: l.reversed_at,
          reason: l.reversal_reason,
        })),
        closed: m.closed ? { by: m.closed.closed_by, at: m.closed.closed_at } : null,
        journals: m.journals,
      })),
      commitments: b.commitments,
      source: planSource(plan),
    });
  });

  app.get('/groups/:code/finance/ledger.csv', async (c) => {
    const group = await financeGroup(c, 'officers');
    const { plan } = await loadPlan(c, group);
    const b = await budgetOf(group, plan);
    return sendCsv(
      c,
      `journals-${group.code}-${plan.financial_year}.csv`,
      toCsv(
        [
          { header: 'journal', value: (j) => j.id },
          { header: 'period', value: (j) => j.period },
          { header: 'cost_centre', value: (j) => j.cost_centre_code },
          { header: 'subjective', value: (j) => j.subjective },
          { header: 'amount_pounds', value: (j) => penceAsPounds(j.amount_pence) },
          { header: 'reason', value: (j) => j.reason },
          { header: 'posted_by', value: (j) => j.created_by },
          { header: 'posted_at', value: (j) => j.created_at.toISOString() },
        ],
        b.journals,
      ),
    );
  });

  // ---------------------------------------------------------------------------------------------
  // Running cost allowance: for members too

  const runningCosts = async (group: Group, plan: PlanRow) => {
    const [s, b] = await Promise.all([summaryOf(group, plan), budgetOf(group, plan)]);
    const rca = s.checks.find((c) => c.key === 'runningCostPerHead') ?? null;
    const lines = b.lines.filter((l) => l.programme === 'running_costs');
    const allowance = rca?.requiredPence ?? null;
    const share = (p: bigint) =>
      allowance && allowance > 0n ? Number((p * 10000n) / allowance) / 100 : null;
    return {
      allowancePence: allowance,
      perHead: rca?.rule.value ?? null,
      ruleYear: s.ruleSet?.ruleYears.runningCostPerHead ?? null,
      carriedForward: s.ruleSet?.carriedForward ?? false,
      ruleSource: rca?.rule.source ?? null,
      confirmed: rca?.rule.confirmed ?? null,
      registered: s.registered,
      monthsElapsed: b.monthsElapsed,
      categories: lines.map((l) => ({
        code: l.code,
        name: l.name,
        budgetPence: l.budgetPence,
        actualToDatePence: l.forecast.actualToDatePence,
        forecastPence: l.forecast.phasedPence,
        percentOfAllowance: share(l.forecast.phasedPence),
      })),
      budgetPence: sum(lines.map((l) => l.budgetPence)),
      actualToDatePence: sum(lines.map((l) => l.forecast.actualToDatePence)),
      forecastPence: sum(lines.map((l) => l.forecast.phasedPence)),
      headroomPence:
        allowance === null ? null : allowance - sum(lines.map((l) => l.forecast.phasedPence)),
      overPence:
        allowance !== null && sum(lines.map((l) => l.forecast.phasedPence)) > allowance
          ? sum(lines.map((l) => l.forecast.phasedPence)) - allowance
          : null,
      percentOfAllowance: share(sum(lines.map((l) => l.forecast.phasedPence))),
    };
  };

  app.get('/groups/:code/finance/running-costs', async (c) => {
    const group = await financeGroup(c, 'members');
    const { plan, years } = await loadPlan(c, group);
    const r = await runningCosts(group, plan);
    return page(c, 'finance-running-costs.njk', {
      title: `${group.name}: running costs ${plan.financial_year}`,
      group,
      plan,
      r,
      yearItems: yearItems(years, plan.financial_year),
      source: planSource(plan),
      breadcrumbs: financeCrumbs(group),
    });
  });
  app.get('/api/v1/groups/:code/finance/running-costs', async (c) => {
    const group = await financeGroup(c, 'members');
    const { plan } = await loadPlan(c, group);
    const r = await runningCosts(group, plan);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      financialYear: plan.financial_year,
      illustrative: plan.illustrative,
      ...r,
      source: planSource(plan),
    });
  });
  app.get('/groups/:code/finance/running-costs.csv', async (c) => {
    const group = await financeGroup(c, 'members');
    const { plan } = await loadPlan(c, group);
    const r = await runningCosts(group, plan);
    return sendCsv(
      c,
      `running-costs-${group.code}-${plan.financial_year}.csv`,
      toCsv(
        [
          { header: 'financial_year', value: () => plan.financial_year },
          { header: 'illustrative', value: () => (plan.illustrative ? 'Y' : 'N') },
          { header: 'cost_centre', value: (x) => x.code },
          { header: 'category', value: (x) => x.name },
          { header: 'budget_pounds', value: (x) => penceAsPounds(x.budgetPence) },
          { header: 'actual_to_date_pounds', value: (x) => penceAsPounds(x.actualToDatePence) },
          { header: 'forecast_pounds', value: (x) => penceAsPounds(x.forecastPence) },
          { header: 'percent_of_allowance', value: (x) => x.percentOfAllowance },
          { header: 'allowance_pounds', value: () => penceAsPounds(r.allowancePence) },
        ],
        r.categories,
      ),
    );
  });
}
