// Member practice votes and consultations, as rules with no I/O: whether a vote is open, the UK
// deadline as an instant, the tally (by practice or weighted by list size), turnout and the result.
import type { BallotChoice, VoteKind, VoteWeighting } from './votes.table.js';

/** Plain words for the result rule, shown on every results page and in the API. */
export const resultRule =
  'A vote is carried when the votes for outnumber the votes against among the ballots cast; abstentions count towards turnout but neither way, and a tie is not carried. With list-size weighting each practice’s ballot counts its registered list size on the day the vote opened; otherwise each practice has one vote. No minimum turnout applies unless the constitution sets one.';

export const choiceLabels: Record<BallotChoice, string> = {
  for: 'For',
  against: 'Against',
  abstain: 'Abstain',
  view: 'View given',
};

export const kindLabels: Record<VoteKind, string> = {
  vote: 'Vote',
  consultation: 'Consultation',
};

export const weightingLabels: Record<VoteWeighting, string> = {
  practice: 'One practice, one vote',
  list_size: 'Weighted by registered list size',
};

/** The choices a ballot may make: for, against or abstain on a vote; a view on a consultation. */
export const choicesFor = (kind: VoteKind): BallotChoice[] =>
  kind === 'vote' ? ['for', 'against', 'abstain'] : ['view'];

export type VoteStatus = 'upcoming' | 'open' | 'closed';

/**
 * Upcoming before its opening day, open from that day until the deadline, closed at the deadline
 * (a ballot cast at the very instant of the deadline is late). The opening day is a UK calendar
 * day: in British Summer Time it starts at 23:00 UTC the evening before.
 */
export function voteStatus(vote: { opens_on: string; closes_at: Date }, now: Date): VoteStatus {
  if (now.getTime() >= vote.closes_at.getTime()) return 'closed';
  if (ukToday(now) < vote.opens_on) return 'upcoming';
  return 'open';
}

const londonParts = (instant: Date) => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
  };
};

/** UK local date and time ('YYYY-MM-DD', 'HH:MM') of an instant, GMT or BST as in force. */
export const ukDateTime = (instant: Date) => londonParts(instant);

/** The UK calendar day ('YYYY-MM-DD') of an instant: the day a vote's dates are compared with. */
export const ukToday = (instant: Date) => londonParts(instant).date;

/** The deadline as an instant: a UK local date and 24-hour time (GMT or BST as in force that day). */
export function ukDeadline(date: string, time: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time))
    return undefined;
  const asUtc = new Date(`${date}T${time}:00Z`);
  if (Number.isNaN(asUtc.getTime()) || !asUtc.toISOString().startsWith(date)) return undefined;
  // The UK is UTC or UTC+1: try both offsets and keep the one that reads back as the time asked.
  for (const offsetHours of [0, 1]) {
    const candidate = new Date(asUtc.getTime() - offsetHours * 3_600_000);
    const back = londonParts(candidate);
    if (back.date === date && back.time === time) return candidate;
  }
  // A time skipped when the clocks go forward (01:00–01:59 on the last Sunday of March).
  return undefined;
}

export interface TallyBallot {
  choice: BallotChoice;
  weight: number;
}

export interface Tally {
  /** Ballots cast, and their total weight (practices, or list sizes). */
  cast: number;
  for: { practices: number; weight: number };
  against: { practices: number; weight: number };
  abstain: { practices: number; weight: number };
  views: number;
}

/** Counts ballots by choice, with the weight each carried. */
export function tally(ballots: readonly TallyBallot[]): Tally {
  const t: Tally = {
    cast: ballots.length,
    for: { practices: 0, weight: 0 },
    against: { practices: 0, weight: 0 },
    abstain: { practices: 0, weight: 0 },
    views: 0,
  };
  for (const b of ballots) {
    if (b.choice === 'view') t.views += 1;
    else {
      t[b.choice].practices += 1;
      t[b.choice].weight += b.weight;
    }
  }
  return t;
}

/** The figure a ballot counts by: 1 per practice, or the list size when weighted. */
export const countedFor = (t: Tally, weighting: VoteWeighting) => ({
  for: weighting === 'list_size' ? t.for.weight : t.for.practices,
  against: weighting === 'list_size' ? t.against.weight : t.against.practices,
  abstain: weighting === 'list_size' ? t.abstain.weight : t.abstain.practices,
});

export type VoteResult = 'carried' | 'not carried' | 'views received';

/** The result under {@link resultRule}: for a consultation, only that views were received. */
export function voteResult(kind: VoteKind, weighting: VoteWeighting, t: Tally): VoteResult {
  if (kind === 'consultation') return 'views received';
  const counted = countedFor(t, weighting);
  return counted.for > counted.against ? 'carried' : 'not carried';
}

