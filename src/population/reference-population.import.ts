// Importer for ONS mid-year population estimates by country, sex and single year of age (for comparison pyramids).
import { z } from 'zod';
import { bulkInsert } from '../platform/db/bulk.js';
import { count, text } from '../platform/imports/fields.js';
import type { Importer } from '../platform/imports/import-runner.js';
import { bandForAge } from './age-bands.js';
import type { Sex } from './population.table.js';

const onsRow = z.object({
  sex: z.string().transform((s, ctx): Sex => {
    const v = s.trim().toLowerCase().replace(/s$/, '');
    if (v === 'female' || v === 'male') return v;
    ctx.addIssue({ code: 'custom', message: 'expected females or males' });
    return z.NEVER;
  }),
  Code: text,
  Name: text,
  age: z.string().transform((s, ctx) => {
    const band = bandForAge(s);
    if (!band) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected a single year of age (0, 1, … 89) or 90+',
      });
      return z.NEVER;
    }
    return { age: s.trim(), band };
  }),
  count,
});
type OnsRow = z.infer<typeof onsRow>;

export const referencePopulationImporter = (): Importer<OnsRow> => {
  const totals = new Map<
    string,
    { code: string; name: string; sex: Sex; band: string; people: number }
  >();
  return {
    kind: 'england-population',
    title: 'ONS mid-year population estimates by country, sex and single year of age',
    layouts: [
      {
        name: 'ONS population (NHSRdatasets)',
        required: ['sex', 'Code', 'Name', 'age', 'count'],
        schema: onsRow,
      },
    ],
    period: {
      description: 'mid-year of the estimates (e.g. 2023)',
      pattern: /^\d{4}$/,
      fromFileName: (name) => /_(\d{4})(?:\D|$)/.exec(name)?.[1],
    },
    key: (r) => `${r.Code} ${r.sex} ${r.age.age}`,
    async load(ctx, rows) {
      for (const { row } of rows) {
        const key = `${row.Code}|${row.sex}|${row.age.band}`;
        const t = totals.get(key) ?? {
          code: row.Code,
          name: row.Name,
          sex: row.sex,
          band: row.age.band,
          people: 0,
        };
        t.people += row.count;
        totals.set(key, t);
      }
      ctx.loaded(rows.length);
    },
    async finish(ctx) {
      await bulkInsert(
        ctx.tx,
        'reference_population',
        [
          { name: 'area_code', type: 'text' },
          { name: 'area_name', type: 'text' },
          { name: 'period', type: 'text' },
          { name: 'sex', type: 'text' },
          { name: 'age_band', type: 'text' },
          { name: 'people', type: 'int' },
          { name: 'import_id', type: 'int' },
        ],
        [...totals.values()].map((t) => [
          t.code,
          t.name,
          ctx.period,
          t.sex,
          t.band,
          t.people,
          ctx.importId,
        ]),
        `ON CONFLICT (area_code, period, sex, age_band) DO UPDATE SET people = excluded.people,
           area_name = excluded.area_name, import_id = excluded.import_id`,
      );
    },
  };
};
