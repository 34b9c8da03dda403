import { describe, expect, it } from 'vitest';
import { deriveHistory, type Observation } from './membership-history.js';

const seen = (
  parentId: number,
  observedOn: string,
  extra: Partial<Observation> = {},
): Observation => ({
  parentId,
  kind: 'member_of_group',
  observedOn,
  knownFrom: null,
  knownTo: null,
  ...extra,
});

describe('deriveHistory', () => {
  it('joins snapshots naming the same group and ends at the next group’s stated start (a CCG merger)', () => {
    const history = deriveHistory(
      [
        seen(1, '2018-01-01'),
        seen(1, '2019-04-01'),
        seen(1, '2019-12-01'),
        seen(2, '2020-04-01', { knownFrom: '2020-04-01' }),
        seen(2, '2021-03-31'),
      ],
      null,
    );
    expect(history).toEqual([
      { parentId: 1, kind: 'member_of_group', validFrom: '2018-01-01', validTo: '2020-04-01' },
      { parentId: 2, kind: 'member_of_group', validFrom: '2020-04-01', validTo: null },
    ]);
  });

  it('does not let an undated snapshot erase a stated end date', () => {
    const history = deriveHistory(
      [
        seen(1, '2013-04-01', { knownFrom: '2013-04-01', knownTo: '2020-04-01' }),
        seen(1, '2018-01-01'),
      ],
      null,
    );
    expect(history).toEqual([
      { parentId: 1, kind: 'member_of_group', validFrom: '2013-04-01', validTo: '2020-04-01' },
    ]);
  });

  it('ends membership the day after the practice closed', () => {
    const history = deriveHistory([seen(1, '2018-01-01')], '2020-07-31');
    expect(history[0]!.validTo).toBe('2020-08-01');
  });

  it('keeps a practice that moved away and back as three periods', () => {
    const history = deriveHistory(
      [seen(1, '2018-01-01'), seen(2, '2019-01-01'), seen(1, '2020-01-01')],
      null,
    );
    expect(history.map((h) => [h.parentId, h.validFrom, h.validTo])).toEqual([
      [1, '2018-01-01', '2019-01-01'],
      [2, '2019-01-01', '2020-01-01'],
      [1, '2020-01-01', null],
    ]);
  });

  it('derives each kind of relationship separately', () => {
    const history = deriveHistory(
      [seen(1, '2018-01-01'), { ...seen(9, '2019-10-01'), kind: 'member_of_pcn' }],
      null,
    );
    expect(history).toHaveLength(2);
  });
});
