// The whole database as Kysely sees it, composed from each area's row types.
import type { Kysely, Transaction } from 'kysely';
import type { AuditEventTable } from '../audit/audit.table.js';
import type { AppUserTable, RoleGrantTable, UserSessionTable } from '../auth/user.table.js';
import type { ImportLogTable } from '../imports/import-log.table.js';
import type {
  OrganisationRelationshipTable,
  OrganisationTable,
  RelationshipObservationTable,
} from '../../organisations/organisation.table.js';
import type {
  DeprivationTable,
  QofPrevalenceTable,
  ReferencePopulationTable,
  RegisteredPopulationTable,
  WeightedPopulationTable,
} from '../../population/population.table.js';
import type { GpPaymentTable } from '../../payments/payment.table.js';
import type {
  FinanceCommitmentTable,
  FinanceCostCentreTable,
  FinancePlanTable,
  LedgerEntryTable,
  LedgerJournalTable,
  LedgerLoadTable,
  LedgerPeriodCloseTable,
  QippMonthTable,
  QippSchemeTable,
} from '../../finance/finance.table.js';
import type {
  GovAgendaItemTable,
  GovAppointmentTable,
  GovAttendanceTable,
  GovCommitteeTable,
  GovDecisionTable,
  GovItemDeclarationTable,
  GovMeetingTable,
  GovGiftTable,
  GovInterestTable,
  GovInterestVersionTable,
  GovNilReturnTable,
  GovGroupSettingTable,
  GovPersonTable,
} from '../../governance/governance.table.js';
import type {
  GovMemberBallotTable,
  GovMemberVoteReminderTable,
  GovMemberVoteTable,
  GovPracticeVoterTable,
} from '../../governance/votes.table.js';
import type {
  GovProcurementBidderTable,
  GovProcurementCriterionTable,
  GovProcurementDecisionMakerTable,
  GovProcurementScoreTable,
  GovProcurementTable,
} from '../../governance/procurement.table.js';
import type { GovBreachTable, GovOfficerDecisionTable } from '../../governance/breaches.table.js';
import type { LearningPairTable } from '../../variation/learning-pair.table.js';

export interface Database {
  import_log: ImportLogTable;
  organisation: OrganisationTable;
  relationship_observation: RelationshipObservationTable;
  organisation_relationship: OrganisationRelationshipTable;
  registered_population: RegisteredPopulationTable;
  reference_population: ReferencePopulationTable;
  weighted_population: WeightedPopulationTable;
  qof_prevalence: QofPrevalenceTable;
  deprivation: DeprivationTable;
  gp_payment: GpPaymentTable;
  app_user: AppUserTable;
  role_grant: RoleGrantTable;
  user_session: UserSessionTable;
  audit_event: AuditEventTable;
  learning_pair: LearningPairTable;
  finance_plan: FinancePlanTable;
  finance_cost_centre: FinanceCostCentreTable;
  qipp_scheme: QippSchemeTable;
  qipp_month: QippMonthTable;
  ledger_load: LedgerLoadTable;
  ledger_journal: LedgerJournalTable;
  ledger_entry: LedgerEntryTable;
  ledger_period_close: LedgerPeriodCloseTable;
  finance_commitment: FinanceCommitmentTable;
  gov_person: GovPersonTable;
  gov_appointment: GovAppointmentTable;
  gov_interest: GovInterestTable;
  gov_interest_version: GovInterestVersionTable;
  gov_nil_return: GovNilReturnTable;
  gov_gift: GovGiftTable;
  gov_committee: GovCommitteeTable;
  gov_meeting: GovMeetingTable;
  gov_attendance: GovAttendanceTable;
  gov_agenda_item: GovAgendaItemTable;
  gov_group_setting: GovGroupSettingTable;
  gov_practice_voter: GovPracticeVoterTable;
  gov_member_vote: GovMemberVoteTable;
  gov_member_ballot: GovMemberBallotTable;
  gov_member_vote_reminder: GovMemberVoteReminderTable;
  gov_procurement: GovProcurementTable;
  gov_procurement_criterion: GovProcurementCriterionTable;
  gov_procurement_bidder: GovProcurementBidderTable;
  gov_procurement_score: GovProcurementScoreTable;
  gov_procurement_decision_maker: GovProcurementDecisionMakerTable;
  gov_breach: GovBreachTable;
  gov_officer_decision: GovOfficerDecisionTable;
  gov_item_declaration: GovItemDeclarationTable;
  gov_decision: GovDecisionTable;
}

/** The database handle or an open transaction: repositories accept either. */
export type Db = Kysely<Database> | Transaction<Database>;
