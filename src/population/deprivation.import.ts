// Importer for the Index of Multiple Deprivation score of each practice's population (Fingertips indicator 93553).
import { sql } from 'kysely';
import { z } from 'zod';
import { upsertOrganisations } from '../organisations/organisation.repository.js';
import { practiceResolver } from '../organisations/practice-lookup.js';
import { bulkInsert } from '../platform/db/bulk.js';
import { count, decimal, odsCode, text } from '../platform/imports/fields.js';
import type { Importer } from '../platform/imports/import-runner.js';

export const IMD_INDICATOR = 93553;

const imdRow = z.object({
  IndicatorID: count.refine(
    (n) => n === IMD_INDICATOR,
    `expected indicator ${IMD_INDICATOR} (Deprivation score (IMD))`,
  ),
  Year: count.refine((n) => n >= 2000 && n <= 2100, 'expected a year'),
  AreaCode: odsCode,
  AreaName: text,
  Value: decimal,
});
type ImdRow = z.infer<typeof imdRow>;

export const deprivationImporter = (): Importer<ImdRow> => {
  const practices = practiceResolver();
  return {
    kind: 'imd',
    title: 'OHID Fingertips deprivation score (IMD) by GP practice',
    layouts: [
      {
        name: 'Fingertips indicator 93553',
        required: ['IndicatorID', 'Year', 'AreaCode', 'AreaName', 'Value'],
        schema: imdRow,
      },
    ],
    key: (r) => `${r.AreaCode} ${r.Year}`,
    async load(ctx, rows) {
      // The file names every practice it scores, including long-closed ones; register the missing ones.
      practices.remember(
        await upsertOrganisations(
          ctx.tx,
          rows.map(({ row }) => ({
            code: row.AreaCode,
            type: 'practice' as const,
            name: row.AreaName,
            nameRank: 1,
          })),
        ),
      );
      const ids = await practices.resolve(ctx, rows, (r) => r.AreaCode, 'AreaCode');
      await bulkInsert(
        ctx.tx,
        'deprivation',
        [
          { name: 'practice_id', type: 'int' },
          { name: 'imd_year', type: 'int' },
          { name: 'score', type: 'float8' },
          { name: 'import_id', type: 'int' },
        ],
        rows.map(({ row }, i) => [ids[i], row.Year, row.Value, ctx.importId]),
        `ON CONFLICT (practice_id, imd_year) DO UPDATE SET score = excluded.score, import_id = excluded.import_id`,
      );
      ctx.loaded(rows.length);
    },
    async finish(ctx) {
      // Decile 1 = the most deprived tenth of practices in England scored that year.
      await sql`
        UPDATE deprivation d SET national_decile = ranked.decile
        FROM (SELECT practice_id, imd_year, ntile(10) OVER (PARTITION BY imd_year ORDER BY score DESC) AS decile
              FROM deprivation) ranked
        WHERE d.practice_id = ranked.practice_id AND d.imd_year = ranked.imd_year`.execute(ctx.tx);
    },
  };
};
