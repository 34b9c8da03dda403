// Row type of learning pairs recorded by a group's clinical leads.
import type { Generated } from 'kysely';

export const pairStatuses = [
  'proposed',
  'meeting arranged',
  'met',
  'changes agreed',
  'closed',
] as const;
export type PairStatus = (typeof pairStatuses)[number];

export interface LearningPairTable {
  id: Generated<number>;
  group_id: number;
  point_of_delivery: string;
  treatment_function: string;
  high_practice_id: number;
  low_practice_id: number;
  period: string;
  /** numeric(8,1) as exact text */
  high_ratio: string;
  low_ratio: string;
  status: PairStatus;
  follow_up_on: string | null;
  notes: string | null;
  created_by: number;
  created_at: Date;
  updated_at: Date;
}
