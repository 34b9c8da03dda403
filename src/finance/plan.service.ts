// A group's annual financial plan: programme budgets that add up to the allocation, checked against the
// year's rules; the QIPP requirement and schemes; who may read and who may change them.
import type { Group } from '../organisations/group.service.js';
import { audit, systemActor, userActor, type Actor } from '../platform/audit/audit.service.js';
import type { Principal } from '../platform/auth/principal.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, requireFields, type FieldProblem } from '../platform/errors.js';
import { DATE_YEARS_TEXT, isSensibleYear } from '../platform/imports/fields.js';
import { penceAsPounds } from '../platform/money.js';
import { checkPlan, rulesForYear } from './business-rules.js';
import { registeredPopulation } from './business-rules.service.js';
import { qippRequirement, spreadEvenly } from './budget.js';
import {
  programmeLabels,
  programmes,
  reserveKinds,
  riskRatings,
  type Programme,
  type ReserveKind,
  type RiskRating,
} from './finance.table.js';
import { requirePounds, withinAllocation } from './inputs.js';
import {
  findCostCentre,
  findPlan,
  listCostCentres,
  listSchemeMonths,
  listSchemes,
  planYears,
  type CostCentreRow,
  type PlanRow,
} from './plan.repository.js';

/** Finance officers and the group's administrators change the plan and the ledger. */
export function canEditFinance(principal: Principal | undefined, group: Group): boolean {
  return (principal?.grants ?? []).some(
    (g) => g.organisationId === group.id && (g.role === 'finance' || g.role === 'admin'),
  );
}

/**
 * The plan, ledger and QIPP are for the group's officers, governing body and lay members (and national
 * or regional oversight); member practices see practice budgets and the running cost view.
 */
export function canReadPlan(
  principal: Principal | undefined,
  group: Group,
  ancestorIds: readonly number[],
): boolean {
  return (principal?.grants ?? []).some((g) =>
    g.organisationId === group.id
      ? g.role !== 'member'
      : g.role === 'oversight' &&
        (g.organisationType === 'nation' || ancestorIds.includes(g.organisationId)),
  );
}

/** Who is changing the plan or ledger: a signed-in user (role checked) or the system (the demo seed, the CLI). */
export type Editor = { principal: Principal; clientAddress: string | null } | { system: string };

export const actorOf = (editor: Editor): Actor =>
  'system' in editor
    ? systemActor(editor.system)
    : userActor(editor.principal, editor.clientAddress);

export function requireEditor(editor: Editor, group: Group, what: string) {
  if ('principal' in editor && !canEditFinance(editor.principal, group))
    throw new AppError('forbidden', `Only finance officers of ${group.name} can ${what}`);
}

export const financialYearPattern = /^\d{4}\/\d{2}$/;
/** "2022/23": two years in a row, both within the years Flock accepts (1948 to 2099). */
export const isFinancialYear = (year: string) =>
  financialYearPattern.test(year) &&
  (Number(year.slice(0, 4)) + 1) % 100 === Number(year.slice(5, 7)) &&
  isSensibleYear(Number(year.slice(0, 4))) &&
  isSensibleYear(Number(year.slice(0, 4)) + 1);

/**
 * The financial year a finance form names (every one carries it): a form without it is refused,
 * never taken as the latest year.
 */
export function postedYear(values: Readonly<Record<string, string>>): string {
  requireFields(values, { year: 'Financial year' });
  return values.year!;
}

/** The plan for the year asked (or the latest); not found when the group has none for that year. */
export async function requirePlan(db: Db, group: Group, year: string | undefined) {
  const years = await planYears(db, group.id);
  const chosen = year || years[0];
  if (!chosen) throw new AppError('not_found', `${group.name} has no financial plan yet`);
  if (!isFinancialYear(chosen))
    throw new AppError('invalid_input', 'Choose a financial year like 2022/23', [
      { field: 'year', message: 'Choose a financial year like 2022/23' },
    ]);
  const plan = await findPlan(db, group.id, chosen);
  if (!plan) throw new AppError('not_found', `${group.name} has no financial plan for ${chosen}`);
  return { plan, years };
}

const sum = (xs: readonly bigint[]) => xs.reduce((s, x) => s + x, 0n);

