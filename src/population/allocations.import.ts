// Importer for NHS England's practice weighted populations (the allocations "fair shares" file).
import { z } from 'zod';
import {
  upsertOrganisations,
  type OrganisationInput,
} from '../organisations/organisation.repository.js';
import { practiceResolver } from '../organisations/practice-lookup.js';
import { bulkInsert } from '../platform/db/bulk.js';
import {
  decimal,
  odsCode,
  optionalDecimal,
  optionalText,
  text,
} from '../platform/imports/fields.js';
import type { Importer } from '../platform/imports/import-runner.js';

// Some weights are blank for practices with a handful of patients, and later files leave Patients blank.
const weights = {
  'G&A WP': optionalDecimal,
  'CS WP': optionalDecimal,
  'MH WP': optionalDecimal,
  'Mat WP': optionalDecimal,
  'Health Ineq WP': optionalDecimal,
  'Prescr WP': optionalDecimal,
  'Final WP': optionalDecimal,
  'Primary Medical Care WP': optionalDecimal,
  'Final PMC WP': optionalDecimal,
  Patients: optionalDecimal,
};

interface AllocationRow {
  practiceCode: string;
  practiceName: string;
  postcode: string | null;
  subIcbCode: string | null;
  icbCode: string | null;
  icbName: string | null;
  regionCode: string | null;
  regionName: string | null;
  patients: number | null;
  population: number;
  weights: z.infer<z.ZodObject<typeof weights>>;
}

/** 2022/23 to 2024/25 files (nhsx/AIF_Allocation_Tool): 2022 geography column names. */
const layout2022 = z
  .object({
    Practice_Code: odsCode,
    GP_Practice_Name: text,
    Practice_Postcode: optionalText,
    LOC22: optionalText,
    ICS22: optionalText,
    ICS22name: optionalText,
    R22: optionalText,
    Region22: optionalText,
    'pop 2022/23': decimal,
    ...weights,
  })
  .transform((r): AllocationRow => ({
    practiceCode: r.Practice_Code,
    practiceName: r.GP_Practice_Name,
    postcode: r.Practice_Postcode,
    subIcbCode: r.LOC22,
    icbCode: r.ICS22,
    icbName: r.ICS22name,
    regionCode: r.R22,
    regionName: r.Region22,
    patients: r.Patients,
    population: r['pop 2022/23'],
    weights: r,
  }));

/** 2025/26 onwards (nhsengland/ICB_Allocation_Tool_update): ICB-era column names. */
const layout2025 = z
  .object({
    Practice_Code: odsCode,
    GP_Practice_Name: text,
    Practice_Postcode: optionalText,
    LOC: optionalText,
    ICB: optionalText,
    ICBname: optionalText,
    Rcode: optionalText,
    Region: optionalText,
    Population: decimal,
    ...weights,
  })
  .transform((r): AllocationRow => ({
    practiceCode: r.Practice_Code,
    practiceName: r.GP_Practice_Name,
    postcode: r.Practice_Postcode,
    subIcbCode: r.LOC,
    icbCode: r.ICB,
    icbName: r.ICBname,
    regionCode: r.Rcode,
    regionName: r.Region,
    patients: r.Patients,
    population: r.Population,
    weights: r,
  }));

const weightColumns = Object.keys(weights);

