import { describe, expect, it } from 'vitest';
import {
  ballotWeight,
  choicesFor,
  countedFor,
  membershipDay,
  tally,
  turnout,
  ukDateTime,
  ukDeadline,
  voteResult,
  voteStatus,
} from './votes.js';

describe('member votes: open or closed', () => {
  const vote = { opens_on: '2026-12-01', closes_at: new Date('2026-12-15T17:00:00Z') };
  it('is upcoming before its opening day, open from it, closed at the deadline instant', () => {
    expect(voteStatus(vote, new Date('2026-11-30T23:59:59Z'), '2026-11-30')).toBe('upcoming');
    expect(voteStatus(vote, new Date('2026-12-01T00:00:00Z'), '2026-12-01')).toBe('open');
    expect(voteStatus(vote, new Date('2026-12-15T16:59:59.999Z'), '2026-12-15')).toBe('open');
    expect(voteStatus(vote, new Date('2026-12-15T17:00:00Z'), '2026-12-15')).toBe('closed');
    expect(voteStatus(vote, new Date('2027-01-01T00:00:00Z'), '2027-01-01')).toBe('closed');
  });
  it('reads the deadline in UK time, GMT in winter and BST in summer', () => {
    expect(ukDeadline('2026-12-15', '17:00')!.toISOString()).toBe('2026-12-15T17:00:00.000Z');
    expect(ukDeadline('2026-07-01', '17:00')!.toISOString()).toBe('2026-07-01T16:00:00.000Z');
    // The clocks go forward at 01:00 GMT on 29 March 2026: 01:30 does not exist that day.
    expect(ukDeadline('2026-03-29', '01:30')).toBeUndefined();
    expect(ukDeadline('2026-03-29', '02:30')!.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(ukDeadline('2026-02-30', '17:00')).toBeUndefined();
    expect(ukDeadline('2026-12-15', '24:00')).toBeUndefined();
    expect(ukDeadline('2026-12-15', '5pm')).toBeUndefined();
    expect(ukDateTime(new Date('2026-07-01T16:00:00Z'))).toEqual({
      date: '2026-07-01',
      time: '17:00',
    });
  });
  it('counts membership on the opening day, or on the last day of a group that has closed', () => {
    expect(membershipDay('2026-12-01', '2026-12-05')).toBe('2026-12-01');
    expect(membershipDay('2026-12-01', '2020-03-31')).toBe('2020-03-31');
  });
});

describe('member votes: tally, weighting and result', () => {
  it('allows for, against or abstain on a vote and only a view on a consultation', () => {
    expect(choicesFor('vote')).toEqual(['for', 'against', 'abstain']);
    expect(choicesFor('consultation')).toEqual(['view']);
  });
  it('weighs a ballot by 1 or by the list size (0 when none is held)', () => {
    expect(ballotWeight('practice', 12_000)).toBe(1);
    expect(ballotWeight('list_size', 12_000)).toBe(12_000);
    expect(ballotWeight('list_size', null)).toBe(0);
  });
  it('carries a vote when for outnumbers against; abstentions count neither way; a tie fails', () => {
    // Three small practices for, one large against: carried by practices, not by list size.
    const ballots = [
      { choice: 'for' as const, weight: 3_000 },
      { choice: 'for' as const, weight: 4_000 },
      { choice: 'for' as const, weight: 2_000 },
      { choice: 'against' as const, weight: 15_000 },
      { choice: 'abstain' as const, weight: 20_000 },
    ];
    const t = tally(ballots);
    expect(t).toMatchObject({
      cast: 5,
      for: { practices: 3, weight: 9_000 },
      against: { practices: 1, weight: 15_000 },
      abstain: { practices: 1, weight: 20_000 },
      views: 0,
    });
    expect(countedFor(t, 'list_size')).toEqual({ for: 9_000, against: 15_000, abstain: 20_000 });
    expect(voteResult('vote', 'practice', t)).toBe('carried');
    expect(voteResult('vote', 'list_size', t)).toBe('not carried');
    const tie = tally([
      { choice: 'for', weight: 1 },
      { choice: 'against', weight: 1 },
    ]);
    expect(voteResult('vote', 'practice', tie)).toBe('not carried');
    expect(voteResult('vote', 'practice', tally([]))).toBe('not carried');
    expect(voteResult('vote', 'practice', tally([{ choice: 'abstain', weight: 1 }]))).toBe(
      'not carried',
    );
  });
  it('reports a consultation as views received', () => {
    const t = tally([
      { choice: 'view', weight: 1 },
      { choice: 'view', weight: 1 },
    ]);
    expect(t.views).toBe(2);
    expect(voteResult('consultation', 'practice', t)).toBe('views received');
  });
  it('measures turnout among member practices and by list size', () => {
    const members = [
      { practiceId: 1, listSize: 10_000 },
      { practiceId: 2, listSize: 5_000 },
      { practiceId: 3, listSize: 5_000 },
      { practiceId: 4, listSize: null },
    ];
    expect(turnout(members, new Set([1, 4, 99]))).toEqual({
      voted: 2,
      members: 4,
      percent: 50,
      votedListSize: 10_000,
      membersListSize: 20_000,
      listSizePercent: 50,
    });
    expect(turnout([], new Set())).toMatchObject({ percent: null, listSizePercent: null });
    expect(turnout(members, new Set([2])).percent).toBe(25);
    expect(turnout(members.slice(0, 3), new Set([1])).percent).toBe(33.3);
  });
});
