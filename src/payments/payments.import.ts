// Importer for NHS Digital "NHS Payments to General Practice" (one row per practice, one file per financial year).
import { z } from 'zod';
import { upsertOrganisations } from '../organisations/organisation.repository.js';
import { practiceResolver } from '../organisations/practice-lookup.js';
import { bulkInsert } from '../platform/db/bulk.js';
import { odsCode, optionalPounds, optionalText, pounds, text } from '../platform/imports/fields.js';
import type { Importer } from '../platform/imports/import-runner.js';
import { poundsToPence } from '../platform/money.js';

const registered = 'Number of Registered Patients (Last Known Figure)';
const weighted = 'Number of Weighted Patients (Last Known Figure)';
const total = 'Total NHS Payments to General Practice';
const afterDeductions = 'Total NHS Payments to General Practice Minus Deductions';

/** Patient counts are quarterly averages with up to two decimals; they are kept as exact text. */
const people = optionalPounds;

const paymentRow = z.object({
  'Practice Code': odsCode,
  'Practice Name': text,
  // Every year's file has it; optional so that a file without it still loads.
  'CCG Code': optionalText.optional(),
  'Practice Postcode': optionalText,
  'Contract Type': optionalText,
  'Dispensing Practice': z
    .string()
    .trim()
    .transform((s, ctx) => {
      const v = s.toLowerCase();
      if (v === 'yes' || v === 'y') return true;
      if (v === 'no' || v === 'n') return false;
      if (v === '' || v === 'unknown' || v === 'na') return null;
      ctx.addIssue({ code: 'custom', message: 'expected Yes or No' });
      return z.NEVER;
    }),
  [registered]: people,
  [weighted]: people,
  [total]: pounds,
  [afterDeductions]: optionalPounds,
});
type PaymentRow = z.infer<typeof paymentRow>;

export const paymentsImporter = (): Importer<PaymentRow> => {
  const practices = practiceResolver();
  return {
    kind: 'gp-payments',
    title: 'NHS Digital NHS Payments to General Practice',
    layouts: [
      {
        name: 'NHS Payments to General Practice',
        required: [
          'Practice Code',
          'Practice Name',
          'Practice Postcode',
          'Contract Type',
          'Dispensing Practice',
          registered,
          weighted,
          total,
          afterDeductions,
        ],
        schema: paymentRow,
      },
    ],
    period: {
      description: 'financial year (e.g. 2018-19)',
      pattern: /^\d{4}-\d{2}$/,
      fromFileName: (name) => {
        const m = /(20\d\d)-(\d\d)(?:\D|$)/.exec(name);
        return m?.[1] && m[2] && (Number(m[1]) + 1) % 100 === Number(m[2])
          ? `${m[1]}-${m[2]}`
          : undefined;
      },
    },
    key: (r) => r['Practice Code'],
    async load(ctx, rows) {
      practices.remember(
        await upsertOrganisations(
          ctx.tx,
          rows.map(({ row }) => ({
            code: row['Practice Code'],
            type: 'practice' as const,
            name: row['Practice Name'],
            nameRank: 1,
            postcode: row['Practice Postcode'],
          })),
        ),
      );
      const ids = await practices.resolve(ctx, rows, (r) => r['Practice Code'], 'Practice Code');
      await bulkInsert(
        ctx.tx,
        'gp_payment',
        [
          { name: 'practice_id', type: 'int' },
          { name: 'financial_year', type: 'text' },
          { name: 'contract_type', type: 'text' },
          { name: 'dispensing', type: 'bool' },
          { name: 'registered_patients', type: 'numeric' },
          { name: 'weighted_patients', type: 'numeric' },
          { name: 'total_payments_pence', type: 'bigint' },
          { name: 'total_after_deductions_pence', type: 'bigint' },
          { name: 'commissioner_code', type: 'text' },
          { name: 'import_id', type: 'int' },
        ],
        rows.map(({ row }, i) => [
          ids[i],
          ctx.period,
          row['Contract Type'],
          row['Dispensing Practice'],
          row[registered],
          row[weighted],
          poundsToPence(row[total]),
          row[afterDeductions] === null ? null : poundsToPence(row[afterDeductions]),
          row['CCG Code'] ?? null,
          ctx.importId,
        ]),
        `ON CONFLICT (practice_id, financial_year) DO UPDATE SET contract_type = excluded.contract_type,
           dispensing = excluded.dispensing, registered_patients = excluded.registered_patients,
           weighted_patients = excluded.weighted_patients, total_payments_pence = excluded.total_payments_pence,
           total_after_deductions_pence = excluded.total_after_deductions_pence,
           commissioner_code = excluded.commissioner_code, import_id = excluded.import_id`,
      );
      ctx.loaded(rows.length);
    },
  };
};
