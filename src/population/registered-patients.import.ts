// Importer for NHS Digital registered patients by sex and 5-year age band (national and Sussex layouts).
import { z } from 'zod';
import { practiceResolver } from '../organisations/practice-lookup.js';
import { bulkInsert } from '../platform/db/bulk.js';
import { count, extractDate, odsCode } from '../platform/imports/fields.js';
import type { Importer } from '../platform/imports/import-runner.js';
import { normaliseAgeBand } from './age-bands.js';
import type { Sex } from './population.table.js';

interface PatientsRow {
  practiceCode: string;
  extractDate: string;
  /** null for the totals rows of the national file, which are not stored */
  sex: Sex | null;
  ageBand: string | null;
  patients: number;
}

const band = (allowAll: boolean) =>
  z.string().transform((s, ctx) => {
    if (allowAll && s.trim().toUpperCase() === 'ALL') return null;
    const b = normaliseAgeBand(s);
    if (!b) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected a 5-year age band such as 0_4, 0-4 years or 95+',
      });
      return z.NEVER;
    }
    return b;
  });

const sex = (allowAll: boolean) =>
  z.string().transform((s, ctx): Sex | null => {
    const v = s.trim().toLowerCase();
    if (v === 'female' || v === 'male') return v;
    if (allowAll && v === 'all') return null;
    ctx.addIssue({ code: 'custom', message: 'expected Female or Male' });
    return z.NEVER;
  });

/** NHS Digital gp-reg-pat-prac-quin-age.csv, as published. */
const nationalLayout = z
  .object({
    EXTRACT_DATE: extractDate,
    ORG_TYPE: z.string().trim(),
    ORG_CODE: odsCode,
    SEX: sex(true),
    AGE_GROUP_5: band(true),
    NUMBER_OF_PATIENTS: count,
  })
  .transform((r): PatientsRow => ({
    practiceCode: r.ORG_CODE,
    extractDate: r.EXTRACT_DATE,
    sex: r.ORG_TYPE === 'GP' ? r.SEX : null,
    ageBand: r.AGE_GROUP_5,
    patients: r.NUMBER_OF_PATIENTS,
  }));

/** The Sussex extract (psychty/secondary_care): renamed columns, "0-4 years" bands, PCN columns. */
const sussexLayout = z
  .object({
    EXTRACT_DATE: extractDate,
    ODS_Code: odsCode,
    Sex: sex(false),
    Age_group: band(false),
    Patients: count,
  })
  .transform((r): PatientsRow => ({
    practiceCode: r.ODS_Code,
    extractDate: r.EXTRACT_DATE,
    sex: r.Sex,
    ageBand: r.Age_group,
    patients: r.Patients,
  }));

export const registeredPatientsImporter = (): Importer<PatientsRow> => {
  const practices = practiceResolver();
  return {
    kind: 'registered-patients',
    title: 'NHS Digital patients registered at a GP practice by sex and 5-year age band',
    layouts: [
      {
        name: 'gp-reg-pat-prac-quin-age',
        required: [
          'EXTRACT_DATE',
          'ORG_TYPE',
          'ORG_CODE',
          'SEX',
          'AGE_GROUP_5',
          'NUMBER_OF_PATIENTS',
        ],
        schema: nationalLayout,
      },
      {
        name: 'Sussex five-year age extract',
        required: ['EXTRACT_DATE', 'ODS_Code', 'Sex', 'Age_group', 'Patients'],
        schema: sussexLayout,
      },
    ],
    key: (r) => `${r.practiceCode} ${r.extractDate} ${r.sex ?? 'all'} ${r.ageBand ?? 'all'}`,
    // The Sussex extract repeats some practices once per PCN they were joined to; exact repeats are dropped.
    duplicates: 'drop-identical',
    async load(ctx, rows) {
      const detail = rows.filter(({ row }) => row.sex !== null && row.ageBand !== null);
      ctx.skip(
        rows.length - detail.length,
        'totals rows (sex or age band ALL, or not a GP practice)',
      );
      const ids = await practices.resolve(
        ctx,
        detail,
        (r) => r.practiceCode,
        ctx.layout.startsWith('Sussex') ? 'ODS_Code' : 'ORG_CODE',
      );
      await bulkInsert(
        ctx.tx,
        'registered_population',
        [
          { name: 'practice_id', type: 'int' },
          { name: 'extract_date', type: 'date' },
          { name: 'sex', type: 'text' },
          { name: 'age_band', type: 'text' },
          { name: 'patients', type: 'int' },
          { name: 'import_id', type: 'int' },
        ],
        detail.map(({ row }, i) => [
          ids[i],
          row.extractDate,
          row.sex,
          row.ageBand,
          row.patients,
          ctx.importId,
        ]),
        `ON CONFLICT (practice_id, extract_date, sex, age_band) DO UPDATE SET
           patients = excluded.patients, import_id = excluded.import_id`,
      );
      ctx.loaded(detail.length);
    },
  };
};
