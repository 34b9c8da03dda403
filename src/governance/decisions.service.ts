// The decisions log: every decision of the group, at meetings of its governing body and committees.
import type { Group } from '../organisations/group.service.js';
import type { Db } from '../platform/db/schema.js';

/** Every decision recorded across the group's committees, newest first, with its meeting and votes. */
export const decisionsLog = (db: Db, group: Group, until: string) =>
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
