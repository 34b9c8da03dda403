// Importer for NHS trusts (providers) from the ODS-derived trust metadata file: codes, names, dates.
import { z } from 'zod';
import { odsCode, optionalIsoDate, optionalText, text } from '../platform/imports/fields.js';
import type { Importer } from '../platform/imports/import-runner.js';
import { upsertOrganisations } from './organisation.repository.js';

const trustRow = z.object({
  Trust_ODS_Code: odsCode,
  Trust_Name: text,
  Postcode: optionalText,
  Open_date: optionalIsoDate,
  Close_date: optionalIsoDate,
});
type TrustRow = z.infer<typeof trustRow>;

export const nhsTrustsImporter = (): Importer<TrustRow> => ({
  kind: 'nhs-trusts',
  title: 'NHS trusts (providers) from the Organisation Data Service',
  layouts: [
    {
      name: 'NHS trust metadata',
      required: ['Trust_ODS_Code', 'Trust_Name', 'Postcode', 'Open_date', 'Close_date'],
      schema: trustRow,
    },
  ],
  key: (r) => r.Trust_ODS_Code,
  async load(ctx, rows) {
    await upsertOrganisations(
      ctx.tx,
      rows.map(({ row }) => ({
        code: row.Trust_ODS_Code,
        type: 'provider' as const,
        name: row.Trust_Name,
        nameRank: 3,
        postcode: row.Postcode,
        openDate: row.Open_date,
        closeDate: row.Close_date,
      })),
    );
    ctx.loaded(rows.length);
  },
});
