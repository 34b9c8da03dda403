// Row types of the breaches register and of decisions taken by delegated officers
// (migrations/0006_governance_votes_procurement.sql).
import type { Generated } from 'kysely';

export const breachCategories = ['interests', 'gifts', 'procurement', 'decision', 'other'] as const;
export type BreachCategory = (typeof breachCategories)[number];

export const breachCategoryLabels: Record<BreachCategory, string> = {
  interests: 'Declaring or managing an interest',
  gifts: 'Gifts and hospitality',
  procurement: 'Procurement',
  decision: 'Decision-making (for example, a conflicted member took part)',
  other: 'Other breach of the conflicts of interest policy',
};

export interface GovBreachTable {
  id: Generated<number>;
  group_id: number;
  category: BreachCategory;
  occurred_on: string;
  identified_on: string;
  /** Private: never on a public page or in the public API. */
  person_id: number | null;
  /** Private. */
  description: string;
  action_taken: string;
  reported_to: string | null;
  /** The anonymised summary the public sees (none until written). */
  public_summary: string | null;
  closed_on: string | null;
  illustrative: Generated<boolean>;
  recorded_by: string;
  recorded_at: Date;
}

export interface GovOfficerDecisionTable {
  id: Generated<number>;
  group_id: number;
  person_id: number;
  delegation: string;
  title: string;
  decision: string;
  rationale: string;
  value_pence: bigint | null;
  organisation_name: string | null;
  decided_on: string;
  illustrative: Generated<boolean>;
  recorded_by: string;
  recorded_at: Date;
}
