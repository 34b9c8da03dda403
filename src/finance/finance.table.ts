// Row types of a group's financial plan, QIPP schemes and monthly ledger (migrations/0004_finance_plan.sql).
import type { Generated } from 'kysely';

export const programmes = [
  'acute',
  'community',
  'mental_health',
  'continuing_care',
  'prescribing',
  'primary_care',
  'other',
  'running_costs',
  'reserves',
] as const;
export type Programme = (typeof programmes)[number];

export const programmeLabels: Record<Programme, string> = {
  acute: 'Acute',
  community: 'Community',
  mental_health: 'Mental health',
  continuing_care: 'Continuing care',
  prescribing: 'Prescribing',
  primary_care: 'Primary care',
  other: 'Other programme',
  running_costs: 'Running costs',
  reserves: 'Reserves',
};

export const reserveKinds = ['surplus', 'contingency', 'non_recurrent', 'other'] as const;
export type ReserveKind = (typeof reserveKinds)[number];

export const riskRatings = ['low', 'medium', 'high'] as const;
export type RiskRating = (typeof riskRatings)[number];

export interface FinancePlanTable {
  id: Generated<number>;
  group_id: number;
  financial_year: string;
  allocation_pence: bigint;
  committed_spend_pence: bigint;
  growth_pence: bigint;
  illustrative: Generated<boolean>;
  basis: string | null;
  updated_by: string;
  updated_at: Date;
}

export interface FinanceCostCentreTable {
  id: Generated<number>;
  plan_id: number;
  code: string;
  name: string;
  programme: Programme;
  reserve_kind: ReserveKind | null;
  annual_budget_pence: bigint;
}

export interface QippSchemeTable {
  id: Generated<number>;
  plan_id: number;
  name: string;
  owner: string;
  cost_centre_id: number | null;
  risk: RiskRating;
}

export interface QippMonthTable {
  scheme_id: number;
  month: number;
  planned_pence: bigint;
  delivered_pence: bigint | null;
}

export interface LedgerLoadTable {
  import_id: number;
  group_id: number;
  period: string;
  total_pence: bigint;
  reversed_at: Date | null;
  reversed_by: string | null;
  reversal_reason: string | null;
}

export interface LedgerJournalTable {
  id: Generated<number>;
  group_id: number;
  period: string;
  reason: string;
  created_by: string;
  created_at: Date;
}

export interface LedgerEntryTable {
  id: Generated<bigint>;
  cost_centre_id: number;
  period: string;
  subjective: string;
  description: string | null;
  amount_pence: bigint;
  import_id: number | null;
  journal_id: number | null;
  line: number | null;
}

export interface LedgerPeriodCloseTable {
  group_id: number;
  period: string;
  closed_by: string;
  closed_at: Date;
}

export interface FinanceCommitmentTable {
  id: Generated<number>;
  cost_centre_id: number;
  description: string;
  amount_pence: bigint;
  created_by: string;
  created_at: Date;
  released_at: Date | null;
  released_by: string | null;
  release_reason: string | null;
}