/** Budgets by programme, in the fixed programme order, with each programme's cost centres. */
export function byProgramme(costCentres: readonly CostCentreRow[]) {
  return programmes
    .map((p) => {
      const lines = costCentres.filter((c) => c.programme === p);
      return {
        programme: p,
        label: programmeLabels[p],
        costCentres: lines,
        budgetPence: sum(lines.map((l) => l.annual_budget_pence)),
      };
    })
    .filter((p) => p.costCentres.length > 0);
}

const reserveOf = (costCentres: readonly CostCentreRow[], kind: ReserveKind) =>
  sum(costCentres.filter((c) => c.reserve_kind === kind).map((c) => c.annual_budget_pence));

/** The whole plan: budgets, their total against the allocation, the rules check and the QIPP position. */
export async function planSummary(db: Db, group: Group, plan: PlanRow) {
  const costCentres = await listCostCentres(db, plan.id);
  const totalPence = sum(costCentres.map((c) => c.annual_budget_pence));
  const ruleSet = rulesForYear(plan.financial_year);
  const registered = await registeredPopulation(db, group);
  const runningCostsPence = sum(
    costCentres.filter((c) => c.programme === 'running_costs').map((c) => c.annual_budget_pence),
  );
  const checks = ruleSet
    ? checkPlan(ruleSet.rules, {
        allocationPence: plan.allocation_pence,
        plannedSurplusPence: reserveOf(costCentres, 'surplus'),
        contingencyPence: reserveOf(costCentres, 'contingency'),
        nonRecurrentHeadroomPence: reserveOf(costCentres, 'non_recurrent'),
        runningCostsPence,
        registeredPopulation: registered,
      })
    : [];
  // What the rules set aside from the allocation: the surplus, contingency and headroom they ask.
  const setAside: readonly string[] = ['plannedSurplus', 'contingency', 'nonRecurrentHeadroom'];
  const rulesPence = sum(
    checks.filter((c) => setAside.includes(c.key)).map((c) => c.requiredPence),
  );
  const requirementPence = qippRequirement({
    committedSpendPence: plan.committed_spend_pence,
    growthPence: plan.growth_pence,
    rulesPence,
    allocationPence: plan.allocation_pence,
  });
  const qipp = await qippTracker(db, plan, requirementPence);
  return {
    plan,
    costCentres,
    programmes: byProgramme(costCentres).map((p) => ({
      ...p,
      // A share for reading, not money: hundredths of a percent, exactly, then as a number.
      percentOfAllocation: Number((p.budgetPence * 10_000n) / plan.allocation_pence) / 100,
    })),
    totalPence,
    balanced: totalPence === plan.allocation_pence,
    unallocatedPence: plan.allocation_pence - totalPence,
    ruleSet,
    registered,
    checks,
    breaches: checks.filter((c) => !c.passes).length,
    rulesPence,
    requirementPence,
    qipp,
  };
}

export type PlanSummary = Awaited<ReturnType<typeof planSummary>>;

/** QIPP schemes with their monthly plan and delivery, totals by month and by risk, and the gap left. */
export async function qippTracker(db: Db, plan: PlanRow, requirementPence: bigint) {
  const [schemes, months] = await Promise.all([
    listSchemes(db, plan.id),
    listSchemeMonths(db, plan.id),
  ]);
  const rows = schemes.map((s) => {
    const planned = Array<bigint>(12).fill(0n);
    const delivered = Array<bigint | null>(12).fill(null);
    for (const m of months.filter((m) => m.scheme_id === s.id)) {
      planned[m.month - 1] = m.planned_pence;
      delivered[m.month - 1] = m.delivered_pence;
    }
    const reported = delivered.reduce<number>((last, d, i) => (d === null ? last : i + 1), 0);
    const plannedToDate = sum(planned.slice(0, reported));
    const deliveredToDate = sum(delivered.slice(0, reported).map((d) => d ?? 0n));
    return {
      ...s,
      planned,
      delivered,
      monthsReported: reported,
      plannedPence: sum(planned),
      plannedToDatePence: plannedToDate,
      deliveredToDatePence: deliveredToDate,
      shortfallToDatePence: plannedToDate - deliveredToDate,
    };
  });
  const plannedPence = sum(rows.map((r) => r.plannedPence));
  const monthly = Array.from({ length: 12 }, (_, i) => ({
    month: i + 1,
    plannedPence: sum(rows.map((r) => r.planned[i]!)),
    deliveredPence: rows.some((r) => r.delivered[i] !== null)
      ? sum(rows.map((r) => r.delivered[i] ?? 0n))
      : null,
  }));
  return {
    schemes: rows,
    plannedPence,
    plannedToDatePence: sum(rows.map((r) => r.plannedToDatePence)),
    deliveredToDatePence: sum(rows.map((r) => r.deliveredToDatePence)),
    shortfallToDatePence: sum(rows.map((r) => r.shortfallToDatePence)),
    requirementPence,
    /** Requirement not covered by any scheme's plan (0 when schemes cover it). */
    unidentifiedPence: requirementPence > plannedPence ? requirementPence - plannedPence : 0n,
    byRisk: riskRatings.map((risk) => ({
      risk,
      plannedPence: sum(rows.filter((r) => r.risk === risk).map((r) => r.plannedPence)),
    })),
    monthly,
  };
}

