import { describe, expect, it } from 'vitest';
import { addMonths, declarationDue, isLate, isPublished } from './interests.js';

describe('register of interests rules', () => {
  it('flags a declaration made more than 28 days after the interest arose', () => {
    expect(isLate('2018-01-01', '2018-01-29')).toBe(false); // 28 days
    expect(isLate('2018-01-01', '2018-01-30')).toBe(true); // 29 days
  });

  it('keeps an ended interest on the published register for six months, for decision-makers only', () => {
    expect(addMonths('2018-08-31', 6)).toBe('2019-02-28');
    expect(addMonths('2019-08-31', 6)).toBe('2020-02-29');
    const ended = { endedOn: '2018-03-15' };
    expect(isPublished(ended, true, '2018-09-15')).toBe(true);
    expect(isPublished(ended, true, '2018-09-16')).toBe(false);
    expect(isPublished({ endedOn: null }, true, '2030-01-01')).toBe(true);
    expect(isPublished({ endedOn: null }, false, '2018-01-01')).toBe(false);
  });

  it('asks for a first declaration within 28 days of appointment, then one a year', () => {
    expect(declarationDue('2018-04-01', null, '2018-04-10')).toEqual({
      reason: 'on appointment',
      dueOn: '2018-04-29',
      overdue: false,
      daysOverdue: 0,
    });
    expect(declarationDue('2018-04-01', null, '2018-05-09')).toMatchObject({
      overdue: true,
      daysOverdue: 10,
    });
    // A declaration before this appointment does not count for it.
    expect(declarationDue('2018-04-01', '2018-03-01', '2018-05-09')?.reason).toBe('on appointment');
    // Declared since: nothing due until 28 days before the anniversary.
    expect(declarationDue('2018-04-01', '2018-04-20', '2019-03-01')).toBeNull();
    expect(declarationDue('2018-04-01', '2018-04-20', '2019-03-25')).toMatchObject({
      reason: 'annual',
      dueOn: '2019-04-20',
      overdue: false,
    });
    expect(declarationDue('2018-04-01', '2018-04-20', '2019-05-20')).toMatchObject({
      overdue: true,
      daysOverdue: 30,
    });
  });
});
