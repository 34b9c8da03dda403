// Importer for QOF disease registers and the list sizes they are measured against (NHS Digital PREVALENCE file).
import { z } from 'zod';
import { practiceResolver } from '../organisations/practice-lookup.js';
import { bulkInsert } from '../platform/db/bulk.js';
import { count, odsCode, text } from '../platform/imports/fields.js';
import type { Importer } from '../platform/imports/import-runner.js';

const qofRow = z.object({
  PRACTICE_CODE: odsCode,
  GROUP_CODE: text.pipe(
    z.string().regex(/^[A-Z0-9]{1,8}$/, 'expected a QOF register code such as HYP'),
  ),
  REGISTER: count,
  PATIENT_LIST_TYPE: text,
  PRACTICE_LIST_SIZE: count,
});
type QofRow = z.infer<typeof qofRow>;

export const qofPrevalenceImporter = (): Importer<QofRow> => {
  const practices = practiceResolver();
  return {
    kind: 'qof-prevalence',
    title: 'NHS Digital Quality and Outcomes Framework disease registers (PREVALENCE)',
    layouts: [
      {
        name: 'QOF PREVALENCE',
        required: [
          'PRACTICE_CODE',
          'GROUP_CODE',
          'REGISTER',
          'PATIENT_LIST_TYPE',
          'PRACTICE_LIST_SIZE',
        ],
        schema: qofRow,
      },
    ],
    period: {
      description: 'QOF year (e.g. 2020-21)',
      pattern: /^\d{4}-\d{2}$/,
      // NHS Digital names files by the year the QOF year ends: PREVALENCE_2021 is 2020-21.
      fromFileName: (name) => {
        const m = /_(\d{2})(\d{2})(?:\D|$)/.exec(name);
        if (!m?.[1] || !m[2] || Number(m[2]) !== Number(m[1]) + 1) return undefined;
        return `20${m[1]}-${m[2]}`;
      },
    },
    key: (r) => `${r.PRACTICE_CODE} ${r.GROUP_CODE}`,
    async load(ctx, rows) {
      const ids = await practices.resolve(ctx, rows, (r) => r.PRACTICE_CODE, 'PRACTICE_CODE');
      await bulkInsert(
        ctx.tx,
        'qof_prevalence',
        [
          { name: 'practice_id', type: 'int' },
          { name: 'qof_year', type: 'text' },
          { name: 'register_code', type: 'text' },
          { name: 'register_size', type: 'int' },
          { name: 'list_type', type: 'text' },
          { name: 'list_size', type: 'int' },
          { name: 'import_id', type: 'int' },
        ],
        rows.map(({ row }, i) => [
          ids[i],
          ctx.period,
          row.GROUP_CODE,
          row.REGISTER,
          row.PATIENT_LIST_TYPE,
          row.PRACTICE_LIST_SIZE,
          ctx.importId,
        ]),
        `ON CONFLICT (practice_id, qof_year, register_code) DO UPDATE SET register_size = excluded.register_size,
           list_type = excluded.list_type, list_size = excluded.list_size, import_id = excluded.import_id`,
      );
      ctx.loaded(rows.length);
    },
  };
};