// ---------------------------------------------------------------------------------------------
// Changes: each checks the role, validates everything first, saves in one transaction and is audited.

export interface PlanInput {
  year: string;
  allocation: string;
  committed: string;
  growth: string;
  basis?: string;
  /** Annual budget by cost centre code. */
  budgets: Record<string, string>;
  /** A new plan's cost centres (default: the standard set). */
  costCentres?: typeof standardCostCentres;
  /** Generated figures (the demo): labelled wherever the plan is shown. */
  illustrative?: boolean;
}

/** The cost centres a new plan starts with: one per programme, and a reserve for each rule. */
export const standardCostCentres: {
  code: string;
  name: string;
  programme: Programme;
  reserveKind: ReserveKind | null;
}[] = [
  { code: 'ACU01', name: 'Acute contracts', programme: 'acute', reserveKind: null },
  { code: 'COM01', name: 'Community services', programme: 'community', reserveKind: null },
  { code: 'MH01', name: 'Mental health services', programme: 'mental_health', reserveKind: null },
  { code: 'CHC01', name: 'Continuing healthcare', programme: 'continuing_care', reserveKind: null },
  { code: 'PRE01', name: 'Prescribing', programme: 'prescribing', reserveKind: null },
  { code: 'PC01', name: 'Primary care', programme: 'primary_care', reserveKind: null },
  { code: 'OTH01', name: 'Other programme', programme: 'other', reserveKind: null },
  { code: 'RC01', name: 'Running costs', programme: 'running_costs', reserveKind: null },
  { code: 'RES01', name: 'Planned surplus', programme: 'reserves', reserveKind: 'surplus' },
  { code: 'RES02', name: 'Contingency', programme: 'reserves', reserveKind: 'contingency' },
  {
    code: 'RES03',
    name: 'Non-recurrent headroom',
    programme: 'reserves',
    reserveKind: 'non_recurrent',
  },
];

const invalid = (problems: FieldProblem[], message = problems[0]?.message ?? 'Check the form') => {
  if (problems.length) throw new AppError('invalid_input', message, problems);
};

const budgetField = (code: string) => `budget-${code}`;

/**
 * Creates or replaces the year's plan figures and every cost centre's budget at once. Refused, with
 * nothing saved, unless every figure is a non-negative amount and the budgets add up to the allocation.
 */