export const allocationsImporter = (): Importer<AllocationRow> => {
  const practices = practiceResolver();
  return {
    kind: 'allocations',
    title: 'NHS England practice weighted populations (allocations)',
    layouts: [
      {
        name: 'allocations 2022/23–2024/25',
        required: [
          'Practice_Code',
          'GP_Practice_Name',
          'Practice_Postcode',
          'LOC22',
          'ICS22',
          'ICS22name',
          'R22',
          'Region22',
          'pop 2022/23',
          ...weightColumns,
        ],
        schema: layout2022,
      },
      {
        name: 'allocations 2025/26',
        required: [
          'Practice_Code',
          'GP_Practice_Name',
          'Practice_Postcode',
          'LOC',
          'ICB',
          'ICBname',
          'Rcode',
          'Region',
          'Population',
          ...weightColumns,
        ],
        schema: layout2025,
      },
    ],
    period: {
      description: 'allocation year (e.g. 2022/23)',
      pattern: /^\d{4}\/\d{2}$/,
      fromFileName: (name) => {
        const m = /(20\d\d)[_-](20\d\d)/.exec(name);
        return m?.[1] && m[2] && Number(m[2]) === Number(m[1]) + 1
          ? `${m[1]}/${m[2].slice(2)}`
          : undefined;
      },
    },
    key: (r) => r.practiceCode,
    async load(ctx, rows) {
      const organisations: OrganisationInput[] = [];
      for (const { row } of rows) {
        organisations.push({
          code: row.practiceCode,
          type: 'practice',
          name: row.practiceName,
          nameRank: 1,
          postcode: row.postcode,
        });
        if (row.icbCode && row.icbName)
          organisations.push({ code: row.icbCode, type: 'icb', name: row.icbName, nameRank: 1 });
        if (row.regionCode && row.regionName)
          organisations.push({
            code: row.regionCode,
            type: 'region',
            name: row.regionName,
            nameRank: 1,
          });
      }
      practices.remember(await upsertOrganisations(ctx.tx, organisations));
      const ids = await practices.resolve(ctx, rows, (r) => r.practiceCode, 'Practice_Code');
      await bulkInsert(
        ctx.tx,
        'weighted_population',
        [
          { name: 'practice_id', type: 'int' },
          { name: 'allocation_year', type: 'text' },
          { name: 'registered_patients', type: 'float8' },
          { name: 'projected_population', type: 'float8' },
          { name: 'general_and_acute', type: 'float8' },
          { name: 'community_services', type: 'float8' },
          { name: 'mental_health', type: 'float8' },
          { name: 'maternity', type: 'float8' },
          { name: 'health_inequalities', type: 'float8' },
          { name: 'prescribing', type: 'float8' },
          { name: 'core_services', type: 'float8' },
          { name: 'primary_medical_care', type: 'float8' },
          { name: 'primary_medical_care_final', type: 'float8' },
          { name: 'sub_icb_code', type: 'text' },
          { name: 'icb_code', type: 'text' },
          { name: 'icb_name', type: 'text' },
          { name: 'region_code', type: 'text' },
          { name: 'region_name', type: 'text' },
          { name: 'import_id', type: 'int' },
        ],
        rows.map(({ row }, i) => {
          const w = row.weights;
          return [
            ids[i],
            ctx.period,
            row.patients,
            row.population,
            w['G&A WP'],
            w['CS WP'],
            w['MH WP'],
            w['Mat WP'],
            w['Health Ineq WP'],
            w['Prescr WP'],
            w['Final WP'],
            w['Primary Medical Care WP'],
            w['Final PMC WP'],
            row.subIcbCode,
            row.icbCode,
            row.icbName,
            row.regionCode,
            row.regionName,
            ctx.importId,
          ];
        }),
        `ON CONFLICT (practice_id, allocation_year) DO UPDATE SET
           registered_patients = excluded.registered_patients, projected_population = excluded.projected_population,
           general_and_acute = excluded.general_and_acute, community_services = excluded.community_services,
           mental_health = excluded.mental_health, maternity = excluded.maternity,
           health_inequalities = excluded.health_inequalities, prescribing = excluded.prescribing,
           core_services = excluded.core_services, primary_medical_care = excluded.primary_medical_care,
           primary_medical_care_final = excluded.primary_medical_care_final, sub_icb_code = excluded.sub_icb_code,
           icb_code = excluded.icb_code, icb_name = excluded.icb_name, region_code = excluded.region_code,
           region_name = excluded.region_name, import_id = excluded.import_id`,
      );
      ctx.loaded(rows.length);
    },
  };
};
