// Reading money typed into finance forms: exact pounds-and-pence text to pence, or a problem naming the field.
import type { FieldProblem } from '../platform/errors.js';
import { poundsToPence } from '../platform/money.js';

const amount = /^-?\d{1,13}(\.\d{1,2})?$/;

/**
 * "£1,234.50" → 123450n. Empty gives undefined (the caller decides whether that is allowed); a bad or
 * (unless allowed) negative amount adds a problem for the field and gives undefined.
 */
export function readPounds(
  raw: string | undefined,
  field: string,
  label: string,
  problems: FieldProblem[],
  { negative = false } = {},
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
  return poundsToPence(text);
}

/** Like readPounds, but an empty field is a problem too. */
export function requirePounds(
  raw: string | undefined,
  field: string,
  label: string,
  problems: FieldProblem[],
  options: { negative?: boolean } = {},
): bigint | undefined {
  if ((raw ?? '').trim() === '') {
    problems.push({ field, message: `Enter ${label.toLowerCase()}` });
    return undefined;
  }
  return readPounds(raw, field, label, problems, options);
}
