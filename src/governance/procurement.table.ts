// Row types of the procurement decisions register (migrations/0006_governance_votes_procurement.sql).
import type { Generated } from 'kysely';

export const procurementRoutes = [
  'aqp',
  'competitive',
  'direct_award_a',
  'direct_award_b',
  'direct_award_c',
  'most_suitable_provider',
] as const;
export type ProcurementRoute = (typeof procurementRoutes)[number];

export interface GovProcurementTable {
  id: Generated<number>;
  group_id: number;
  title: string;
  service: string;
  route: ProcurementRoute;
  /** Whole-term contract value in pence. */
  value_pence: bigint;
  contract_starts_on: string | null;
  contract_ends_on: string | null;
  awarded_to: string | null;
  awarded_to_code: string | null;
  decided_on: string | null;
  decided_by: string | null;
  rationale: string | null;
  item_id: number | null;
  intention_notice_on: string | null;
  award_notice_on: string | null;
  illustrative: Generated<boolean>;
  recorded_by: string;
  recorded_at: Date;
}

export interface GovProcurementCriterionTable {
  procurement_id: number;
  position: number;
  name: string;
  weight: number;
}

export interface GovProcurementBidderTable {
  id: Generated<number>;
  procurement_id: number;
  name: string;
  organisation_code: string | null;
}

export interface GovProcurementScoreTable {
  bidder_id: number;
  position: number;
  score: number;
}

export interface GovProcurementDecisionMakerTable {
  procurement_id: number;
  person_id: number;
  conflict: string | null;
  managed: string | null;
}
