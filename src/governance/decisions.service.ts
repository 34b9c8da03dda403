// The decisions log: every decision of the group, at meetings of its governing body and committees and
// by its officers under the scheme of delegation, in one list.
import type { Group } from '../organisations/group.service.js';
import type { Db } from '../platform/db/schema.js';
import { officerDecisions } from './officer-decisions.service.js';

/** Decisions recorded at the group's meetings held up to `until`, newest first, with their meeting and votes. */
const meetingDecisions = (db: Db, group: Group, until: string) =>
  db
    .selectFrom('gov_decision')
    .innerJoin('gov_agenda_item', 'gov_agenda_item.id', 'gov_decision.item_id')
    .innerJoin('gov_meeting', 'gov_meeting.id', 'gov_agenda_item.meeting_id')
    .innerJoin('gov_committee', 'gov_committee.id', 'gov_meeting.committee_id')
    .select([
      'gov_meeting.id as meeting_id',
      'gov_meeting.held_on',
      'gov_meeting.title as meeting',
      'gov_committee.name as committee',
      'gov_agenda_item.title as item',
      'gov_agenda_item.position',
      'gov_agenda_item.organisation_name',
      'gov_decision.decision',
      'gov_decision.rationale',
      'gov_decision.votes_for',
      'gov_decision.votes_against',
      'gov_decision.abstentions',
    ])
    .where('gov_committee.group_id', '=', group.id)
    .where('gov_meeting.held_on', '<=', until)
    .orderBy('gov_meeting.held_on', 'desc')
    .orderBy('gov_agenda_item.position')
    .execute();

/** One entry of the log. Fields that do not apply to its kind are null. */
export interface LoggedDecision {
  /** 'meeting': by the governing body or a committee; 'officer': by an officer under delegation. */
  kind: 'meeting' | 'officer';
  decided_on: string;
  /** What the decision is about: the agenda item, or the officer decision's title. */
  item: string;
  decision: string;
  rationale: string;
  organisation: string | null;
  // Meeting decisions.
  held_on: string | null;
  meeting_id: number | null;
  meeting: string | null;
  committee: string | null;
  /** The public minutes of the meeting. */
  minutes: string | null;
  votes_for: number | null;
  votes_against: number | null;
  abstentions: number | null;
  // Decisions by delegated officers.
  officer: string | null;
  officer_role: string | null;
  delegation: string | null;
  value_pence: bigint | null;
  illustrative: boolean;
}

const kindOrder = { meeting: 0, officer: 1 } as const;

/**
 * Every decision of the group up to `until`, newest first: meeting decisions (in agenda order) and
 * delegated officers' decisions, each saying which kind it is. Officers' names and roles are public
 * (they decide); their contact details are never here.
 */
export async function decisionsLog(db: Db, group: Group, until: string): Promise<LoggedDecision[]> {
  const illustrativeGroup = await db
    .selectFrom('gov_person')
    .select('id')
    .where('group_id', '=', group.id)
    .where('illustrative', '=', true)
    .executeTakeFirst();
  const meetings: (LoggedDecision & { order: number })[] = (
    await meetingDecisions(db, group, until)
  ).map((d) => ({
    kind: 'meeting',
    decided_on: d.held_on,
    item: d.item,
    decision: d.decision,
    rationale: d.rationale,
    organisation: d.organisation_name,
    held_on: d.held_on,
    meeting_id: d.meeting_id,
    meeting: d.meeting,
    committee: d.committee,
    minutes: `/groups/${group.code}/public/meetings/${d.meeting_id}`,
    votes_for: d.votes_for,
    votes_against: d.votes_against,
    abstentions: d.abstentions,
    officer: null,
    officer_role: null,
    delegation: null,
    value_pence: null,
    illustrative: illustrativeGroup !== undefined,
    order: d.position,
  }));
  const officers: (LoggedDecision & { order: number })[] = (
    await officerDecisions(db, group, until)
  ).map((d) => ({
    kind: 'officer',
    decided_on: d.decided_on,
    item: d.title,
    decision: d.decision,
    rationale: d.rationale,
    organisation: d.organisation_name,
    held_on: null,
    meeting_id: null,
    meeting: null,
    committee: null,
    minutes: null,
    votes_for: null,
    votes_against: null,
    abstentions: null,
    officer: d.officer,
    officer_role: d.officer_role,
    delegation: d.delegation,
    value_pence: d.value_pence,
    illustrative: d.illustrative,
    order: -d.id,
  }));
  return [...meetings, ...officers]
    .sort(
      (a, b) =>
        b.decided_on.localeCompare(a.decided_on) ||
        kindOrder[a.kind] - kindOrder[b.kind] ||
        a.order - b.order,
    )
    .map(({ order: _order, ...d }) => d);
}
