// OpenPrescribing's substitution sets for price per unit: which presentations can stand in for each other.

/**
 * Presentations OpenPrescribing leaves out of every substitution set, because their brands or pack
 * sizes cannot be exchanged (its price-per-dose issues 9, 10, 12 and 14). Matched from the start of
 * the code; "." is any one character.
 */
export const exclusions = [
  '0302000C0....BE',
  '0302000C0....BF',
  '0302000C0....BH',
  '0302000C0....BG',
  '0904010H0.*',
  '1311070S0....AA',
  '1311020L0....BS',
  '0913011C0......',
  '0301020S0....AA',
  '190700000BBCJA0',
  '0604011L0BGAAAH',
  '1502010J0....BY',
  '1201010F0AAAAAA',
  '0107010S0AAAGAG',
  '060016000BBAAA0',
  '190201000AABJBJ',
  '190201000AABKBK',
  '190201000AABLBL',
  '190201000AABMBM',
  '190201000AABNBN',
  '190202000AAADAD',
  '190700000AABABA',
];

/** The exclusions as one regular expression anchored at the start of the code. */
export const exclusionPattern = `^(${exclusions.join('|')})`;

/** Chemicals whose every presentation is pooled into one set although none has a generic equivalent. */
export const genericChemicals = [
  { chemical: '0601060U0', name: 'Urine testing reagents' },
  { chemical: '0601060D0', name: 'Glucose blood testing reagents' },
];

/**
 * The generic presentation whose set a code belongs to, before formulation swaps: chemical + "AA"
 * + the equivalent strength and formulation twice; none for devices (not 15 characters), for codes
 * ending "A0" (no generic equivalent) unless pooled, and for the exclusions.
 */
export function genericEquivalent(code: string): string | undefined {
  if (code.length !== 15) return undefined;
  if (new RegExp(exclusionPattern).test(code)) return undefined;
  const chemical = code.slice(0, 9);
  const strength = code.slice(13, 15);
  if (strength === 'A0' && !genericChemicals.some((g) => g.chemical === chemical)) return undefined;
  return `${chemical}AA${strength}${strength}`;
}

/** The generic presentation a BNF code is equivalent to: chemical + 'AA' + equivalent strength twice. */
export const genericCodeSql = (column: string) =>
  `substr(${column}, 1, 9) || 'AA' || substr(${column}, 14, 2) || substr(${column}, 14, 2)`;

export function genericCode(code: string): string {
  return code.length === 15 ? `${code.slice(0, 9)}AA${code.slice(13)}${code.slice(13)}` : code;
}
