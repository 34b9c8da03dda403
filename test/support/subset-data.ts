// Builds a small copy of the shared data (only some practices' rows, same layouts) for fast integration tests.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { sharedDataPath } from '../../src/app/config.js';
import { seedFiles } from '../../src/app/seed.js';

export const sharedDataDir = sharedDataPath();

/** Which column holds the practice code in each seed file (index for headerless files). */
const practiceColumn: Record<string, string | number | null> = {
  'ods-practices': 0,
  'practice-mapping': 'PRACTICE_CODE',
  'nhs-geographies': 'PRACTICE_CODE',
  'pcn-membership': 'ODS_Code',
  allocations: 'Practice_Code',
  'qof-prevalence': 'PRACTICE_CODE',
  imd: 'AreaCode',
  'gp-payments': 'Practice Code',
  'registered-patients': 'ODS_Code',
  'england-population': null,
  'mar-commissioner': null,
  'nhs-trusts': null,
  'ae-attendances': null,
  'formulation-swaps': null,
  prescribing: null,
};

/** The four practices of the real prescribing samples (EPD, Sep and Oct 2017). */
export const prescribingSamplePractices = ['B85054', 'B85010', 'L84018', 'L84073'];

/** BNF codes kept in the subset: those the real prescribing samples use. */
function sampleBnfCodes(): Set<string> {
  const codes = new Set<string>();
  for (const month of ['201709', '201710']) {
    const rows = parse(
      readFileSync(path.join(sharedDataDir, `prescribing-samples/epd_${month}_4practices.csv`)),
      { columns: true, bom: true },
    ) as Record<string, string>[];
    for (const r of rows) codes.add(r.BNF_CODE!);
  }
  return codes;
}

const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** The practices of the demo groups 09G and 09D (December 2019), plus one that closed in 2020. */
export function demoPracticeCodes(): string[] {
  const rows = parse(
    readFileSync(path.join(sharedDataDir, 'demo-ccg-coverage/demo_ccg_practice_coverage.csv')),
    {
      columns: true,
      bom: true,
    },
  ) as Record<string, string>[];
  return [...rows.map((r) => r.PRACTICE_CODE!), 'H82641', ...prescribingSamplePractices];
}

/** Writes the subset files under a new temp folder laid out like ../shared/data and returns its path. */
export function writeSubsetData(codes: readonly string[] = demoPracticeCodes()): string {
  const wanted = new Set(codes);
  const root = path.join(os.tmpdir(), `flock-subset-${process.pid}-${Date.now()}`);
  for (const { kind, file } of seedFiles) {
    const source = path.join(sharedDataDir, file);
    const text = readFileSync(source, 'utf8').replace(/^\uFEFF/, '');
    const delimiter =
      text.split('\n', 1)[0]!.includes(';') && !text.split('\n', 1)[0]!.includes(',') ? ';' : ',';
    const records = parse(text, { delimiter, relax_column_count: false }) as string[][];
    let column: string | number | null | undefined = practiceColumn[kind];
    // The national quinary-age layout names the practice ORG_CODE.
    if (kind === 'registered-patients' && !records[0]!.includes('ODS_Code')) column = 'ORG_CODE';
    if (kind === 'bnf-codes') column = 'BNF Presentation Code';
    const wantedHere = kind === 'bnf-codes' ? sampleBnfCodes() : wanted;
    let keep = records;
    if (column !== null && column !== undefined) {
      const headerless = typeof column === 'number';
      const index = typeof column === 'number' ? column : records[0]!.indexOf(column);
      if (index < 0) throw new Error(`${file}: no column ${column}`);
      keep = records.filter((r, i) => (!headerless && i === 0) || wantedHere.has(r[index]!));
    }
    const target = path.join(root, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, keep.map((r) => r.map(quote).join(delimiter)).join('\n') + '\n');
  }
  return root;
}
