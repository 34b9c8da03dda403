// Page rendering: Nunjucks with the NHS.UK frontend macros, and the filters pages use to show numbers.
import path from 'node:path';
import nunjucks from 'nunjucks';
import { projectRoot } from '../app/config.js';
import { formatPence } from '../platform/money.js';
import { inSentence } from '../variation/activity.js';

export const ATTRIBUTION =
  'Contains public sector information licensed under the Open Government Licence v3.0.';

const numberFormat = new Intl.NumberFormat('en-GB');
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Creating an Intl.NumberFormat costs far more than using one: keep one per number of digits.
const fixedFormats = new Map<number, Intl.NumberFormat>();

/** A formatter for numbers with exactly `digits` decimals, with thousands separators (en-GB). */
export function fixedDigits(digits: number): (value: number) => string {
  let format = fixedFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-GB', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    fixedFormats.set(digits, format);
  }
  return format.format;
}

/**
 * A measured value with as many decimals as it needs to be read: one from 10 up, two from 1, and two
 * significant figures below 1 (0.046, not 0.0), so that a small rate never shows as nothing.
 */
export function measureValue(value: number): string {
  const size = Math.abs(value);
  if (size === 0) return '0';
  const digits = size >= 10 ? 1 : size >= 1 ? 2 : Math.min(4, 1 - Math.floor(Math.log10(size)));
  return fixedDigits(digits)(value);
}

/** "2020-03-31" → "31 Mar 2020" */
export function formatDate(value: unknown): string {
  if (value instanceof Date) return formatDate(value.toISOString().slice(0, 10));
  const m = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
  if (!m) return value === null || value === undefined ? '' : String(value);
  return `${Number(m[3])} ${months[Number(m[2]) - 1]} ${m[1]}`;
}

export function createRenderer() {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(
      [
        path.join(projectRoot, 'src/web/views'),
        path.join(projectRoot, 'node_modules/nhsuk-frontend/dist'),
      ],
      { noCache: false },
    ),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  const missing = '–';
  env.addFilter('num', (value: unknown, digits = 0) => {
    if (value === null || value === undefined || value === '') return missing;
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) return missing;
    return fixedDigits(digits)(n);
  });
  env.addFilter('measure', (value: unknown) => {
    const n = typeof value === 'number' ? value : Number(value ?? Number.NaN);
    return value === null || value === '' || !Number.isFinite(n) ? missing : measureValue(n);
  });
  env.addFilter('int', (value: unknown) =>
    value === null || value === undefined
      ? missing
      : numberFormat.format(Math.round(Number(value))),
  );
  env.addFilter('pct', (value: unknown, digits = 1) =>
    value === null || value === undefined || !Number.isFinite(Number(value))
      ? missing
      : `${Number(value).toFixed(digits)}%`,
  );
  env.addFilter('pence', (value: unknown, wholePounds = false) =>
    typeof value === 'bigint' ? formatPence(value, { wholePounds }) : missing,
  );
  env.addFilter('date', formatDate);
  env.addFilter('sentence', (value: unknown) => inSentence(String(value ?? '')));
  env.addGlobal('attribution', ATTRIBUTION);
  return {
    render(template: string, context: Record<string, unknown>): string {
      return env.render(template, context);
    },
  };
}

export type Renderer = ReturnType<typeof createRenderer>;
