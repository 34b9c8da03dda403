import { describe, expect, it } from 'vitest';
import {
  compactDate,
  count,
  isoDate,
  isoMonth,
  odsCode,
  optionalCompactDate,
  optionalIsoDate,
  parseExtractDate,
  pounds,
} from './fields.js';

describe('CSV field validators', () => {
  it('reads every extract date spelling NHS Digital files use', () => {
    expect(parseExtractDate('01SEP2017')).toBe('2017-09-01');
    expect(parseExtractDate('1st Apr 2022')).toBe('2022-04-01');
    expect(parseExtractDate('1st -Ju l-22')).toBe('2022-07-01');
    expect(parseExtractDate('01-Jan-18')).toBe('2018-01-01');
    expect(parseExtractDate('2019-12-01')).toBe('2019-12-01');
    expect(parseExtractDate('31FEB2019')).toBeUndefined();
    expect(parseExtractDate('yesterday')).toBeUndefined();
  });
  it('accepts counts and refuses negatives and fractions', () => {
    expect(count.parse(' 42 ')).toBe(42);
    expect(count.safeParse('-1').success).toBe(false);
    expect(count.safeParse('1.5').success).toBe(false);
  });
  it('normalises organisation codes and refuses junk', () => {
    expect(odsCode.parse('h82006')).toBe('H82006');
    expect(odsCode.safeParse('H8-2006').success).toBe(false);
  });
  it('reads ODS dates and treats empty or NA as missing', () => {
    expect(compactDate.parse('20200401')).toBe('2020-04-01');
    expect(compactDate.safeParse('20201301').success).toBe(false);
    expect(optionalCompactDate.parse('')).toBeNull();
    expect(optionalCompactDate.parse('NA')).toBeNull();
    expect(optionalCompactDate.safeParse('2020').success).toBe(false);
  });
  it('refuses dates outside 1948 to 2099 in files, saying so', () => {
    const problem = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
      r.error?.issues.map((i) => i.message);
    expect(problem(compactDate.safeParse('02020401'))).toEqual([
      'the year is out of range (from 1948 to 2099)',
    ]);
    expect(compactDate.parse('19480705')).toBe('1948-07-05');
    expect(problem(isoDate.safeParse('9999-12-31'))).toEqual([
      'the year is out of range (from 1948 to 2099)',
    ]);
    expect(problem(isoDate.safeParse('2020-02-30'))).toEqual(['not a real date']);
    expect(problem(isoMonth.safeParse('2020-13'))).toEqual(['expected a month as YYYY-MM']);
    expect(problem(isoMonth.safeParse('1900-01'))).toEqual([
      'the year is out of range (from 1948 to 2099)',
    ]);
    expect(optionalIsoDate.parse('NA')).toBeNull();
    expect(parseExtractDate('01SEP2117')).toBeUndefined();
    expect(parseExtractDate('1900-01-01')).toBeUndefined();
  });
  it('keeps pounds as exact text', () => {
    expect(pounds.parse('1,234.50')).toBe('1234.50');
    expect(pounds.safeParse('£ten').success).toBe(false);
  });
});
