// The 5-year age bands NHS Digital publishes registered patients in, and their ONS-comparable form.

export const registeredAgeBands = [
  '0-4',
  '5-9',
  '10-14',
  '15-19',
  '20-24',
  '25-29',
  '30-34',
  '35-39',
  '40-44',
  '45-49',
  '50-54',
  '55-59',
  '60-64',
  '65-69',
  '70-74',
  '75-79',
  '80-84',
  '85-89',
  '90-94',
  '95+',
] as const;

/** Bands used when comparing with ONS estimates, whose last band is 90+. */
export const comparisonAgeBands = [...registeredAgeBands.slice(0, 18), '90+'] as const;

/** Reads "0_4", "0-4 years", "95+", "95+ years", "90-94" into a canonical band, or undefined. */
export function normaliseAgeBand(raw: string): string | undefined {
  const s = raw
    .trim()
    .toLowerCase()
    .replace(/\s*years?$/, '')
    .replace('_', '-')
    .replace(/\s/g, '');
  if (s === '95+' || s === '95-plus' || s === '95plus') return '95+';
  return (registeredAgeBands as readonly string[]).includes(s) ? s : undefined;
}

/** The comparison band (90+ merged) for a registered band. */
export const toComparisonBand = (band: string) =>
  band === '90-94' || band === '95+' ? '90+' : band;

/** The 5-year comparison band for a single year of age ("0".."89", "90+"). */
export function bandForAge(age: string): string | undefined {
  if (age.trim() === '90+') return '90+';
  const n = Number(age);
  if (!Number.isInteger(n) || n < 0) return undefined;
  if (n >= 90) return '90+';
  const lower = Math.floor(n / 5) * 5;
  return `${lower}-${lower + 4}`;
}
