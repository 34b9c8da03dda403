// Validators for CSV cells: each turns text into a typed value or fails with a reason a person can act on.
import { z } from 'zod';

const trimmed = z.string().transform((s) => s.trim());

/** A whole number of at least zero, e.g. a count of patients. */
export const count = trimmed.pipe(
  z
    .string()
    .regex(/^\d+$/, 'expected a whole number of 0 or more')
    .transform((s) => Number(s))
    .refine((n) => Number.isSafeInteger(n) && n <= 2_147_483_647, 'number is too large'),
);

/** A decimal number (may be negative), e.g. a weighted population. */
export const decimal = trimmed.pipe(
  z
    .string()
    .regex(/^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/, 'expected a number')
    .transform((s) => Number(s)),
);

/** An amount of money in pounds as written in a CSV ("1234.56", "-12", "1,234.5"), kept exact as text. */
export const pounds = trimmed.pipe(
  z
    .string()
    .transform((s) => s.replaceAll(',', '').replace(/^£/, ''))
    .pipe(z.string().regex(/^-?\d+(\.\d+)?$/, 'expected an amount in pounds')),
);

/** Cells meaning "no value": empty, or NA as written by R. */
const isMissing = (s: string) => s === '' || s === 'NA';

/** Wraps a validator so that a missing cell gives null instead of an error. */
function optional<T>(inner: z.ZodType<T, string>) {
  return trimmed.transform((s, ctx): T | null => {
    if (isMissing(s)) return null;
    const parsed = inner.safeParse(s);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', message: issue.message });
    return z.NEVER;
  });
}

/** A decimal number, or null when the cell is empty. */
export const optionalDecimal = optional(decimal);

/** Same as `pounds` but an empty cell means "not given". */
export const optionalPounds = optional(pounds);

/** Empty cell → null, else the trimmed text. */
export const optionalText = trimmed.transform((s) => (isMissing(s) ? null : s));

/** Non-empty text. */
export const text = trimmed.pipe(z.string().min(1, 'must not be empty'));

/** An NHS organisation code (ODS): letters and digits, 3 to 9 characters. */
export const odsCode = trimmed.pipe(
  z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(
      z.string().regex(/^[A-Z0-9]{3,9}$/, 'expected an organisation code (3–9 letters or digits)'),
    ),
);

/**
 * The years a date typed into a form or read from a file may fall in: from the NHS's first year to the
 * end of the century. A meeting on 9999-12-31 or an organisation opened in 0202 is a typing mistake.
 */
export const DATE_YEARS = { first: 1948, last: 2099 };
/** The same, as said in an error: "(from 1948 to 2099)". */
export const DATE_YEARS_TEXT = `(from ${DATE_YEARS.first} to ${DATE_YEARS.last})`;

/** A year within DATE_YEARS. */
export const isSensibleYear = (year: number) => year >= DATE_YEARS.first && year <= DATE_YEARS.last;

/** A real date (YYYY-MM-DD) within DATE_YEARS. */
export function isSensibleDate(iso: string): boolean {
  return isRealDate(iso) && isSensibleYear(Number(iso.slice(0, 4)));
}

/** A real date written YYYY-MM-DD, within DATE_YEARS. */
export const isoDate = trimmed.pipe(
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date as YYYY-MM-DD', abort: true })
    .refine(isRealDate, { message: 'not a real date', abort: true })
    .refine(isSensibleDate, `the year is out of range ${DATE_YEARS_TEXT}`),
);

/** A month written YYYY-MM, within DATE_YEARS. */
export const isoMonth = trimmed.pipe(
  z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'expected a month as YYYY-MM', abort: true })
    .refine(
      (m) => isSensibleYear(Number(m.slice(0, 4))),
      `the year is out of range ${DATE_YEARS_TEXT}`,
    ),
);

/** A date written as YYYYMMDD (ODS files). */
export const compactDate = trimmed.pipe(
  z
    .string()
    .regex(/^\d{8}$/, 'expected a date as YYYYMMDD')
    .transform((s) => `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`)
    .refine(isRealDate, { message: 'not a real date', abort: true })
    .refine(isSensibleDate, `the year is out of range ${DATE_YEARS_TEXT}`),
);

export const optionalCompactDate = optional(compactDate);

/** A YYYY-MM-DD date, or null when the cell is empty or NA. */
export const optionalIsoDate = optional(isoDate);

export function isRealDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

const months: Record<string, string> = {
  jan: '01',
  feb: '02',
  mar: '03',
  apr: '04',
  may: '05',
  jun: '06',
  jul: '07',
  aug: '08',
  sep: '09',
  oct: '10',
  nov: '11',
  dec: '12',
};

/**
 * Reads the extract dates NHS Digital files use, in their several spellings:
 * "01SEP2017", "1st Apr 2022", "1st -Ju l-22" (a garbled "1st-Jul-22"), "2019-12-01".
 */
export function parseExtractDate(raw: string): string | undefined {
  const s = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return isSensibleDate(s) ? s : undefined;
  const squashed = s.replace(/[^0-9A-Za-z]/g, '').toLowerCase();
  const m = /^(\d{1,2})(?:st|nd|rd|th)?([a-z]{3})(\d{2}|\d{4})$/.exec(squashed);
  if (!m) return undefined;
  const [, day = '', mon = '', year = ''] = m;
  const month = months[mon];
  if (!month) return undefined;
  const fullYear = year.length === 2 ? `20${year}` : year;
  const iso = `${fullYear}-${month}-${day.padStart(2, '0')}`;
  return isSensibleDate(iso) ? iso : undefined;
}

export const extractDate = trimmed.transform((s, ctx) => {
  const iso = parseExtractDate(s);
  if (!iso) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a real extract date such as 01SEP2017 or 1st Apr 2022 ${DATE_YEARS_TEXT}`,
    });
    return z.NEVER;
  }
  return iso;
});
