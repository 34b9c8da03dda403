// SQL for a group's financial plan, QIPP schemes and ledger.
import { sql } from 'kysely';
import type { Db } from '../platform/db/schema.js';

export const findPlan = (db: Db, groupId: number, year: string) =>
  db
    .selectFrom('finance_plan')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('financial_year', '=', year)
    .executeTakeFirst();

export type PlanRow = NonNullable<Awaited<ReturnType<typeof findPlan>>>;

export const planYears = async (db: Db, groupId: number) =>
  (
    await db
      .selectFrom('finance_plan')
      .select('financial_year')
      .where('group_id', '=', groupId)
      .orderBy('financial_year', 'desc')
      .execute()
  ).map((r) => r.financial_year);

export const listCostCentres = (db: Db, planId: number) =>
  db
    .selectFrom('finance_cost_centre')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('code')
    .execute();

/** A cost centre of the plan by its code as typed (case and spaces ignored), or undefined. */
export const findCostCentre = async (db: Db, planId: number, code: string) =>
  (await listCostCentres(db, planId)).find((c) => c.code === code.trim().toUpperCase());

export type CostCentreRow = Awaited<ReturnType<typeof listCostCentres>>[number];

export const listSchemes = (db: Db, planId: number) =>
  db
    .selectFrom('qipp_scheme')
    .leftJoin('finance_cost_centre as cc', 'cc.id', 'qipp_scheme.cost_centre_id')
    .select([
      'qipp_scheme.id',
      'qipp_scheme.name',
      'qipp_scheme.owner',
      'qipp_scheme.risk',
      'qipp_scheme.cost_centre_id',
      'cc.code as cost_centre_code',
    ])
    .where('qipp_scheme.plan_id', '=', planId)
    .orderBy('qipp_scheme.id')
    .execute();

export const listSchemeMonths = (db: Db, planId: number) =>
  db
    .selectFrom('qipp_month')
    .innerJoin('qipp_scheme', 'qipp_scheme.id', 'qipp_month.scheme_id')
    .select([
      'qipp_month.scheme_id',
      'qipp_month.month',
      'qipp_month.planned_pence',
      'qipp_month.delivered_pence',
    ])
    .where('qipp_scheme.plan_id', '=', planId)
    .execute();

/**
 * Actual spend by cost centre and month: every imported row of a load not reversed, and every journal.
 * Sums are exact (numeric) and come back as text.
 */
export async function actualsByMonth(db: Db, planId: number) {
  const result = await sql<{ cost_centre_id: number; period: string; amount: string }>`
    SELECT e.cost_centre_id, e.period, sum(e.amount_pence)::text AS amount
    FROM ledger_entry e
    JOIN finance_cost_centre cc ON cc.id = e.cost_centre_id
    LEFT JOIN ledger_load l ON l.import_id = e.import_id
    WHERE cc.plan_id = ${planId} AND (e.journal_id IS NOT NULL OR l.reversed_at IS NULL)
    GROUP BY e.cost_centre_id, e.period`.execute(db);
  return result.rows.map((r) => ({ ...r, amountPence: BigInt(r.amount) }));
}

export const listLoads = async (db: Db, groupId: number, periods: readonly string[]) =>
  periods.length === 0
    ? []
    : db
        .selectFrom('ledger_load')
        .innerJoin('import_log', 'import_log.id', 'ledger_load.import_id')
        .select([
          'ledger_load.import_id',
          'ledger_load.period',
          'ledger_load.total_pence',
          'ledger_load.reversed_at',
          'ledger_load.reversed_by',
          'ledger_load.reversal_reason',
          'import_log.file_name',
          'import_log.rows_loaded',
          'import_log.imported_by',
          'import_log.finished_at',
        ])
        .where('ledger_load.group_id', '=', groupId)
        .where('ledger_load.period', 'in', [...periods])
        .orderBy('ledger_load.import_id')
        .execute();

export const listCloses = async (db: Db, groupId: number, periods: readonly string[]) =>
  periods.length === 0
    ? []
    : db
        .selectFrom('ledger_period_close')
        .selectAll()
        .where('group_id', '=', groupId)
        .where('period', 'in', [...periods])
        .execute();

export const listJournals = async (db: Db, groupId: number, periods: readonly string[]) =>
  periods.length === 0
    ? []
    : db
        .selectFrom('ledger_journal')
        .innerJoin('ledger_entry', 'ledger_entry.journal_id', 'ledger_journal.id')
        .innerJoin('finance_cost_centre as cc', 'cc.id', 'ledger_entry.cost_centre_id')
        .select([
          'ledger_journal.id',
          'ledger_journal.period',
          'ledger_journal.reason',
          'ledger_journal.created_by',
          'ledger_journal.created_at',
          'cc.code as cost_centre_code',
          'ledger_entry.subjective',
          'ledger_entry.amount_pence',
        ])
        .where('ledger_journal.group_id', '=', groupId)
        .where('ledger_journal.period', 'in', [...periods])
        .orderBy('ledger_journal.id')
        .execute();

export const listCommitments = (db: Db, planId: number) =>
  db
    .selectFrom('finance_commitment')
    .innerJoin('finance_cost_centre as cc', 'cc.id', 'finance_commitment.cost_centre_id')
    .select([
      'finance_commitment.id',
      'finance_commitment.cost_centre_id',
      'cc.code as cost_centre_code',
      'finance_commitment.description',
      'finance_commitment.amount_pence',
      'finance_commitment.created_by',
      'finance_commitment.created_at',
      'finance_commitment.released_at',
      'finance_commitment.released_by',
      'finance_commitment.release_reason',
    ])
    .where('cc.plan_id', '=', planId)
    .orderBy('finance_commitment.id')
    .execute();

export const isClosed = async (db: Db, groupId: number, period: string) =>
  (await db
    .selectFrom('ledger_period_close')
    .select('period')
    .where('group_id', '=', groupId)
    .where('period', '=', period)
    .executeTakeFirst()) !== undefined;

export const liveLoad = (db: Db, groupId: number, period: string) =>
  db
    .selectFrom('ledger_load')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('period', '=', period)
    .where('reversed_at', 'is', null)
    .executeTakeFirst();

/**
 * Serialises everything that changes one group's month of ledger (import, reversal, close) until the
 * transaction ends, so that their checks and writes cannot interleave.
 */
export async function lockPeriod(db: Db, groupId: number, period: string) {
  await sql`SELECT pg_advisory_xact_lock(${groupId}, hashtext(${period}))`.execute(db);
}
