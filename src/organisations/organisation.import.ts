// Importers for the files that say which organisation a practice belongs to, and when.
import { z } from 'zod';
import {
  compactDate,
  extractDate,
  odsCode,
  optionalCompactDate,
  optionalText,
  text,
} from '../platform/imports/fields.js';
import type { ImportContext, Importer, NumberedRow } from '../platform/imports/import-runner.js';
import { nextDay } from './membership-history.js';
import {
  insertObservations,
  rebuildRelationships,
  upsertOrganisations,
  type ObservationInput,
  type OrganisationInput,
} from './organisation.repository.js';

/** Shared shape of the mapping importers: collect organisations and observations, then rebuild history. */
function mappingImporter<Row>(
  definition: Omit<Importer<Row>, 'load' | 'finish'> & {
    describe(
      row: Row,
      ctx: ImportContext,
    ): { organisations: OrganisationInput[]; links: LinkInput[] } | { skip: string };
  },
): Importer<Row> {
  const touched = new Set<number>();
  return {
    ...definition,
    async load(ctx, rows: NumberedRow<Row>[]) {
      const organisations: OrganisationInput[] = [];
      const links: LinkInput[] = [];
      let skipped = 0;
      for (const { row } of rows) {
        const described = definition.describe(row, ctx);
        if ('skip' in described) {
          skipped += 1;
          ctx.skip(1, described.skip);
          continue;
        }
        organisations.push(...described.organisations);
        links.push(...described.links);
      }
      const ids = await upsertOrganisations(ctx.tx, organisations);
      const observations: ObservationInput[] = links.map((l) => {
        const childId = ids.get(l.child);
        const parentId = ids.get(l.parent);
        if (childId === undefined || parentId === undefined)
          throw new Error(`unresolved ${l.child} → ${l.parent}`);
        touched.add(childId);
        return { ...l, childId, parentId };
      });
      await insertObservations(ctx.tx, ctx.importId, observations);
      ctx.loaded(rows.length - skipped);
    },
    async finish(ctx) {
      await rebuildRelationships(ctx.tx, [...touched]);
    },
  };
}

/** A relationship between two organisations named by "type:code". */
interface LinkInput {
  child: string;
  parent: string;
  kind: ObservationInput['kind'];
  observedOn: string;
  knownFrom?: string | null;
  knownTo?: string | null;
  source: string;
}

const k = (type: string, code: string) => `${type}:${code}`;

// ---------------------------------------------------------------------------------------------
// ODS "epraccur": every GP practice and prescribing setting, with its commissioner and join date.

const epraccurColumns = [
  'code',
  'name',
  'national_grouping',
  'health_geography',
  'address_1',
  'address_2',
  'address_3',
  'address_4',
  'address_5',
  'postcode',
  'open_date',
  'close_date',
  'status',
  'sub_type',
  'commissioner',
  'join_date',
  'left_date',
  'telephone',
  'null_19',
  'null_20',
  'null_21',
  'amended',
  'null_23',
  'provider_purchaser',
  'null_25',
  'prescribing_setting',
  'null_27',
] as const;

const epraccurRow = z.object({
  code: odsCode,
  name: text,
  postcode: optionalText,
  open_date: optionalCompactDate,
  close_date: optionalCompactDate,
  status: z.string().trim(),
  commissioner: optionalText,
  join_date: optionalCompactDate,
  left_date: optionalCompactDate,
  prescribing_setting: z.string().trim(),
});

export const odsPracticesImporter = () =>
  mappingImporter({
    kind: 'ods-practices',
    title: 'NHS Digital ODS GP practices (epraccur)',
    layouts: [
      {
        name: 'epraccur (27 columns, no header row)',
        headerless: epraccurColumns,
        required: [],
        schema: epraccurRow,
      },
    ],
    key: (r) => r.code,
    describe(row) {
      if (row.prescribing_setting !== '4')
        return { skip: 'not a GP practice (prescribing setting is not 4)' };
      const organisations: OrganisationInput[] = [
        {
          code: row.code,
          type: 'practice',
          name: row.name,
          nameRank: 3,
          postcode: row.postcode,
          openDate: row.open_date,
          closeDate: row.close_date,
        },
      ];
      const links: LinkInput[] = [];
      const from = row.join_date ?? row.open_date;
      if (row.commissioner && from) {
        organisations.push({
          code: row.commissioner,
          type: 'group',
          name: row.commissioner,
          nameRank: 0,
        });
        links.push({
          child: k('practice', row.code),
          parent: k('group', row.commissioner),
          kind: 'member_of_group',
          observedOn: from,
          knownFrom: from,
          knownTo: row.left_date ? nextDay(row.left_date) : null,
          source: 'ODS epraccur',
        });
      }
      return { organisations, links };
    },
  });

