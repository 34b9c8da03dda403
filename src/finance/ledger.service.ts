// The monthly ledger against the plan: budget vs actual by programme and cost centre, forecast outturn by
// two methods with the variance explained, and the month-end controls (close, reverse, journal, commitment).
import type { Group } from '../organisations/group.service.js';
import { audit } from '../platform/audit/audit.service.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, type FieldProblem } from '../platform/errors.js';
import { formatPence, penceAsPounds } from '../platform/money.js';
import {
  addForecasts,
  forecast,
  monthsOfYear,
  periodLabel,
  phaseEvenly,
  spreadEvenly,
  type Forecast,
} from './budget.js';
import { programmeLabels, programmes } from './finance.table.js';
import { requirePounds, withinAllocation } from './inputs.js';
import {
  actualsByMonth,
  findCostCentre,
  isClosed,
  listCloses,
  listCommitments,
  listCostCentres,
  listJournals,
  listLoads,
  lockPeriod,
  type PlanRow,
} from './plan.repository.js';
import { actorOf, requireEditor, type Editor } from './plan.service.js';
import { isRowId } from '../platform/db/ids.js';

const sum = (xs: readonly bigint[]) => xs.reduce((s, x) => s + x, 0n);

const money = (pence: bigint) => formatPence(pence, { wholePounds: true });
const overUnder = (pence: bigint) =>
  pence === 0n
    ? 'on budget'
    : `${money(pence < 0n ? -pence : pence)} ${pence > 0n ? 'over' : 'under'}`;

/** Why a line's forecast differs from its budget, in words, for each method. */
export function explainVariance(f: Forecast, commitmentsPence: bigint) {
  const toDate =
    f.monthsElapsed === 0
      ? 'No actuals yet'
      : `${overUnder(f.varianceToDatePence)} budget after ${f.monthsElapsed} month${f.monthsElapsed === 1 ? '' : 's'}`;
  const runRate =
    f.monthsElapsed === 0
      ? 'run-rate assumes the budget'
      : `spending the rest of the year at the average month so far adds ${overUnder(f.runRateRestOfYearPence)}`;
  const phased =
    commitmentsPence === 0n
      ? 'the rest of the year as phased, with no known commitments'
      : `the rest of the year as phased plus known commitments of ${money(commitmentsPence)}`;
  return { runRate: `${toDate}; ${runRate}.`, phased: `${toDate}; ${phased}.` };
}

/**
 * Budget against actual for the year: actuals from every load not reversed and every journal; the year
 * so far runs to the last month with actuals. Totals are sums of their lines.
 */