export async function savePlan(
  db: Db,
  editor: Editor,
  group: Group,
  input: PlanInput,
  clock: Clock = systemClock,
) {
  requireEditor(editor, group, 'change the financial plan');
  const problems: FieldProblem[] = [];
  const year = input.year.trim();
  if (!isFinancialYear(year))
    problems.push({
      field: 'year',
      message: `Enter the financial year like 2022/23 ${DATE_YEARS_TEXT}`,
    });
  const allocation = requirePounds(input.allocation, 'allocation', 'Allocation', problems);
  if (allocation === 0n)
    problems.push({ field: 'allocation', message: 'The allocation must be more than £0' });
  const committed = requirePounds(input.committed, 'committed', 'Committed spend', problems);
  const growth = requirePounds(input.growth, 'growth', 'Growth', problems);
  const basis = (input.basis ?? '').trim();
  if (basis.length > 2000)
    problems.push({ field: 'basis', message: 'The basis must be 2,000 characters or fewer' });
  const existing = isFinancialYear(year) ? await findPlan(db, group.id, year) : undefined;
  const centres = existing
    ? (await listCostCentres(db, existing.id)).map((c) => ({ code: c.code, name: c.name }))
    : (input.costCentres ?? standardCostCentres);
  const budgets = new Map<string, bigint>();
  for (const c of centres) {
    const value = requirePounds(
      input.budgets[c.code],
      budgetField(c.code),
      `Budget for ${c.code} ${c.name}`,
      problems,
    );
    if (value !== undefined) budgets.set(c.code, value);
  }
  invalid(problems);
  const total = sum([...budgets.values()]);
  if (total !== allocation)
    invalid(
      [
        {
          field: 'allocation',
          message: `The budgets add up to £${penceAsPounds(total)}, not the allocation of £${penceAsPounds(allocation!)}: they must match to the penny (difference £${penceAsPounds(allocation! - total)})`,
        },
      ],
      'The budgets must add up to the allocation',
    );
  const at = clock();
  const actor = actorOf(editor);
  return db.transaction().execute(async (tx) => {
    const before = existing
      ? {
          allocation: penceAsPounds(existing.allocation_pence),
          committed: penceAsPounds(existing.committed_spend_pence),
          growth: penceAsPounds(existing.growth_pence),
          budgets: Object.fromEntries(
            (await listCostCentres(tx, existing.id)).map((c) => [
              c.code,
              penceAsPounds(c.annual_budget_pence),
            ]),
          ),
        }
      : null;
    const values = {
      allocation_pence: allocation!,
      committed_spend_pence: committed!,
      growth_pence: growth!,
      basis: basis || null,
      updated_by: actor.label,
      updated_at: at,
    };
    const planId = existing
      ? (await tx.updateTable('finance_plan').set(values).where('id', '=', existing.id).execute(),
        existing.id)
      : (
          await tx
            .insertInto('finance_plan')
            .values({
              ...values,
              group_id: group.id,
              financial_year: year,
              illustrative: input.illustrative ?? false,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;
    if (existing) {
      for (const [code, pence] of budgets)
        await tx
          .updateTable('finance_cost_centre')
          .set({ annual_budget_pence: pence })
          .where('plan_id', '=', planId)
          .where('code', '=', code)
          .execute();
    } else {
      await tx
        .insertInto('finance_cost_centre')
        .values(
          (input.costCentres ?? standardCostCentres).map((c) => ({
            plan_id: planId,
            code: c.code,
            name: c.name,
            programme: c.programme,
            reserve_kind: c.reserveKind,
            annual_budget_pence: budgets.get(c.code)!,
          })),
        )
        .execute();
    }
    await audit(
      tx,
      actor,
      {
        action: existing ? 'finance_plan.updated' : 'finance_plan.created',
        entityType: 'finance_plan',
        entityId: String(planId),
        organisationId: group.id,
        before,
        after: {
          year,
          allocation: penceAsPounds(allocation!),
          committed: penceAsPounds(committed!),
          growth: penceAsPounds(growth!),
          budgets: Object.fromEntries([...budgets].map(([k, v]) => [k, penceAsPounds(v)])),
        },
      },
      clock,
    );
    return year;
  });
}

export interface CostCentreInput {
  code: string;
  name: string;
  programme: string;
  reserveKind: string;
}

/** Adds a cost centre with a budget of £0 (so the plan still balances); budgets are set on the plan form. */
export async function addCostCentre(
  db: Db,
  editor: Editor,
  group: Group,
  plan: PlanRow,
  input: CostCentreInput,
  clock: Clock = systemClock,
) {
  requireEditor(editor, group, 'add cost centres');
  const problems: FieldProblem[] = [];
  const code = input.code.trim().toUpperCase();
  const name = input.name.trim();
  if (!/^[A-Z0-9][A-Z0-9_-]{0,19}$/.test(code))
    problems.push({
      field: 'ccCode',
      message: 'The code must be 1 to 20 letters, digits, dashes or underscores',
    });
  if (!name || name.length > 120)
    problems.push({ field: 'ccName', message: 'Enter a name of up to 120 characters' });
  const programme = programmes.find((p) => p === input.programme);
  if (!programme) problems.push({ field: 'ccProgramme', message: 'Choose a programme' });
  const reserveKind = reserveKinds.find((k) => k === input.reserveKind) ?? null;
  if (programme === 'reserves' && !reserveKind)
    problems.push({ field: 'ccReserveKind', message: 'Choose what the reserve is for' });
  invalid(problems);
  const taken = (await listCostCentres(db, plan.id)).some((c) => c.code === code);
  if (taken)
    throw new AppError('invalid_input', `Cost centre ${code} is already in the plan`, [
      { field: 'ccCode', message: `Cost centre ${code} is already in the plan` },
    ]);
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('finance_cost_centre')
      .values({
        plan_id: plan.id,
        code,
        name,
        programme: programme!,
        reserve_kind: programme === 'reserves' ? reserveKind : null,
        annual_budget_pence: 0n,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      tx,
      actorOf(editor),
      {
        action: 'finance_cost_centre.created',
        entityType: 'finance_cost_centre',
        entityId: String(row.id),
        organisationId: group.id,
        after: { year: plan.financial_year, code, name, programme, reserveKind },
      },
      clock,
    );
  });
}

export interface SchemeInput {
  name: string;
  owner: string;
  costCentre: string;
  risk: string;
  /** The full-year saving, phased evenly from the first month of delivery to March. */
  saving: string;
  firstMonth: string;
}

/** Adds a QIPP scheme: owner, the cost centre it saves on, risk, and its planned saving by month. */
export async function addScheme(
  db: Db,
  editor: Editor,
  group: Group,
  plan: PlanRow,
  input: SchemeInput,
  clock: Clock = systemClock,
) {
  requireEditor(editor, group, 'add QIPP schemes');
  const problems: FieldProblem[] = [];
  const name = input.name.trim();
  const owner = input.owner.trim();
  if (!name || name.length > 160)
    problems.push({
      field: 'schemeName',
      message: 'Enter the scheme’s name (up to 160 characters)',
    });
  if (!owner || owner.length > 120)
    problems.push({
      field: 'schemeOwner',
      message: 'Enter who owns the scheme (up to 120 characters)',
    });
  const centre = await findCostCentre(db, plan.id, input.costCentre);
  if (!centre)
    problems.push({
      field: 'schemeCostCentre',
      message: 'Choose the cost centre the scheme saves on',
    });
  const risk = riskRatings.find((r) => r === input.risk) as RiskRating | undefined;
  if (!risk) problems.push({ field: 'schemeRisk', message: 'Choose a risk rating' });
  const saving = requirePounds(input.saving, 'schemeSaving', 'Full-year saving', problems, {
    max: withinAllocation(plan),
  });
  if (saving === 0n)
    problems.push({ field: 'schemeSaving', message: 'The saving must be more than £0' });
  const first = Number(input.firstMonth);
  if (!Number.isInteger(first) || first < 1 || first > 12)
    problems.push({ field: 'schemeFirstMonth', message: 'Choose the first month of delivery' });
  invalid(problems);
  const planned = phaseOver(saving!, first);
  return saveScheme(db, editor, group, plan, clock, {
    name,
    owner,
    costCentreId: centre!.id,
    risk: risk!,
    planned,
  });
}

/** A saving phased evenly over the months from `first` (1 = April) to March; earlier months are 0. */
export const phaseOver = (savingPence: bigint, first: number): bigint[] => [
  ...Array<bigint>(first - 1).fill(0n),
  ...spreadEvenly(savingPence, 13 - first),
];

/** Stores a scheme and its monthly plan (also used by the demo seed with a profile of its own). */
export async function saveScheme(
  db: Db,
  editor: Editor,
  group: Group,
  plan: PlanRow,
  clock: Clock,
  scheme: {
    name: string;
    owner: string;
    costCentreId: number;
    risk: RiskRating;
    planned: bigint[];
  },
) {
  const taken = (await listSchemes(db, plan.id)).some(
    (s) => s.name.toLowerCase() === scheme.name.toLowerCase(),
  );
  if (taken)
    throw new AppError('invalid_input', `There is already a scheme called ${scheme.name}`, [
      { field: 'schemeName', message: `There is already a scheme called ${scheme.name}` },
    ]);
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('qipp_scheme')
      .values({
        plan_id: plan.id,
        name: scheme.name,
        owner: scheme.owner,
        cost_centre_id: scheme.costCentreId,
        risk: scheme.risk,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('qipp_month')
      .values(
        scheme.planned.map((p, i) => ({
          scheme_id: row.id,
          month: i + 1,
          planned_pence: p,
          delivered_pence: null,
        })),
      )
      .execute();
    await audit(
      tx,
      actorOf(editor),
      {
        action: 'qipp_scheme.created',
        entityType: 'qipp_scheme',
        entityId: String(row.id),
        organisationId: group.id,
        after: {
          year: plan.financial_year,
          name: scheme.name,
          owner: scheme.owner,
          risk: scheme.risk,
          planned: scheme.planned.map((p) => penceAsPounds(p)),
        },
      },
      clock,
    );
    return row.id;
  });
}

/** Changes a scheme's owner or risk rating as the year goes on; audited with both before and after. */
export async function updateScheme(
  db: Db,
  editor: Editor,
  group: Group,
  plan: PlanRow,
  input: { scheme: string; owner: string; risk: string },
  clock: Clock = systemClock,
) {
  requireEditor(editor, group, 'change QIPP schemes');
  const problems: FieldProblem[] = [];
  const scheme = (await listSchemes(db, plan.id)).find((s) => String(s.id) === input.scheme);
  if (!scheme) problems.push({ field: 'changeScheme', message: 'Choose a scheme' });
  const owner = input.owner.trim();
  if (!owner || owner.length > 120)
    problems.push({
      field: 'changeOwner',
      message: 'Enter who owns the scheme (up to 120 characters)',
    });
  const risk = riskRatings.find((r) => r === input.risk);
  if (!risk) problems.push({ field: 'changeRisk', message: 'Choose a risk rating' });
  invalid(problems);
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('qipp_scheme')
      .set({ owner, risk: risk! })
      .where('id', '=', scheme!.id)
      .where('plan_id', '=', plan.id)
      .execute();
    await audit(
      tx,
      actorOf(editor),
      {
        action: 'qipp_scheme.updated',
        entityType: 'qipp_scheme',
        entityId: String(scheme!.id),
        organisationId: group.id,
        before: { owner: scheme!.owner, risk: scheme!.risk },
        after: { owner, risk },
      },
      clock,
    );
  });
}

