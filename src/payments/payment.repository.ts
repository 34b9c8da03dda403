// SQL for NHS payments to general practice.
import { sql } from 'kysely';
import type { Db } from '../platform/db/schema.js';

export const paymentsForPractice = (db: Db, practiceId: number) =>
  db
    .selectFrom('gp_payment')
    .select([
      'financial_year',
      'contract_type',
      'dispensing',
      'registered_patients',
      'weighted_patients',
      'total_payments_pence',
      'total_after_deductions_pence',
    ])
    .where('practice_id', '=', practiceId)
    .orderBy('financial_year')
    .execute();

export interface PaymentTotalsRow {
  financial_year: string;
  practices: number;
  total_payments_pence: bigint;
  registered_patients: string;
  weighted_patients: string;
}

/** Payment and patient totals by year over some practices (all of England when none are given). */
export async function paymentTotalsByYear(
  db: Db,
  practiceIds?: readonly number[],
): Promise<PaymentTotalsRow[]> {
  const result = await sql<PaymentTotalsRow>`
    SELECT financial_year, count(*)::int AS practices, sum(total_payments_pence)::bigint AS total_payments_pence,
           sum(registered_patients)::text AS registered_patients, sum(weighted_patients)::text AS weighted_patients
    FROM gp_payment
    WHERE registered_patients > 0 AND weighted_patients > 0
    ${practiceIds ? sql`AND practice_id = any(${[...practiceIds]}::int[])` : sql``}
    GROUP BY financial_year ORDER BY financial_year`.execute(db);
  return result.rows;
}