export interface Turnout {
  /** Member practices that cast a ballot, and all member practices. */
  voted: number;
  members: number;
  /** Percentage of member practices that voted (null with no members). */
  percent: number | null;
  /** Registered list sizes of those that voted and of all members, and the share that voted. */
  votedListSize: number;
  membersListSize: number;
  listSizePercent: number | null;
}

/** Turnout among the member practices; practices that are not members are not counted. */
export function turnout(
  members: readonly { practiceId: number; listSize: number | null }[],
  votedPracticeIds: ReadonlySet<number>,
): Turnout {
  let voted = 0;
  let votedListSize = 0;
  let membersListSize = 0;
  for (const m of members) {
    membersListSize += m.listSize ?? 0;
    if (votedPracticeIds.has(m.practiceId)) {
      voted += 1;
      votedListSize += m.listSize ?? 0;
    }
  }
  const percent = (part: number, whole: number) =>
    whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
  return {
    voted,
    members: members.length,
    percent: percent(voted, members.length),
    votedListSize,
    membersListSize,
    listSizePercent: percent(votedListSize, membersListSize),
  };
}

/** The weight a practice's ballot carries: 1, or its list size (0 when none is held). */
export const ballotWeight = (weighting: VoteWeighting, listSize: number | null) =>
  weighting === 'list_size' ? Math.max(0, listSize ?? 0) : 1;

/** The day whose membership counts: the opening day, or the group's last day if it closed before. */
export const membershipDay = (opensOn: string, groupAsAt: string) =>
  opensOn <= groupAsAt ? opensOn : groupAsAt;

/** The fewest practices whose combined list size the public results show for one choice. */
export const publicMinPractices = 3;

/** Plain words for what the public results leave out of a vote weighted by list size, and why. */
export const publicSuppressionRule = `On a vote weighted by list size, the registered patients behind a choice made by fewer than ${publicMinPractices} practices are not shown, to keep each practice’s vote private: list sizes are public, so a total made of one or two practices would show how they voted. When a figure is not shown, nor is the share of the registered list size that voted (the hidden figure could be worked out from it). The result, and how many practices made each choice, are always shown; the group’s officers see every figure once the vote has closed.`;

export interface PublicChoiceTotal {
  practices: number;
  /** Registered patients behind the choice (weighted votes only); null when not shown. */
  listSize: number | null;
  /** True when the list size is held back under {@link publicSuppressionRule}. */
  suppressed: boolean;
}

export interface PublicTotals {
  for: PublicChoiceTotal;
  against: PublicChoiceTotal;
  abstain: PublicChoiceTotal;
  views: number;
  /** The figure each choice counted by, as published (null where not shown). */
  counted: { for: number | null; against: number | null; abstain: number | null };
  /** Turnout, without the list size that voted (nor its share) when any figure is not shown. */
  turnout: Omit<Turnout, 'votedListSize' | 'listSizePercent'> & {
    votedListSize: number | null;
    listSizePercent: number | null;
  };
  /** True when any figure is held back. */
  suppressed: boolean;
}

/**
 * The totals the public may see. With one vote per practice, everything (the counts are of practices).
 * Weighted by list size, a choice made by one or two practices has its list size held back, and then
 * so has the list size that voted, which with the other totals would give the held-back one.
 * A choice no practice made shows 0, as its practice count already says.
 */
export function publicTotals(weighting: VoteWeighting, t: Tally, to: Turnout): PublicTotals {
  const weighted = weighting === 'list_size';
  const each = (x: { practices: number; weight: number }): PublicChoiceTotal => {
    const suppressed = weighted && x.practices > 0 && x.practices < publicMinPractices;
    return {
      practices: x.practices,
      listSize: weighted && !suppressed ? x.weight : null,
      suppressed,
    };
  };
  const totals = { for: each(t.for), against: each(t.against), abstain: each(t.abstain) };
  const suppressed =
    totals.for.suppressed || totals.against.suppressed || totals.abstain.suppressed;
  const counted = (x: PublicChoiceTotal) => (weighted ? x.listSize : x.practices);
  return {
    ...totals,
    views: t.views,
    counted: {
      for: counted(totals.for),
      against: counted(totals.against),
      abstain: counted(totals.abstain),
    },
    // The list size that voted identifies the voters when few practices chose some answer (list
    // sizes are public), so it is withheld then, however the vote is counted.
    turnout:
      suppressed ||
      [t.for, t.against, t.abstain].some((x) => x.practices > 0 && x.practices < publicMinPractices)
        ? { ...to, votedListSize: null, listSizePercent: null }
        : to,
    suppressed,
  };
}
