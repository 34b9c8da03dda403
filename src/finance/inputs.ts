// Reading money typed into finance forms: exact pounds-and-pence text to pence, or a problem naming the field.
import type { FieldProblem } from '../platform/errors.js';
import { formatPence, poundsToPence } from '../platform/money.js';

const amount = /^-?\d{1,13}(\.\d{1,2})?$/;

/** The most any amount typed into a form may be: more than any commissioner's whole allocation. */
export const MAX_FORM_AMOUNT = {
  pence: 2_000_000_000_000n,
  why: 'more than any commissioning organisation’s whole allocation',
};

/** The largest amount a field accepts (either way round), and why, said in the error. */
export interface AmountLimit {
  pence: bigint;
  why: string;
}

/**
 * "£1,234.50" → 123450n. Empty gives undefined (the caller decides whether that is allowed); a bad or
 * (unless allowed) negative amount adds a problem for the field and gives undefined.
 */
export function readPounds(
  raw: string | undefined,
  field: string,
  label: string,
  problems: FieldProblem[],
  { negative = false, max = MAX_FORM_AMOUNT }: { negative?: boolean; max?: AmountLimit } = {},
): bigint | undefined {
  const text = (raw ?? '')
    .replaceAll(',', '')
    .replace(/^(-?)£/, '$1')
    .trim();
  if (text === '') return undefined;
  if (!negative && text.startsWith('-')) {
    problems.push({ field, message: `${label} must not be negative` });
    return undefined;
  }
  if (!amount.test(text)) {
    problems.push({
      field,
      message: `${label} must be an amount in pounds and pence, like 2193070 or 1250.50`,
    });
    return undefined;
  }
  const pence = poundsToPence(text);
  if ((pence < 0n ? -pence : pence) > max.pence) {
    problems.push({
      field,
      message: `${label} must be no more than ${formatPence(max.pence)} (${max.why})`,
    });
    return undefined;
  }
  return pence;
}

/** Like readPounds, but an empty field is a problem too. */
export function requirePounds(
  raw: string | undefined,
  field: string,
  label: string,
  problems: FieldProblem[],
  options: { negative?: boolean; max?: AmountLimit } = {},
): bigint | undefined {
  if ((raw ?? '').trim() === '') {
    problems.push({ field, message: `Enter ${label.toLowerCase()}` });
    return undefined;
  }
  return readPounds(raw, field, label, problems, options);
}

/** No single posting, commitment or saving can be larger than the year's whole allocation. */
export const withinAllocation = (plan: { allocation_pence: bigint }): AmountLimit => ({
  pence: plan.allocation_pence,
  why: `the year’s allocation`,
});
