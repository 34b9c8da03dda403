// Row types of member practice votes and consultations (migrations/0006_governance_votes_procurement.sql).
import type { Generated } from 'kysely';

export const voteKinds = ['vote', 'consultation'] as const;
export type VoteKind = (typeof voteKinds)[number];
export const voteWeightings = ['practice', 'list_size'] as const;
export type VoteWeighting = (typeof voteWeightings)[number];
export const ballotChoices = ['for', 'against', 'abstain', 'view'] as const;
export type BallotChoice = (typeof ballotChoices)[number];

export interface GovPracticeVoterTable {
  group_id: number;
  practice_id: number;
  user_id: number;
  nominated_on: string;
  recorded_by: string;
  recorded_at: Date;
}

export interface GovMemberVoteTable {
  id: Generated<number>;
  group_id: number;
  kind: VoteKind;
  question: string;
  papers: string;
  opens_on: string;
  closes_at: Date;
  weighting: VoteWeighting;
  item_id: number | null;
  illustrative: Generated<boolean>;
  created_by: string;
  created_at: Date;
}

export interface GovMemberBallotTable {
  vote_id: number;
  practice_id: number;
  choice: BallotChoice;
  comment: string | null;
  weight: number;
  cast_by: string;
  on_behalf: Generated<boolean>;
  cast_at: Date;
}

export interface GovMemberVoteReminderTable {
  id: Generated<number>;
  vote_id: number;
  practices: number;
  sent_by: string;
  sent_at: Date;
}
