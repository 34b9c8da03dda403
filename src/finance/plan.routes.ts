// HTTP routes for the group's financial plan, its QIPP tracker and the running cost view: pages,
// forms, JSON API and CSV.
import type { Context, Hono } from 'hono';
import type { Group } from '../organisations/group.service.js';
import type { Clock } from '../platform/clock.js';
import type { DataCache } from '../platform/db/data-cache.js';
import type { Db } from '../platform/db/schema.js';
import { requireFields, type FieldProblem } from '../platform/errors.js';
import type { FactStore } from '../platform/facts/fact-store.js';
import { toCsv } from '../platform/http/csv.js';
import { formRoute } from '../platform/http/forms.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { sendCsv, sendJson } from '../platform/http/json.js';
import type { PageRenderer } from '../platform/http/pages.js';
import { penceAsPounds } from '../platform/money.js';
import { lineChartSvg } from '../web/charts/line-chart.js';
import { monthsOfYear, periodLabel } from './budget.js';
import { programmeLabels, programmes, reserveKinds, riskRatings } from './finance.table.js';
import { planYears, type PlanRow } from './plan.repository.js';
import {
  addCostCentre,
  addScheme,
  canEditFinance,
  planSummary,
  recordDelivery,
  postedYear,
  requirePlan,
  savePlan,
  updateScheme,
  standardCostCentres,
} from './plan.service.js';
import { pairedBarChartSvg } from '../web/charts/bar-chart.js';
import { editorOf, planSource, type FinancePages } from './finance-pages.js';
import { poundsShort } from './finance.routes.js';

interface Deps {
  db: Db;
  facts: FactStore;
  page: PageRenderer;
  cache: DataCache;
  clock: Clock;
}

const sum = (xs: readonly bigint[]) => xs.reduce((s, x) => s + x, 0n);

export function registerPlanRoutes(
  app: Hono<AppEnv>,
  { db, page, clock }: Deps,
  pages: FinancePages,
) {
  const {
    financeGroup,
    loadPlan,
    cachedFinancePage,
    summaryOf,
    budgetOf,
    financeCrumbs,
    problemsView,
    postForm,
    formValues,
    yearItems,
  } = pages;

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
        rulesChart:
          s && s.checks.length
            ? pairedBarChartSvg(
                s.checks.map((c) => ({
                  label: c.label.replace(/ \(.*\)$/, ''),
                  values: [Number(c.requiredPence) / 100, Number(c.plannedPence) / 100],
                })),
                {
                  id: 'rules-chart',
                  title: `The plan against the business rules, ${plan!.financial_year}`,
                  description:
                    'For each rule, grey what it asks and blue what the plan has; running costs are an upper limit, the others a minimum. The table below gives every figure and the gap.',
                  names: ['Rule asks', 'Plan has'],
                  format: poundsShort,
                },
              )
            : '',
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

  formRoute(
    app,
    '/groups/:code/finance/plan',
    (c) => financeGroup(c, 'officers'),
    async (c, group, values) => {
      requireFields(values, {
        year: 'Financial year',
        allocation: 'Allocation',
        committed: 'Committed spend',
        growth: 'Growth',
        basis: 'Basis of the figures',
      });
      const budgets = Object.fromEntries(
        Object.entries(values)
          .filter(([k]) => k.startsWith('budget-'))
          .map(([k, v]) => [k.slice('budget-'.length), v]),
      );
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
    planPage,
  );

  app.post('/groups/:code/finance/plan/cost-centres', async (c) => {
    const group = await financeGroup(c, 'officers');
    const values = await formValues(c);
    const { plan } = await requirePlan(db, group, postedYear(values));
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
        changeSchemeItems: [
          { value: '', text: 'Choose a scheme' },
          ...s.qipp.schemes.map((r) => ({
            value: String(r.id),
            text: `${r.name} (${r.owner}, ${r.risk} risk)`,
            selected: values.changeScheme === String(r.id),
          })),
        ],
        changeRiskItems: [
          { value: '', text: 'Choose a rating' },
          ...riskRatings.map((r) => ({ value: r, text: r, selected: values.changeRisk === r })),
        ],
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
    const { plan } = await requirePlan(db, group, postedYear(values));
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
    const { plan } = await requirePlan(db, group, postedYear(values));
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

  app.post('/groups/:code/finance/qipp/scheme', async (c) => {
    const group = await financeGroup(c, 'officers');
    const values = await formValues(c);
    const { plan } = await requirePlan(db, group, postedYear(values));
    return postForm(
      c,
      async () => {
        await updateScheme(
          db,
          editorOf(c),
          group,
          plan,
          {
            scheme: values.changeScheme ?? '',
            owner: values.changeOwner ?? '',
            risk: values.changeRisk ?? '',
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
    return cachedFinancePage(c, group, async () => ({
      template: 'finance-running-costs.njk',
      data: {
        title: `${group.name}: running costs ${plan.financial_year}`,
        group,
        plan,
        r: await runningCosts(group, plan),
        yearItems: yearItems(years, plan.financial_year),
        source: planSource(plan),
        breadcrumbs: financeCrumbs(group),
      },
    }));
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
