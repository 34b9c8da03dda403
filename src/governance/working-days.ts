// Working days in England and Wales: weekends and bank holidays (the Banking and Financial Dealings
// Act 1971 rules, with the one-off changes by royal proclamation), and the Provider Selection Regime's
// standstill (SI 2023/1348 reg. 12). No I/O.

const iso = (d: Date) => d.toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

/** Easter Sunday (Gregorian, anonymous algorithm). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(utc(year, month, day));
}

const addDays = (date: string, n: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return iso(d);
};
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
const firstMonday = (year: number, month: number) => {
  const d = utc(year, month, 1);
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return iso(d);
};
const lastMonday = (year: number, month: number) => {
  const d = utc(year, month + 1, 0);
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() - 1);
  return iso(d);
};

/**
 * One-off changes by proclamation: a usual holiday moved, and extra holidays. Sources: GOV.UK bank
 * holidays; The London Gazette proclamations.
 */
const moved: Record<string, string> = {
  '1995-05-01': '1995-05-08', // VE Day 50th anniversary
  '2002-05-27': '2002-06-04', // Golden Jubilee
  '2012-05-28': '2012-06-04', // Diamond Jubilee
  '2020-05-04': '2020-05-08', // VE Day 75th anniversary
  '2022-05-30': '2022-06-02', // Platinum Jubilee
};
const extra = [
  '1999-12-31', // Millennium
  '2002-06-03', // Golden Jubilee
  '2011-04-29', // Royal wedding
  '2012-06-05', // Diamond Jubilee
  '2022-06-03', // Platinum Jubilee
  '2022-09-19', // State funeral of Queen Elizabeth II
  '2023-05-08', // Coronation of King Charles III
];

/** England and Wales bank holidays of a year (from 1978, when the early May holiday began), sorted. */
export function bankHolidays(year: number): string[] {
  const days: string[] = [];
  // New Year's Day, or the next Monday when it falls at a weekend.
  const newYear = iso(utc(year, 1, 1));
  days.push(
    weekday(newYear) === 6
      ? addDays(newYear, 2)
      : weekday(newYear) === 0
        ? addDays(newYear, 1)
        : newYear,
  );
  const easter = easterSunday(year);
  days.push(addDays(easter, -2), addDays(easter, 1));
  for (const usual of [firstMonday(year, 5), lastMonday(year, 5)]) days.push(moved[usual] ?? usual);
  days.push(lastMonday(year, 8));
  // Christmas and Boxing Day, moved to the next weekdays when they fall at a weekend.
  const christmas = iso(utc(year, 12, 25));
  const cw = weekday(christmas);
  if (cw === 5)
    days.push(christmas, addDays(christmas, 3)); // Fri, Mon
  else if (cw === 6)
    days.push(addDays(christmas, 2), addDays(christmas, 3)); // Mon, Tue
  else if (cw === 0)
    days.push(addDays(christmas, 1), addDays(christmas, 2)); // Mon, Tue
  else days.push(christmas, addDays(christmas, 1));
  days.push(...extra.filter((d) => d.startsWith(`${year}-`)));
  return [...new Set(days)].sort();
}

const holidayCache = new Map<number, Set<string>>();
const holidaysOf = (year: number) => {
  let set = holidayCache.get(year);
  if (!set) holidayCache.set(year, (set = new Set(bankHolidays(year))));
  return set;
};

export const isWorkingDay = (date: string) => {
  const w = weekday(date);
  return w !== 0 && w !== 6 && !holidaysOf(Number(date.slice(0, 4))).has(date);
};

/** The nth working day after `date` (not counting `date` itself). */
export function addWorkingDays(date: string, n: number): string {
  let d = date;
  for (let left = n; left > 0;) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) left -= 1;
  }
  return d;
}

/**
 * The standstill after a notice of intention to award (Provider Selection Regime, reg. 12): it starts
 * the day after the notice; representations may be made until midnight at the end of the 8th working
 * day; if the award is confirmed after review, the authority waits 5 working days more.
 */
export function standstill(noticePublishedOn: string) {
  return {
    startsOn: addDays(noticePublishedOn, 1),
    representationsUntil: addWorkingDays(noticePublishedOn, 8),
    afterConfirmation: (confirmedOn: string) => addWorkingDays(confirmedOn, 5),
  };
}
