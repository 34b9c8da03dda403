import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  bankHolidays,
  easterSunday,
  isWorkingDay,
  standstill,
} from './working-days.js';

describe('working days in England and Wales', () => {
  it('finds Easter', () => {
    expect(easterSunday(2018)).toBe('2018-04-01');
    expect(easterSunday(2019)).toBe('2019-04-21');
    expect(easterSunday(2024)).toBe('2024-03-31');
  });

  it('lists the bank holidays of a year, with substitutes and one-off changes', () => {
    // GOV.UK's published lists.
    expect(bankHolidays(2018)).toEqual([
      '2018-01-01',
      '2018-03-30',
      '2018-04-02',
      '2018-05-07',
      '2018-05-28',
      '2018-08-27',
      '2018-12-25',
      '2018-12-26',
    ]);
    expect(bankHolidays(2020)).toEqual([
      '2020-01-01',
      '2020-04-10',
      '2020-04-13',
      '2020-05-08',
      '2020-05-25',
      '2020-08-31',
      '2020-12-25',
      '2020-12-28',
    ]);
    expect(bankHolidays(2021)).toEqual([
      '2021-01-01',
      '2021-04-02',
      '2021-04-05',
      '2021-05-03',
      '2021-05-31',
      '2021-08-30',
      '2021-12-27',
      '2021-12-28',
    ]);
    expect(bankHolidays(2022)).toEqual([
      '2022-01-03',
      '2022-04-15',
      '2022-04-18',
      '2022-05-02',
      '2022-06-02',
      '2022-06-03',
      '2022-08-29',
      '2022-09-19',
      '2022-12-26',
      '2022-12-27',
    ]);
    expect(bankHolidays(2023)).toContain('2023-05-08');
  });

  it('counts working days past weekends and bank holidays', () => {
    expect(isWorkingDay('2018-12-24')).toBe(true);
    expect(isWorkingDay('2018-12-25')).toBe(false);
    expect(isWorkingDay('2018-12-29')).toBe(false);
    // Friday 21 Dec 2018 + 3 working days: Mon 24, Thu 27, Fri 28.
    expect(addWorkingDays('2018-12-21', 3)).toBe('2018-12-28');
  });

  it('times the Provider Selection Regime standstill', () => {
    // Notice on Thursday 28 March 2024: Good Friday and Easter Monday are not working days.
    const s = standstill('2024-03-28');
    expect(s.startsOn).toBe('2024-03-29');
    expect(s.representationsUntil).toBe('2024-04-11'); // 2, 3, 4, 5, 8, 9, 10, 11 April
    expect(s.afterConfirmation('2024-04-15')).toBe('2024-04-22');
  });
});