// ---------------------------------------------------------------------------------------------
// NHS Digital "gp-reg-pat-prac-map": each practice's CCG on the extract date.

const practiceMapRow = z.object({
  EXTRACT_DATE: extractDate,
  PRACTICE_CODE: odsCode,
  PRACTICE_NAME: text,
  PRACTICE_POSTCODE: optionalText,
  CCG_CODE: odsCode,
  CCG_NAME: text,
  COMM_REGION_CODE: optionalText,
  COMM_REGION_NAME: optionalText,
});

export const practiceMappingImporter = () =>
  mappingImporter({
    kind: 'practice-mapping',
    title: 'NHS Digital practice to CCG mapping (gp-reg-pat-prac-map)',
    delimiter: 'auto',
    layouts: [
      {
        name: 'gp-reg-pat-prac-map',
        required: [
          'EXTRACT_DATE',
          'PRACTICE_CODE',
          'PRACTICE_NAME',
          'PRACTICE_POSTCODE',
          'CCG_CODE',
          'CCG_NAME',
        ],
        schema: practiceMapRow
          .partial({ COMM_REGION_CODE: true, COMM_REGION_NAME: true })
          .transform((r) => ({
            ...r,
            COMM_REGION_CODE: r.COMM_REGION_CODE ?? null,
            COMM_REGION_NAME: r.COMM_REGION_NAME ?? null,
          })),
      },
    ],
    key: (r) => `${r.PRACTICE_CODE} on ${r.EXTRACT_DATE}`,
    describe(row) {
      const organisations: OrganisationInput[] = [
        {
          code: row.PRACTICE_CODE,
          type: 'practice',
          name: row.PRACTICE_NAME,
          nameRank: 1,
          postcode: row.PRACTICE_POSTCODE,
        },
        { code: row.CCG_CODE, type: 'group', name: row.CCG_NAME, nameRank: 2 },
      ];
      const links: LinkInput[] = [
        {
          child: k('practice', row.PRACTICE_CODE),
          parent: k('group', row.CCG_CODE),
          kind: 'member_of_group',
          observedOn: row.EXTRACT_DATE,
          source: `gp-reg-pat-prac-map ${row.EXTRACT_DATE}`,
        },
      ];
      if (row.COMM_REGION_CODE && row.COMM_REGION_NAME) {
        organisations.push({
          code: row.COMM_REGION_CODE,
          type: 'region',
          name: row.COMM_REGION_NAME,
          nameRank: 1,
        });
      }
      return { organisations, links };
    },
  });

// ---------------------------------------------------------------------------------------------
// QOF "MAPPING_NHS_GEOGRAPHIES": practice → PCN → CCG → STP/ICB → region at the year end.

const geographiesRow = z.object({
  REGION_ODS_CODE: odsCode,
  REGION_NAME: text,
  STP_ODS_CODE: odsCode,
  STP_NAME: text,
  CCG_ODS_CODE: odsCode,
  CCG_NAME: text,
  PCN_ODS_CODE: z.string().trim(),
  PCN_NAME: z.string().trim(),
  PRACTICE_CODE: odsCode,
  PRACTICE_NAME: text,
});

