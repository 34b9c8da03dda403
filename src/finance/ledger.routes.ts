// HTTP routes for budget against actual with the forecasts, and the ledger's month-end controls
// (import, reverse, close, journal, commitment): pages, forms, JSON API and CSV.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Context, Hono } from 'hono';
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
import { periodLabel } from './budget.js';
import { programmeLabels } from './finance.table.js';
import { ledgerImporter } from './ledger.import.js';
import {
  addCommitment,
  budgetVsActual,
  closePeriod,
  postJournal,
  releaseCommitment,
  reverseLoad,
} from './ledger.service.js';
import { type PlanRow } from './plan.repository.js';
import { canEditFinance, postedYear, requirePlan } from './plan.service.js';
import { editorOf, planSource, type FinancePages } from './finance-pages.js';
import { isRowId } from '../platform/db/ids.js';

interface Deps {
  db: Db;
  facts: FactStore;
  page: PageRenderer;
  cache: DataCache;
  clock: Clock;
}

const forecastMethod =
  'Run-rate: the average month so far × 12. Phased plan plus commitments: actual to date + the rest of the budget phased evenly by month + known commitments. Each variance is the variance to date plus the rest of the year. Pence exact; totals are sums of lines. Method: docs/methods.md, “Budget and forecast”.';

export function registerLedgerRoutes(
  app: Hono<AppEnv>,
  { db, facts, page, clock }: Deps,
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
  // Budget vs actual and forecast

  app.get('/groups/:code/finance/budget', async (c) => {
    const group = await financeGroup(c, 'officers');
    const { plan, years } = await loadPlan(c, group);
    return cachedFinancePage(c, group, async () => {
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
            values: b.byMonth.map((m) =>
              against(m.runRateCumulativePence, m.budgetCumulativePence),
            ),
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
      return {
        template: 'finance-budget.njk',
        data: {
          title: `${group.name}: budget and forecast ${plan.financial_year}`,
          group,
          plan,
          b,
          chart,
          yearItems: yearItems(years, plan.financial_year),
          source: planSource(plan),
          method: forecastMethod,
          breadcrumbs: financeCrumbs(group),
        },
      };
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
    const importedId = Number(c.req.query('imported'));
    const imported = loaded.find((m) => m.load!.import_id === importedId) ?? null;
    return page(
      c,
      'finance-ledger.njk',
      {
        title: `${group.name}: ledger ${plan.financial_year}`,
        group,
        imported,
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
        periodItems: [
          { value: '', text: 'Choose a month' },
          ...b.byMonth.map((m) => ({
            value: m.period,
            text: `${m.label}${m.closed ? ' (closed)' : ''}`,
            selected: values.journalPeriod === m.period,
          })),
        ],
        releaseItems: [
          { value: '', text: 'Choose a commitment' },
          ...b.commitments
            .filter((k) => k.released_at === null)
            .map((k) => ({
              value: String(k.id),
              text: `${k.cost_centre_code}: ${k.description}`,
              selected: values.releaseCommitment === String(k.id),
            })),
        ],
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
      const { plan } = await requirePlan(db, group, postedYear(values));
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
    if (!v.reverseImport || !isRowId(id))
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
  ledgerAction('release', (c, group, plan, v) =>
    releaseCommitment(
      db,
      editorOf(c),
      group,
      plan,
      { commitment: v.releaseCommitment ?? '', reason: v.releaseReason ?? '' },
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
    if (!(file instanceof File) || (file.size === 0 && !file.name))
      return fail('Choose the ledger CSV file to import');
    if (file.size === 0) return fail(`${file.name}: the file is empty (0 bytes)`);
    if (file.size > 20 * 1024 * 1024)
      return fail('The file is larger than 20 MB: split it by month');
    const dir = await mkdtemp(path.join(tmpdir(), 'flock-ledger-'));
    const name = path.basename(file.name).replace(/[^A-Za-z0-9._-]/g, '_') || 'ledger.csv';
    try {
      const filePath = path.join(dir, name);
      await writeFile(filePath, Buffer.from(await file.arrayBuffer()));
      const result = await runImport(db, ledgerImporter({ groupCode: group.code }), filePath, {
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
}
