// Importers for activity facts: the Monthly Activity Return, A&E attendances, and activity by practice.
import { z } from 'zod';
import { practiceResolver } from '../organisations/practice-lookup.js';
import type { FactValue } from '../platform/facts/fact-store.js';
import { replaceFacts } from '../platform/facts/replace-facts.js';
import {
  count,
  decimal,
  isoDate,
  isoMonth,
  odsCode,
  optionalText,
  text,
} from '../platform/imports/fields.js';
import type { Importer } from '../platform/imports/import-runner.js';
import { marMeasures, pointOfDeliveryCodes, type MarMeasure } from './activity.js';

const month = isoMonth.transform((m) => `${m}-01`);

const firstOfMonth = isoDate.pipe(
  z.string().endsWith('-01', 'expected the first day of a month as YYYY-MM-01'),
);

const marRow = z
  .object({
    month,
    org_code: optionalText,
    org_name: text,
  })
  .catchall(z.string());
interface MarRow {
  month: string;
  org_code: string | null;
  org_name: string;
  values: Record<MarMeasure, number>;
}

const marValue = decimal.refine((n) => n >= 0, 'expected a count of 0 or more');

/** NHS England Monthly Activity Return by commissioner, as converted from the monthly workbooks. */
export const marCommissionerImporter = (): Importer<MarRow> => {
  const facts: FactValue[][] = [];
  let fractional = 0;
  const measureCodes = Object.keys(marMeasures) as MarMeasure[];
  const schema = marRow.transform((row, zc): MarRow => {
    const values = {} as Record<MarMeasure, number>;
    for (const code of measureCodes) {
      const column = marMeasures[code];
      const parsed = marValue.safeParse(row[column] ?? '');
      if (!parsed.success) {
        zc.addIssue({
          code: 'custom',
          path: [column],
          message: parsed.error.issues[0]?.message ?? 'invalid',
        });
        return z.NEVER;
      }
      values[code] = parsed.data;
    }
    return { month: row.month, org_code: row.org_code, org_name: row.org_name, values };
  });
  return {
    kind: 'mar-commissioner',
    writes: 'facts',
    title: 'NHS England Monthly Activity Return by commissioner',
    layouts: [
      {
        name: 'MAR by commissioner',
        required: ['month', 'org_code', 'org_name', ...Object.values(marMeasures)],
        schema,
      },
    ],
    key: (r) => `${r.org_code ?? 'England'} ${r.month}`,
    async load(_ctx, rows) {
      for (const { row } of rows) {
        // The England total row has no code; it is stored under the nation's code.
        const code = row.org_code ?? 'ENG';
        for (const measure of measureCodes) {
          const value = row.values[measure];
          if (!Number.isInteger(value)) fractional += 1;
          facts.push([code, row.org_name, row.month, measure, value, _ctx.importId]);
        }
      }
    },
    async finish(ctx) {
      if (fractional) {
        ctx.note(
          `${fractional} value${fractional === 1 ? ' is' : 's are'} not a whole number and kept as published`,
        );
      }
      await replaceFacts(
        ctx,
        'commissioner_activity',
        [
          { name: 'commissioner_code', type: 'varchar' },
          { name: 'commissioner_name', type: 'varchar' },
          { name: 'month', type: 'date' },
          { name: 'measure', type: 'varchar' },
          { name: 'value', type: 'double' },
          { name: 'import_id', type: 'integer' },
        ],
        facts,
      );
    },
  };
};

const aeRow = z
  .object({
    period: firstOfMonth,
    org_code: odsCode,
    type: z
      .string()
      .trim()
      .pipe(z.enum(['1', '2', 'other'], 'expected department type 1, 2 or other')),
    attendances: count,
    breaches: count,
    admissions: count,
  })
  .refine((r) => r.breaches <= r.attendances, {
    path: ['breaches'],
    message: 'more patients waited over 4 hours than attended',
  });
type AeRow = z.infer<typeof aeRow>;

/** NHS England A&E attendances and emergency admissions by provider (NHSRdatasets layout). */
export const aeAttendancesImporter = (): Importer<AeRow> => {
  const facts: FactValue[][] = [];
  return {
    kind: 'ae-attendances',
    writes: 'facts',
    title: 'NHS England A&E attendances and emergency admissions by provider',
    layouts: [
      {
        name: 'A&E attendances (period, org_code, type)',
        required: ['period', 'org_code', 'type', 'attendances', 'breaches', 'admissions'],
        schema: aeRow,
      },
    ],
    key: (r) => `${r.org_code} ${r.period} type ${r.type}`,
    async load(ctx, rows) {
      for (const { row } of rows) {
        facts.push([
          row.org_code,
          row.period,
          row.type,
          row.attendances,
          row.breaches,
          row.admissions,
          ctx.importId,
        ]);
      }
    },
    finish: (ctx) =>
      replaceFacts(
        ctx,
        'ae_attendance',
        [
          { name: 'provider_code', type: 'varchar' },
          { name: 'month', type: 'date' },
          { name: 'department_type', type: 'varchar' },
          { name: 'attendances', type: 'integer' },
          { name: 'breaches', type: 'integer' },
          { name: 'admissions', type: 'integer' },
          { name: 'import_id', type: 'integer' },
        ],
        facts,
      ),
  };
};

const treatmentFunction = z
  .string()
  .trim()
  .regex(/^(\d{3})?$/, 'expected a 3-digit treatment function code, or empty');

const practiceActivityRow = z.object({
  practice_code: odsCode,
  month,
  point_of_delivery: z
    .string()
    .trim()
    .pipe(z.enum(pointOfDeliveryCodes, `expected one of ${pointOfDeliveryCodes.join(', ')}`)),
  treatment_function: treatmentFunction,
  count,
  synthetic: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['', 'true', 'false'], 'expected true or false'))
    .optional()
    .transform((s) => s === 'true'),
});
type PracticeActivityRow = z.infer<typeof practiceActivityRow>;

/** Activity by practice: Flock's documented layout (docs/data-sources.md). */
export const practiceActivityImporter = (): Importer<PracticeActivityRow> => {
  const practices = practiceResolver();
  const facts: FactValue[][] = [];
  let synthetic = 0;
  return {
    kind: 'practice-activity',
    writes: 'facts',
    title: 'Activity by practice, month, point of delivery and treatment function',
    layouts: [
      {
        name: 'practice activity',
        required: ['practice_code', 'month', 'point_of_delivery', 'treatment_function', 'count'],
        schema: practiceActivityRow,
      },
    ],
    key: (r) =>
      `${r.practice_code} ${r.month.slice(0, 7)} ${r.point_of_delivery} ${r.treatment_function || '(all)'}`,
    async load(ctx, rows) {
      await practices.resolve(ctx, rows, (r) => r.practice_code, 'practice_code');
      for (const { row } of rows) {
        if (row.synthetic) synthetic += 1;
        facts.push([
          row.practice_code,
          row.month,
          row.point_of_delivery,
          row.treatment_function,
          row.count,
          row.synthetic,
          ctx.importId,
        ]);
      }
    },
    async finish(ctx) {
      if (synthetic) ctx.note(`${synthetic} rows are synthetic (generated, not real activity)`);
      await replaceFacts(
        ctx,
        'practice_activity',
        [
          { name: 'practice_code', type: 'varchar' },
          { name: 'month', type: 'date' },
          { name: 'point_of_delivery', type: 'varchar' },
          { name: 'treatment_function', type: 'varchar' },
          { name: 'count', type: 'integer' },
          { name: 'synthetic', type: 'boolean' },
          { name: 'import_id', type: 'integer' },
        ],
        facts,
      );
    },
  };
};