export async function budgetVsActual(db: Db, group: Group, plan: PlanRow) {
  const months = monthsOfYear(plan.financial_year);
  const [costCentres, actuals, commitments, loads, closes, journals] = await Promise.all([
    listCostCentres(db, plan.id),
    actualsByMonth(db, plan.id),
    listCommitments(db, plan.id),
    listLoads(db, group.id, months),
    listCloses(db, group.id, months),
    listJournals(db, group.id, months),
  ]);
  const monthIndex = new Map(months.map((m, i) => [m, i]));
  // The year so far runs to the last month with an import that counts: a journal alone (an accrual)
  // does not make a month part of it. Months before that without an import are named on the page.
  const loaded = new Set(loads.filter((l) => l.reversed_at === null).map((l) => l.period));
  const elapsed = months.reduce((last, m, i) => (loaded.has(m) ? i + 1 : last), 0);
  const missing = months.slice(0, elapsed).filter((m) => !loaded.has(m));
  // Commitments are for the months still to come: released ones, and all of them once the year's
  // twelve months are in, no longer count.
  const live = elapsed < 12 ? commitments.filter((c) => c.released_at === null) : [];

  const lines = costCentres.map((cc) => {
    const monthly = Array<bigint>(12).fill(0n);
    for (const a of actuals.filter((a) => a.cost_centre_id === cc.id)) {
      const i = monthIndex.get(a.period);
      if (i !== undefined) monthly[i] = (monthly[i] ?? 0n) + a.amountPence;
    }
    const commitmentsPence = sum(
      live.filter((c) => c.cost_centre_id === cc.id).map((c) => c.amount_pence),
    );
    const f = forecast({
      annualBudgetPence: cc.annual_budget_pence,
      actualPence: monthly.slice(0, elapsed),
      commitmentsPence,
    });
    return {
      code: cc.code,
      name: cc.name,
      programme: cc.programme,
      budgetPence: cc.annual_budget_pence,
      phasedPence: phaseEvenly(cc.annual_budget_pence),
      monthlyActualPence: monthly.slice(0, elapsed),
      commitmentsPence,
      forecast: f,
      explanation: explainVariance(f, commitmentsPence),
    };
  });
  const programmeRows = programmes
    .map((p) => {
      const ls = lines.filter((l) => l.programme === p);
      const f = addForecasts(ls.map((l) => l.forecast));
      const commitmentsPence = sum(ls.map((l) => l.commitmentsPence));
      return {
        programme: p,
        label: programmeLabels[p],
        lines: ls,
        budgetPence: sum(ls.map((l) => l.budgetPence)),
        commitmentsPence,
        forecast: f,
        explanation: explainVariance(f, commitmentsPence),
      };
    })
    .filter((p) => p.lines.length > 0);
  const total = addForecasts(lines.map((l) => l.forecast));
  const totalCommitments = sum(lines.map((l) => l.commitmentsPence));

  // Cumulative by month for the chart and table: budget for all twelve; actual to date; each forecast
  // from the last actual month on (run-rate: the average month; phased: the phased budget plus commitments
  // spread evenly over the months left).
  const budgetByMonth = months.map((_, i) => sum(lines.map((l) => l.phasedPence[i]!)));
  const actualByMonth = months
    .slice(0, elapsed)
    .map((_, i) => sum(lines.map((l) => l.monthlyActualPence[i]!)));
  const cumulative = (xs: readonly bigint[]) => {
    let run = 0n;
    return xs.map((x) => (run += x));
  };
  const left = 12 - elapsed;
  const commitmentPhasing = left > 0 ? spreadEvenly(totalCommitments, left) : [];
  const runRateMonthly = elapsed
    ? (total.runRatePence - total.actualToDatePence) / BigInt(Math.max(1, left))
    : 0n;
  const budgetCumulative = cumulative(budgetByMonth);
  const actualCumulative = cumulative(actualByMonth);
  const byMonth = months.map((m, i) => {
    const budgetCum = budgetCumulative[i]!;
    const actualCum = i < elapsed ? actualCumulative[i]! : null;
    const after = i - elapsed + 1; // months forecast so far, when i ≥ elapsed
    const phasedCum =
      i < elapsed - 1 || elapsed === 0
        ? null
        : total.actualToDatePence +
          sum(budgetByMonth.slice(elapsed, i + 1)) +
          sum(commitmentPhasing.slice(0, Math.max(0, after)));
    const runRateCum =
      i < elapsed - 1 || elapsed === 0
        ? null
        : i === 11
          ? total.runRatePence
          : total.actualToDatePence + runRateMonthly * BigInt(Math.max(0, after));
    return {
      period: m,
      label: periodLabel(m),
      budgetPence: budgetByMonth[i]!,
      actualPence: i < elapsed ? actualByMonth[i]! : null,
      budgetCumulativePence: budgetCum,
      actualCumulativePence: actualCum,
      runRateCumulativePence: runRateCum,
      phasedCumulativePence: phasedCum,
      load: loads.find((l) => l.period === m && l.reversed_at === null) ?? null,
      reversedLoads: loads.filter((l) => l.period === m && l.reversed_at !== null),
      closed: closes.find((c) => c.period === m) ?? null,
      journals: journals.filter((j) => j.period === m),
    };
  });
  return {
    months,
    monthsElapsed: elapsed,
    lastPeriod: elapsed ? months[elapsed - 1]! : null,
    missing,
    lines,
    programmes: programmeRows,
    total,
    totalBudgetPence: sum(lines.map((l) => l.budgetPence)),
    totalCommitmentsPence: totalCommitments,
    totalExplanation: explainVariance(total, totalCommitments),
    byMonth,
    commitments,
    journals,
  };
}

export type BudgetVsActual = Awaited<ReturnType<typeof budgetVsActual>>;

// ---------------------------------------------------------------------------------------------
// Month-end controls. Each checks the role, refuses bad input with nothing saved, and is audited.

const refuse = (field: string, message: string): never => {
  throw new AppError('invalid_input', message, [{ field, message }]);
};

const periodOfYear = (plan: PlanRow, period: string, field: string) => {
  if (!monthsOfYear(plan.financial_year).includes(period))
    refuse(field, `Choose a month of ${plan.financial_year}`);
  return period;
};