export const nhsGeographiesImporter = () =>
  mappingImporter({
    kind: 'nhs-geographies',
    title: 'NHS Digital QOF mapping of NHS geographies (practice, PCN, CCG, STP, region)',
    layouts: [
      {
        name: 'MAPPING_NHS_GEOGRAPHIES',
        required: [
          'REGION_ODS_CODE',
          'REGION_NAME',
          'STP_ODS_CODE',
          'STP_NAME',
          'CCG_ODS_CODE',
          'CCG_NAME',
          'PCN_ODS_CODE',
          'PCN_NAME',
          'PRACTICE_CODE',
          'PRACTICE_NAME',
        ],
        schema: geographiesRow,
      },
    ],
    period: {
      description: 'date the organisation structure applies to (YYYY-MM-DD)',
      pattern: /^\d{4}-\d{2}-\d{2}$/,
      // The QOF 2020-21 mapping (_2021) already names the CCGs formed on 1 April 2021, so it describes
      // the structure from the first day of the next year: _2021 → 2021-04-01.
      fromFileName: (name) => {
        const year = /_(20\d\d)(?:\D|$)/.exec(name)?.[1];
        return year ? `${year}-04-01` : undefined;
      },
    },
    key: (r) => r.PRACTICE_CODE,
    describe(row, ctx) {
      const on = ctx.period ?? '';
      const source = `NHS geographies ${on}`;
      const organisations: OrganisationInput[] = [
        { code: row.REGION_ODS_CODE, type: 'region', name: row.REGION_NAME, nameRank: 2 },
        { code: row.STP_ODS_CODE, type: 'icb', name: row.STP_NAME, nameRank: 1 },
        { code: row.CCG_ODS_CODE, type: 'group', name: row.CCG_NAME, nameRank: 2 },
        { code: row.PRACTICE_CODE, type: 'practice', name: row.PRACTICE_NAME, nameRank: 1 },
      ];
      const links: LinkInput[] = [
        {
          child: k('practice', row.PRACTICE_CODE),
          parent: k('group', row.CCG_ODS_CODE),
          kind: 'member_of_group',
          observedOn: on,
          source,
        },
        {
          child: k('group', row.CCG_ODS_CODE),
          parent: k('icb', row.STP_ODS_CODE),
          kind: 'part_of',
          observedOn: on,
          source,
        },
        {
          child: k('icb', row.STP_ODS_CODE),
          parent: k('region', row.REGION_ODS_CODE),
          kind: 'part_of',
          observedOn: on,
          source,
        },
      ];
      if (row.PCN_ODS_CODE && row.PCN_NAME && !/^U0{5}$/.test(row.PCN_ODS_CODE)) {
        organisations.push({
          code: row.PCN_ODS_CODE,
          type: 'pcn',
          name: row.PCN_NAME,
          nameRank: 2,
        });
        links.push({
          child: k('practice', row.PRACTICE_CODE),
          parent: k('pcn', row.PCN_ODS_CODE),
          kind: 'member_of_pcn',
          observedOn: on,
          source,
        });
      }
      return { organisations, links };
    },
  });

// ---------------------------------------------------------------------------------------------
// ODS ePCN practice → PCN relationships with start and end dates.

const pcnLookupRow = z.object({
  ODS_Code: odsCode,
  Partner_name: text,
  PCN_Code: odsCode,
  PCN_Name: text,
  'Practice to PCN Relationship Start Date': compactDate,
  'Practice to PCN Relationship End Date': optionalCompactDate,
});

export const pcnMembershipImporter = () =>
  mappingImporter({
    kind: 'pcn-membership',
    title: 'NHS Digital ODS practice to PCN relationships (ePCN)',
    layouts: [
      {
        name: 'ePCN practice to PCN lookup',
        required: [
          'ODS_Code',
          'Partner_name',
          'PCN_Code',
          'PCN_Name',
          'Practice to PCN Relationship Start Date',
          'Practice to PCN Relationship End Date',
        ],
        schema: pcnLookupRow,
      },
    ],
    key: (r) =>
      `${r.ODS_Code} in ${r.PCN_Code} from ${r['Practice to PCN Relationship Start Date']}`,
    duplicates: 'drop-identical',
    describe(row) {
      const start = row['Practice to PCN Relationship Start Date'];
      const end = row['Practice to PCN Relationship End Date'];
      return {
        organisations: [
          { code: row.ODS_Code, type: 'practice', name: row.Partner_name, nameRank: 1 },
          { code: row.PCN_Code, type: 'pcn', name: row.PCN_Name, nameRank: 2 },
        ],
        links: [
          {
            child: k('practice', row.ODS_Code),
            parent: k('pcn', row.PCN_Code),
            kind: 'member_of_pcn',
            observedOn: start,
            knownFrom: start,
            knownTo: end ? nextDay(end) : null,
            source: 'ODS ePCN',
          },
        ],
      };
    },
  });
