// Row types of organisations and their dated relationships.
import type { Generated } from 'kysely';

export const organisationTypes = [
  'nation',
  'region',
  'icb',
  'group',
  'pcn',
  'practice',
  'provider',
] as const;
export type OrganisationType = (typeof organisationTypes)[number];

export const relationshipKinds = ['member_of_group', 'member_of_pcn', 'part_of'] as const;
export type RelationshipKind = (typeof relationshipKinds)[number];

export interface OrganisationTable {
  id: Generated<number>;
  code: string;
  type: OrganisationType;
  name: string;
  /** How trustworthy the source of the name is: a better source may replace it, a worse one not. */
  name_rank: number;
  postcode: string | null;
  open_date: string | null;
  close_date: string | null;
}

export interface RelationshipObservationTable {
  id: Generated<string>;
  child_id: number;
  parent_id: number;
  kind: RelationshipKind;
  observed_on: string;
  known_from: string | null;
  known_to: string | null;
  source: string;
  import_id: number;
}

export interface OrganisationRelationshipTable {
  child_id: number;
  parent_id: number;
  kind: RelationshipKind;
  valid_from: string;
  valid_to: string | null;
}