/** Closes a month: its imported actuals can no longer be reversed or replaced; changes need a journal. */
export async function closePeriod(
  db: Db,
  editor: Editor,
  group: Group,
  plan: PlanRow,
  period: string,
  clock: Clock = systemClock,
) {
  requireEditor(editor, group, 'close a month');
  periodOfYear(plan, period, 'closePeriod');
  const months = monthsOfYear(plan.financial_year);
  // Checked and written under the month's lock, so a close, a reversal and an import of the same
  // month cannot interleave.
  await db.transaction().execute(async (tx) => {
    await lockPeriod(tx, group.id, period);
    if (await isClosed(tx, group.id, period))
      refuse('closePeriod', `${periodLabel(period)} is already closed`);
    const live = (await listLoads(tx, group.id, [period])).find((l) => l.reversed_at === null);
    if (!live) refuse('closePeriod', `${periodLabel(period)} has no imported actuals to close`);
    const earlier = months.slice(0, months.indexOf(period));
    const closed = new Set((await listCloses(tx, group.id, earlier)).map((c) => c.period));
    const open = earlier.filter((m) => !closed.has(m));
    if (open.length)
      refuse('closePeriod', `Close ${periodLabel(open[0]!)} first: months close in order`);
    await tx
      .insertInto('ledger_period_close')
      .values({ group_id: group.id, period, closed_by: actorOf(editor).label, closed_at: clock() })
      .execute();
    await audit(
      tx,
      actorOf(editor),
      {
        action: 'ledger_period.closed',
        entityType: 'ledger_period',
        entityId: `${group.code}:${period}`,
        organisationId: group.id,
        after: { period, importId: live!.import_id, total: penceAsPounds(live!.total_pence) },
      },
      clock,
    );
  });
}

/**
 * Reverses a wrongly imported month: its rows stay (history is kept) but no longer count, so that a
 * corrected file can be imported. Not allowed once the month is closed.
 */
export async function reverseLoad(
  db: Db,
  editor: Editor,
  group: Group,
  importId: number,
  reason: string,
  clock: Clock = systemClock,
) {
  requireEditor(editor, group, 'reverse an import');
  const why = reason.trim();
  const find = (db: Db) =>
    db
      .selectFrom('ledger_load')
      .selectAll()
      .where('import_id', '=', importId)
      .where('group_id', '=', group.id)
      .executeTakeFirst();
  const found = isRowId(importId) ? await find(db) : undefined;
  if (!found)
    throw new AppError('not_found', `Import ${importId} is not a ledger import of ${group.name}`);
  if (why.length < 5 || why.length > 500)
    refuse('reverseReason', 'Say why the import is reversed (5 to 500 characters)');
  return db.transaction().execute(async (tx) => {
    await lockPeriod(tx, group.id, found.period);
    const load = (await find(tx))!;
    if (load.reversed_at) refuse('reverseReason', `Import ${importId} was already reversed`);
    if (await isClosed(tx, group.id, load.period))
      refuse(
        'reverseReason',
        `${periodLabel(load.period)} is closed: correct it with a journal instead of reversing the import`,
      );
    await tx
      .updateTable('ledger_load')
      .set({ reversed_at: clock(), reversed_by: actorOf(editor).label, reversal_reason: why })
      .where('import_id', '=', importId)
      .execute();
    await audit(
      tx,
      actorOf(editor),
      {
        action: 'ledger_import.reversed',
        entityType: 'ledger_load',
        entityId: String(importId),
        organisationId: group.id,
        before: { period: load.period, total: penceAsPounds(load.total_pence) },
        after: { reversed: true, reason: why },
      },
      clock,
    );
    return load;
  });
}

export interface JournalInput {
  period: string;
  costCentre: string;
  subjective: string;
  amount: string;
  reason: string;
}

