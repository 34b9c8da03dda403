// Practice indicative budgets: each practice's fair share of the group's prescribing budget against its actual spend.
import { sql } from 'kysely';
import { listMembers } from '../organisations/group.repository.js';
import type { Group } from '../organisations/group.service.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, type FieldProblem } from '../platform/errors.js';
import { sqlTextList, type FactStore } from '../platform/facts/fact-store.js';
import { poundsToPence } from '../platform/money.js';
import { allocationYears } from '../population/population.repository.js';
import { fairShares } from './allocation.js';

const financialYear = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const start = m >= 4 ? y : y - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
};

/** The group's members and the financial years for which their prescribing is held. */
export async function prescribingYears(db: Db, facts: FactStore, group: Group) {
  const members = await listMembers(db, group.id, group.as_at);
  const quoted = sqlTextList(members.map((m) => m.code));
  const months = await facts.all<{ month: string; synthetic: boolean }>(
    `SELECT strftime(month, '%Y-%m') AS month, bool_or(synthetic) AS synthetic FROM prescribing_source
     WHERE practice_code IN (${quoted}) GROUP BY 1 ORDER BY 1`,
  );
  return {
    members,
    quoted,
    months,
    years: [...new Set(months.map((m) => financialYear(m.month)))],
  };
}

/**
 * For a financial year with prescribing: each member practice's fair share of the prescribing budget
 * (split by its weighted population for prescribing in the latest allocation year held), its actual
 * spend (actual cost) and the difference. The budget is an input; left empty it is the group's actual
 * spend, so that the shares show who spends above or below their share of the same total.
 */
export async function practiceBudgets(
  db: Db,
  facts: FactStore,
  group: Group,
  q: { year?: string | undefined; budget?: string | undefined },
) {
  const { members, quoted, months, years } = await prescribingYears(db, facts, group);
  const problems: FieldProblem[] = [];
  const year = q.year || years.at(-1);
  if (year === undefined) return { years, year: null, rows: [], months: 0 };
  if (!years.includes(year))
    problems.push({
      field: 'year',
      message: `Choose a financial year with prescribing: ${years.join(', ')}`,
    });
  const budgetText = (q.budget ?? '').replaceAll(',', '').replace(/^£/, '').trim();
  let budgetPence: bigint | undefined;
  if (budgetText !== '') {
    if (budgetText.startsWith('-'))
      problems.push({ field: 'budget', message: 'The prescribing budget must not be negative' });
    else if (!/^\d{1,12}(\.\d{1,2})?$/.test(budgetText))
      problems.push({
        field: 'budget',
        message: 'The prescribing budget must be an amount in pounds, like 95000000',
      });
    else budgetPence = poundsToPence(budgetText);
  }
  if (problems.length) throw new AppError('invalid_input', problems[0]!.message, problems);
  const inYear = months.filter((m) => financialYear(m.month) === year);
  const first = `${inYear[0]!.month}-01`;
  const last = `${inYear.at(-1)!.month}-01`;
  const spend = new Map(
    (
      await facts.all<{ practice_code: string; pence: number }>(
        `SELECT practice_code, round(sum(actual_cost) * 100)::BIGINT AS pence FROM prescribing
         WHERE month BETWEEN ?::DATE AND ?::DATE AND practice_code IN (${quoted}) GROUP BY 1`,
        [first, last],
      )
    ).map((r) => [r.practice_code, BigInt(r.pence)]),
  );
  const allocationYear = (await allocationYears(db))[0];
  const weights = new Map(
    (
      await sql<{ practice_id: number; prescribing: number | null }>`
        SELECT practice_id, prescribing FROM weighted_population
        WHERE allocation_year = ${allocationYear ?? ''} AND practice_id = any(${members.map((m) => m.id)}::int[])`.execute(
        db,
      )
    ).rows.map((r) => [r.practice_id, r.prescribing ?? 0]),
  );
  const actualTotal = [...spend.values()].reduce((s, x) => s + x, 0n);
  const budget = budgetPence ?? actualTotal;
  const shares = fairShares(
    budget,
    members.map((m) => (weights.get(m.id) ?? 0).toFixed(6)),
  );
  const rows = members
    .map((m, i) => {
      const actual = spend.get(m.code) ?? null;
      const share = weights.has(m.id) ? shares[i]! : null;
      return {
        code: m.code,
        name: m.name,
        weighted: weights.get(m.id) ?? null,
        fairSharePence: share,
        actualPence: actual,
        differencePence: share !== null && actual !== null ? actual - share : null,
        differencePercent:
          share !== null && actual !== null && share > 0n
            ? (Number(actual - share) / Number(share)) * 100
            : null,
      };
    })
    .sort((a, b) => (b.differencePercent ?? -Infinity) - (a.differencePercent ?? -Infinity));
  return {
    years,
    year,
    months: inYear.length,
    from: inYear[0]!.month,
    to: inYear.at(-1)!.month,
    synthetic: inYear.some((m) => m.synthetic),
    allocationYear: allocationYear ?? null,
    budgetPence: budget,
    budgetGiven: budgetPence !== undefined,
    actualTotalPence: actualTotal,
    sharesTotalPence: rows.reduce((s, r) => s + (r.fairSharePence ?? 0n), 0n),
    rows,
    activity:
      'Not yet available: no activity prices (tariff) have been imported, so activity budgets cannot be set against spend.',
  };
}
