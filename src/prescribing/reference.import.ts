// Importers for prescribing reference data: the BNF code list (NHSBSA) and formulation swaps (OpenPrescribing).
import { z } from 'zod';
import type { ColumnType, FactValue } from '../platform/facts/fact-store.js';
import { replaceFacts } from '../platform/facts/replace-facts.js';
import { text } from '../platform/imports/fields.js';
import type { Importer } from '../platform/imports/import-runner.js';

const bnfCode = z
  .string()
  .trim()
  .regex(/^[0-9A-Z]{9,15}$/, 'expected a BNF code (9 to 15 letters and digits)');

const bnfRow = z.object({
  'BNF Presentation Code': bnfCode,
  'BNF Presentation': text,
  'BNF Chemical Substance Code': bnfCode,
  'BNF Chemical Substance': text,
  'BNF Product Code': bnfCode,
  'BNF Product': text,
  'BNF Paragraph Code': z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'expected a 6-digit paragraph code'),
  'BNF Paragraph': text,
  'BNF Section Code': z
    .string()
    .trim()
    .regex(/^\d{4}$/, 'expected a 4-digit section code'),
  'BNF Section': text,
  'BNF Chapter Code': z
    .string()
    .trim()
    .regex(/^\d{2}$/, 'expected a 2-digit chapter code'),
  'BNF Chapter': text,
});
type BnfRow = z.infer<typeof bnfRow>;

/** NHSBSA "BNF Code Information": the presentation → chemical → … → chapter hierarchy. */
export const bnfCodesImporter = (): Importer<BnfRow> => {
  const facts: FactValue[][] = [];
  return {
    kind: 'bnf-codes',
    writes: 'facts',
    title: 'NHSBSA BNF Code Information',
    layouts: [
      { name: 'BNF Code Information', required: Object.keys(bnfRow.shape), schema: bnfRow },
    ],
    key: (r) => r['BNF Presentation Code'],
    async load(ctx, rows) {
      for (const { row: r } of rows) {
        facts.push([
          r['BNF Presentation Code'],
          // NHSBSA marks generic names with a trailing "@gn" padded with spaces.
          r['BNF Presentation'].replace(/\s+@gn$/, '').trim(),
          r['BNF Chemical Substance Code'],
          r['BNF Chemical Substance'],
          r['BNF Product Code'],
          r['BNF Product'],
          r['BNF Paragraph Code'],
          r['BNF Paragraph'],
          r['BNF Section Code'],
          r['BNF Section'],
          r['BNF Chapter Code'],
          r['BNF Chapter'],
          ctx.importId,
        ]);
      }
    },
    finish: (ctx) =>
      replaceFacts(
        ctx,
        'bnf_presentation',
        [
          'code',
          'name',
          'chemical_code',
          'chemical',
          'product_code',
          'product',
          'paragraph_code',
          'paragraph',
          'section_code',
          'section',
          'chapter_code',
          'chapter',
        ]
          .map((name): { name: string; type: ColumnType } => ({ name, type: 'varchar' }))
          .concat([{ name: 'import_id', type: 'integer' }]),
        facts,
      ),
  };
};

const swapRow = z.object({
  Code: bnfCode,
  'Alternative code': bnfCode,
  'Really equivalent?': z
    .string()
    .trim()
    // Blank means nobody has judged the pair yet: treated as not equivalent.
    .pipe(z.enum(['Y', 'N', ''], 'expected Y, N or blank'))
    .transform((s) => s === 'Y'),
});
type SwapRow = z.infer<typeof swapRow>;

/** OpenPrescribing's formulation_swaps.csv: which presentations are interchangeable formulations. */
export const formulationSwapsImporter = (): Importer<SwapRow> => {
  const facts: FactValue[][] = [];
  return {
    kind: 'formulation-swaps',
    writes: 'facts',
    title: 'Formulation swaps for price-per-unit substitution sets',
    layouts: [
      {
        name: 'formulation swaps',
        required: ['Code', 'Alternative code', 'Really equivalent?'],
        schema: swapRow,
      },
    ],
    key: (r) => `${r.Code} → ${r['Alternative code']}`,
    // The published file repeats one pair word for word; exact repeats are dropped, conflicts refused.
    duplicates: 'drop-identical',
    async load(ctx, rows) {
      for (const { row } of rows)
        facts.push([row.Code, row['Alternative code'], row['Really equivalent?'], ctx.importId]);
    },
    finish: (ctx) =>
      replaceFacts(
        ctx,
        'formulation_swap',
        [
          { name: 'code', type: 'varchar' },
          { name: 'alternative_code', type: 'varchar' },
          { name: 'equivalent', type: 'boolean' },
          { name: 'import_id', type: 'integer' },
        ],
        facts,
      ),
  };
};