/** A journal: one adjustment to a month (the only way to change a closed one), with its reason. */
export async function postJournal(
  db: Db,
  editor: Editor,
  group: Group,
  plan: PlanRow,
  input: JournalInput,
  clock: Clock = systemClock,
) {
  requireEditor(editor, group, 'post journals');
  const problems: FieldProblem[] = [];
  const months = monthsOfYear(plan.financial_year);
  if (!months.includes(input.period))
    problems.push({ field: 'journalPeriod', message: `Choose a month of ${plan.financial_year}` });
  else {
    // A journal adjusts a month with actuals; one for a later month would count nowhere.
    const imported = (await listLoads(db, group.id, months)).filter((l) => l.reversed_at === null);
    const last = imported
      .map((l) => l.period)
      .sort()
      .at(-1);
    if (!last || input.period > last)
      problems.push({
        field: 'journalPeriod',
        message: last
          ? `A journal adjusts a month with actuals: the last month imported is ${periodLabel(last)}`
          : 'A journal adjusts a month with actuals: no month has been imported yet',
      });
  }
  const centre = await findCostCentre(db, plan.id, input.costCentre);
  if (!centre)
    problems.push({ field: 'journalCostCentre', message: 'Choose a cost centre of the plan' });
  const subjective = input.subjective.trim();
  if (!/^[A-Za-z0-9]{1,12}$/.test(subjective))
    problems.push({
      field: 'journalSubjective',
      message: 'Enter the subjective code (letters and digits)',
    });
  const amount = requirePounds(input.amount, 'journalAmount', 'Amount', problems, {
    negative: true,
    max: withinAllocation(plan),
  });
  if (amount === 0n)
    problems.push({ field: 'journalAmount', message: 'A journal of £0 changes nothing' });
  const reason = input.reason.trim();
  if (reason.length < 5 || reason.length > 500)
    problems.push({
      field: 'journalReason',
      message: 'Give the reason for the journal (5 to 500 characters)',
    });
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  return db.transaction().execute(async (tx) => {
    const at = clock();
    const journal = await tx
      .insertInto('ledger_journal')
      .values({
        group_id: group.id,
        period: input.period,
        reason,
        created_by: actorOf(editor).label,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('ledger_entry')
      .values({
        cost_centre_id: centre!.id,
        period: input.period,
        subjective,
        description: reason,
        amount_pence: amount!,
        import_id: null,
        journal_id: journal.id,
        line: null,
      })
      .execute();
    await audit(
      tx,
      actorOf(editor),
      {
        action: 'ledger_journal.posted',
        entityType: 'ledger_journal',
        entityId: String(journal.id),
        organisationId: group.id,
        after: {
          period: input.period,
          costCentre: centre!.code,
          subjective,
          amount: penceAsPounds(amount!),
          reason,
          periodClosed: await isClosed(tx, group.id, input.period),
        },
      },
      clock,
    );
    return journal.id;
  });
}

/** A known commitment for the rest of the year that the phased plan does not hold (may be negative). */
export async function addCommitment(
  db: Db,
  editor: Editor,
  group: Group,
  plan: PlanRow,
  input: { costCentre: string; description: string; amount: string },
  clock: Clock = systemClock,
) {
  requireEditor(editor, group, 'record commitments');
  const problems: FieldProblem[] = [];
  const centre = await findCostCentre(db, plan.id, input.costCentre);
  if (!centre)
    problems.push({ field: 'commitmentCostCentre', message: 'Choose a cost centre of the plan' });
  const description = input.description.trim();
  if (description.length < 3 || description.length > 300)
    problems.push({
      field: 'commitmentDescription',
      message: 'Describe the commitment (3 to 300 characters)',
    });
  const amount = requirePounds(input.amount, 'commitmentAmount', 'Amount', problems, {
    negative: true,
    max: withinAllocation(plan),
  });
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  await db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('finance_commitment')
      .values({
        cost_centre_id: centre!.id,
        description,
        amount_pence: amount!,
        created_by: actorOf(editor).label,
        created_at: clock(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(
      tx,
      actorOf(editor),
      {
        action: 'finance_commitment.created',
        entityType: 'finance_commitment',
        entityId: String(row.id),
        organisationId: group.id,
        after: {
          year: plan.financial_year,
          costCentre: centre!.code,
          description,
          amount: penceAsPounds(amount!),
        },
      },
      clock,
    );
  });
}

/** Releases a commitment (the spend has arrived in the actuals, or will not happen): kept, no longer counted. */
export async function releaseCommitment(
  db: Db,
  editor: Editor,
  group: Group,
  plan: PlanRow,
  input: { commitment: string; reason: string },
  clock: Clock = systemClock,
) {
  requireEditor(editor, group, 'release commitments');
  const problems: FieldProblem[] = [];
  const commitment = (await listCommitments(db, plan.id)).find(
    (c) => String(c.id) === input.commitment && c.released_at === null,
  );
  if (!commitment)
    problems.push({ field: 'releaseCommitment', message: 'Choose a commitment still counted' });
  const reason = input.reason.trim();
  if (reason.length < 5 || reason.length > 500)
    problems.push({
      field: 'releaseReason',
      message: 'Say why it is released (5 to 500 characters)',
    });
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  await db.transaction().execute(async (tx) => {
    const at = clock();
    const updated = await tx
      .updateTable('finance_commitment')
      .set({ released_at: at, released_by: actorOf(editor).label, release_reason: reason })
      .where('id', '=', commitment!.id)
      .where('released_at', 'is', null)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n)
      refuse('releaseCommitment', 'That commitment was released already');
    await audit(
      tx,
      actorOf(editor),
      {
        action: 'finance_commitment.released',
        entityType: 'finance_commitment',
        entityId: String(commitment!.id),
        organisationId: group.id,
        before: {
          amount: penceAsPounds(commitment!.amount_pence),
          description: commitment!.description,
        },
        after: { released: true, reason },
      },
      clock,
    );
  });
}
