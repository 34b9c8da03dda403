// Row types of a group's people, appointments and register of interests (migrations/0005_governance.sql).
import type { Generated } from 'kysely';
import type { InterestCategory } from './interests.js';

export const appointmentRoles = [
  'chair',
  'accountable_officer',
  'chief_finance_officer',
  'lay_member',
  'clinical_director',
  'practice_representative',
  'committee_member',
  'employee',
] as const;
export type AppointmentRole = (typeof appointmentRoles)[number];

export const roleLabels: Record<AppointmentRole, string> = {
  chair: 'Chair',
  accountable_officer: 'Accountable officer',
  chief_finance_officer: 'Chief finance officer',
  lay_member: 'Lay member',
  clinical_director: 'Clinical director',
  practice_representative: 'Practice representative',
  committee_member: 'Committee member',
  employee: 'Employee',
};

export interface GovPersonTable {
  id: Generated<number>;
  group_id: number;
  name: string;
  contact_email: string | null;
  contact_phone: string | null;
  user_id: number | null;
  illustrative: Generated<boolean>;
  created_at: Date;
}

export interface GovAppointmentTable {
  id: Generated<number>;
  person_id: number;
  body: string;
  role: AppointmentRole;
  is_guardian: Generated<boolean>;
  voting: boolean;
  decision_maker: boolean;
  starts_on: string;
  ends_on: string | null;
}

export interface GovInterestTable {
  id: Generated<number>;
  person_id: number;
  created_at: Date;
}

export interface GovInterestVersionTable {
  interest_id: number;
  version: number;
  category: InterestCategory;
  counterpart: string;
  counterpart_org_id: number | null;
  description: string;
  arose_on: string;
  declared_on: string;
  ended_on: string | null;
  action_taken: string;
  recorded_by: string;
  recorded_at: Date;
}

export interface GovNilReturnTable {
  id: Generated<number>;
  person_id: number;
  declared_on: string;
  recorded_by: string;
  recorded_at: Date;
}

export interface GovGiftTable {
  id: Generated<number>;
  person_id: number;
  kind: 'gift' | 'hospitality';
  offeror: string;
  from_supplier: boolean;
  description: string;
  value_pence: bigint;
  offered_on: string;
  accepted: boolean;
  reason: string | null;
  thresholds_version: string;
  ruling: string;
  must_declare: boolean;
  approval: 'not needed' | 'pending' | 'approved' | 'refused';
  decided_by: string | null;
  decided_on: string | null;
  recorded_by: string;
  recorded_at: Date;
}

export interface GovCommitteeTable {
  id: Generated<number>;
  group_id: number;
  name: string;
  minimum_voting: number;
  lay_member_required: boolean;
  terms: string;
}

export interface GovMeetingTable {
  id: Generated<number>;
  committee_id: number;
  held_on: string;
  title: string;
}

export interface GovAttendanceTable {
  meeting_id: number;
  person_id: number;
  present: boolean;
}

export interface GovAgendaItemTable {
  id: Generated<number>;
  meeting_id: number;
  position: number;
  title: string;
  organisation_code: string | null;
  organisation_name: string | null;
  for_decision: boolean;
  /** A short public summary of, or link to, the item's paper. */
  paper: string | null;
}

export interface GovItemDeclarationTable {
  item_id: number;
  person_id: number;
  interest: string;
  action: 'no action' | 'may observe but not decide' | 'leaves the room';
  recorded_by: string;
  recorded_at: Date;
}

export interface GovDecisionTable {
  item_id: number;
  decision: string;
  rationale: string;
  votes_for: number;
  votes_against: number;
  abstentions: number;
  recorded_by: string;
  recorded_at: Date;
}

export interface GovGroupSettingTable {
  group_id: number;
  guardian_contact: string;
  updated_by: string;
  updated_at: Date;
}
