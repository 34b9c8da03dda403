import { describe, expect, it } from 'vitest';
import {
  ballotWeight,
  choicesFor,
  countedFor,
  membershipDay,
  publicTotals,
  tally,
  turnout,
  ukDateTime,
  ukDeadline,
  ukToday,
  voteResult,
  voteStatus,
} from './votes.js';

describe('member votes: open or closed', () => {
  const vote = { opens_on: '2026-12-01', closes_at: new Date('2026-12-15T17:00:00Z') };
  it('is upcoming before its opening day, open from it, closed at the deadline instant', () => {
    expect(voteStatus(vote, new Date('2026-11-30T23:59:59Z'))).toBe('upcoming');
    expect(voteStatus(vote, new Date('2026-12-01T00:00:00Z'))).toBe('open');
    expect(voteStatus(vote, new Date('2026-12-15T16:59:59.999Z'))).toBe('open');
    expect(voteStatus(vote, new Date('2026-12-15T17:00:00Z'))).toBe('closed');
    expect(voteStatus(vote, new Date('2027-01-01T00:00:00Z'))).toBe('closed');
  });
  it('counts the opening day as a UK day: in summer it starts at 23:00 UTC the evening before', () => {
    const summer = { opens_on: '2026-06-11', closes_at: new Date('2026-06-20T16:00:00Z') };
    expect(ukToday(new Date('2026-06-10T23:30:00Z'))).toBe('2026-06-11');
    expect(ukToday(new Date('2026-06-10T22:59:59Z'))).toBe('2026-06-10');
    expect(ukToday(new Date('2026-12-10T23:30:00Z'))).toBe('2026-12-10');
    expect(voteStatus(summer, new Date('2026-06-10T22:59:59Z'))).toBe('upcoming');
    expect(voteStatus(summer, new Date('2026-06-10T23:00:00Z'))).toBe('open');
    expect(voteStatus(summer, new Date('2026-06-10T23:30:00Z'))).toBe('open');
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

describe('member votes: what the public sees of a weighted vote', () => {
  const members = [1, 2, 3, 4, 5, 6, 7].map((id) => ({ practiceId: id, listSize: id * 1_000 }));
  const ballots = (choices: ('for' | 'against' | 'abstain')[]) =>
    choices.map((choice, i) => ({ choice, weight: (i + 1) * 1_000 }));
  const voted = (n: number) => new Set([1, 2, 3, 4, 5, 6, 7].slice(0, n));

  it('holds back the list size of a choice made by one or two practices, and the list size that voted', () => {
    // Practices 1-4 for, 5 against (5,000 patients), 6 abstains (6,000 patients).
    const t = tally(ballots(['for', 'for', 'for', 'for', 'against', 'abstain']));
    const to = turnout(members, voted(6));
    const p = publicTotals('list_size', t, to);
    expect(p.for).toEqual({ practices: 4, listSize: 10_000, suppressed: false });
    expect(p.against).toEqual({ practices: 1, listSize: null, suppressed: true });
    expect(p.abstain).toEqual({ practices: 1, listSize: null, suppressed: true });
    expect(p.counted).toEqual({ for: 10_000, against: null, abstain: null });
    expect(p.suppressed).toBe(true);
    // Otherwise 21,000 voted less 10,000 for would give the other two away.
    expect(p.turnout).toMatchObject({
      voted: 6,
      members: 7,
      votedListSize: null,
      listSizePercent: null,
      membersListSize: 28_000,
    });
    expect(JSON.stringify(p)).not.toMatch(/5000|6000|11000|21000/);
  });

  it('holds back a choice of exactly two practices but shows three, and shows 0 for a choice nobody made', () => {
    const t = tally(ballots(['for', 'for', 'for', 'against', 'against']));
    const p = publicTotals('list_size', t, turnout(members, voted(5)));
    expect(p.for).toEqual({ practices: 3, listSize: 6_000, suppressed: false });
    expect(p.against).toEqual({ practices: 2, listSize: null, suppressed: true });
    expect(p.abstain).toEqual({ practices: 0, listSize: 0, suppressed: false });
    expect(p.turnout.votedListSize).toBeNull();
  });

  it('shows every figure when each choice made has three practices or more', () => {
    const t = tally(ballots(['for', 'for', 'for', 'against', 'against', 'against']));
    const to = turnout(members, voted(6));
    const p = publicTotals('list_size', t, to);
    expect(p.suppressed).toBe(false);
    expect(p.counted).toEqual({ for: 6_000, against: 15_000, abstain: 0 });
    expect(p.turnout).toEqual(to);
  });

  it('publishes the counts of practices with one vote per practice, but not the list size that voted when an answer had fewer than 3', () => {
    const t = tally(ballots(['for', 'for', 'against']));
    const to = turnout(members, voted(3));
    const p = publicTotals('practice', t, to);
    expect(p.against).toEqual({ practices: 1, listSize: null, suppressed: false });
    expect(p.counted).toEqual({ for: 2, against: 1, abstain: 0 });
    expect(p.suppressed).toBe(false);
    // List sizes are public: the list size that voted would say which practices voted.
    expect(p.turnout).toEqual({ ...to, votedListSize: null, listSizePercent: null });
    const many = tally(ballots(['for', 'for', 'for', 'against', 'against', 'against']));
    const all = turnout(members, voted(6));
    expect(publicTotals('practice', many, all).turnout).toEqual(all);
  });

  it('holds nothing back on a consultation: views only', () => {
    const t = tally([
      { choice: 'view', weight: 4_000 },
      { choice: 'view', weight: 5_000 },
    ]);
    const p = publicTotals('list_size', t, turnout(members, voted(2)));
    expect(p.views).toBe(2);
    expect(p.suppressed).toBe(false);
  });
});