/** Records (or corrects) a scheme's delivered saving for one month; audited with the figure before. */
export async function recordDelivery(
  db: Db,
  editor: Editor,
  group: Group,
  plan: PlanRow,
  input: { scheme: string; month: string; delivered: string },
  clock: Clock = systemClock,
) {
  requireEditor(editor, group, 'record QIPP delivery');
  const problems: FieldProblem[] = [];
  const schemes = await listSchemes(db, plan.id);
  const scheme = schemes.find((s) => String(s.id) === input.scheme);
  if (!scheme) problems.push({ field: 'deliveryScheme', message: 'Choose a scheme' });
  const month = Number(input.month);
  if (!Number.isInteger(month) || month < 1 || month > 12)
    problems.push({ field: 'deliveryMonth', message: 'Choose the month' });
  const delivered = requirePounds(input.delivered, 'deliveryAmount', 'Delivered saving', problems, {
    max: withinAllocation(plan),
  });
  invalid(problems);
  await db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('qipp_month')
      .select('delivered_pence')
      .where('scheme_id', '=', scheme!.id)
      .where('month', '=', month)
      .executeTakeFirstOrThrow();
    await tx
      .updateTable('qipp_month')
      .set({ delivered_pence: delivered! })
      .where('scheme_id', '=', scheme!.id)
      .where('month', '=', month)
      .execute();
    await audit(
      tx,
      actorOf(editor),
      {
        action: 'qipp_month.delivery_recorded',
        entityType: 'qipp_scheme',
        entityId: String(scheme!.id),
        organisationId: group.id,
        before: { month, delivered: penceAsPounds(before.delivered_pence) },
        after: { month, delivered: penceAsPounds(delivered!) },
      },
      clock,
    );
  });
}
