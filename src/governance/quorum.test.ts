import { describe, expect, it } from 'vitest';
import { likelyConflicts, quorumForItem, type Attendee } from './quorum.js';

const member = (personId: number, role: string, extra: Partial<Attendee> = {}): Attendee => ({
  personId,
  name: `P${personId}`,
  role,
  voting: true,
  present: true,
  ...extra,
});

describe('meeting quorum and conflicts', () => {
  const rule = { minimumVoting: 3, mustInclude: ['lay_member'] };

  it('is quorate with enough non-conflicted voting members, including a lay member', () => {
    const q = quorumForItem(
      [
        member(1, 'chair'),
        member(2, 'lay_member'),
        member(3, 'clinical_director'),
        member(4, 'employee', { voting: false }),
      ],
      rule,
    );
    expect(q.quorate).toBe(true);
    expect(q.deciding.map((a) => a.personId)).toEqual([1, 2, 3]);
  });

  it('recalculates without conflicted voting members and offers what to do when inquorate', () => {
    const q = quorumForItem(
      [
        member(1, 'chair', { declared: 'leaves the room' }),
        member(2, 'lay_member'),
        member(3, 'clinical_director', { declared: 'no action' }),
        member(5, 'practice_representative', { present: false }),
      ],
      rule,
    );
    expect(q.excluded.map((a) => a.personId)).toEqual([1]);
    expect(q.deciding.map((a) => a.personId)).toEqual([2, 3]);
    expect(q.quorate).toBe(false);
    expect(q.shortfall).toBe('2 voting members may decide; 3 are needed');
    expect(q.options).toHaveLength(3);
    const noLay = quorumForItem(
      [
        member(1, 'chair'),
        member(2, 'lay_member', { declared: 'may observe but not decide' }),
        member(3, 'clinical_director'),
        member(4, 'chief_finance_officer'),
      ],
      rule,
    );
    expect(noLay.shortfall).toBe('no lay member may decide');
  });

  it('warns members before the meeting of an interest in an organisation on the agenda', () => {
    const warnings = likelyConflicts(
      {
        organisations: [
          { code: 'RYR', name: 'University Hospitals Sussex' },
          { code: null, name: 'Sample Diagnostics' },
        ],
      },
      [
        { personId: 1, name: 'A' },
        { personId: 2, name: 'B' },
      ],
      [
        {
          personId: 1,
          counterpartCode: 'RYR',
          counterpart: 'University Hospitals Sussex NHS FT',
          description: 'Honorary sessions',
        },
        {
          personId: 2,
          counterpartCode: null,
          counterpart: 'Sample Diagnostics Ltd',
          description: 'Shares',
        },
        {
          personId: 2,
          counterpartCode: 'RXH',
          counterpart: 'Another trust',
          description: 'Spouse works there',
        },
      ],
    );
    expect(warnings.map((w) => [w.personId, w.organisation])).toEqual([
      [1, 'University Hospitals Sussex'],
      [2, 'Sample Diagnostics'],
    ]);
  });
});
