// Money as integer pence (bigint): parsing exact decimal text, formatting, and exact division.

/**
 * Converts an amount in pounds written as decimal text ("1234.5", "-0.07") to pence exactly.
 * More than two decimal places are rounded half away from zero.
 */
export function poundsToPence(text: string): bigint {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === ''))
    throw new Error(`not an amount in pounds: "${text}"`);
  const [, sign = '', whole = '', fraction = ''] = m;
  const padded = fraction.padEnd(3, '0');
  let pence = BigInt(whole || '0') * 100n + BigInt(padded.slice(0, 2));
  if (padded.length > 2 && Number(padded[2]) >= 5) pence += 1n;
  return sign === '-' ? -pence : pence;
}

/** Formats pence as "£1,234.56" (or "−£12.00"). */
export function formatPence(pence: bigint, { wholePounds = false } = {}): string {
  const negative = pence < 0n;
  const abs = negative ? -pence : pence;
  let pounds = abs / 100n;
  let rest = abs % 100n;
  if (wholePounds) {
    if (rest >= 50n) pounds += 1n;
    rest = 0n;
  }
  const grouped = pounds.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = wholePounds ? `£${grouped}` : `£${grouped}.${rest.toString().padStart(2, '0')}`;
  return negative ? `−${text}` : text;
}

/** Pence as exact pounds text for files and APIs: 12345n → "123.45" (null stays null). */
export function penceAsPounds(pence: bigint | null | undefined): string | null {
  if (pence === null || pence === undefined) return null;
  const negative = pence < 0n;
  const abs = negative ? -pence : pence;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/**
 * Pence per person: `pence ÷ people` rounded half away from zero to whole pence, computed exactly.
 * `people` is decimal text or a number of people (may have two decimal places, e.g. quarterly averages).
 */
export function pencePerHead(pence: bigint, people: string | number): bigint | null {
  const text = typeof people === 'number' ? people.toFixed(2) : people;
  const hundredths = poundsToPence(text); // people × 100, exactly
  if (hundredths <= 0n) return null;
  const numerator = pence * 100n;
  const quotient = numerator / hundredths;
  const remainder = numerator % hundredths;
  const roundAway = (remainder < 0n ? -remainder : remainder) * 2n >= hundredths;
  return roundAway ? quotient + (numerator < 0n ? -1n : 1n) : quotient;
}
