// Meetings: who is likely to be conflicted on an agenda item, and whether the item is still quorate once
// conflicted voting members are excluded. No I/O. Rules: ../shared/reference/commissioning-rules.md §1.9.

/** What a member does at an item they have declared an interest in. */
export type ConflictAction = 'no action' | 'may observe but not decide' | 'leaves the room';

export interface QuorumRule {
  /** Voting members needed to decide. */
  minimumVoting: number;
  /** Roles of which at least one voting member must be present to decide (e.g. a lay member). */
  mustInclude?: readonly string[];
}

export interface Attendee {
  personId: number;
  name: string;
  role: string;
  voting: boolean;
  present: boolean;
  /** The action recorded for this item, when they declared. */
  declared?: ConflictAction;
}

export interface ItemQuorum {
  /** Voting members present who may decide this item. */
  deciding: Attendee[];
  /** Voting members present but excluded from the decision by their declaration. */
  excluded: Attendee[];
  quorate: boolean;
  /** Why not, in words, when inquorate. */
  shortfall: string | null;
  /** What may be done instead, when inquorate. */
  options: string[];
}

/** Quorum for one item: voting members present, less those who declared and may not decide. */
export function quorumForItem(attendees: readonly Attendee[], rule: QuorumRule): ItemQuorum {
  const present = attendees.filter((a) => a.present && a.voting);
  const excluded = present.filter(
    (a) => a.declared === 'may observe but not decide' || a.declared === 'leaves the room',
  );
  const deciding = present.filter((a) => !excluded.includes(a));
  const reasons: string[] = [];
  if (deciding.length < rule.minimumVoting)
    reasons.push(
      `${deciding.length} voting member${deciding.length === 1 ? '' : 's'} may decide; ${rule.minimumVoting} are needed`,
    );
  for (const role of rule.mustInclude ?? [])
    if (!deciding.some((a) => a.role === role))
      reasons.push(`no ${role.replaceAll('_', ' ')} may decide`);
  const quorate = reasons.length === 0;
  return {
    deciding,
    excluded,
    quorate,
    shortfall: quorate ? null : reasons.join('; '),
    options: quorate
      ? []
      : [
          'defer the item to a later meeting',
          'co-opt a non-conflicted member (of the governing body or another group) for the item',
          'refer the decision to the governing body or the conflicts of interest panel',
        ],
  };
}

export interface Interest {
  personId: number;
  /** Organisation the interest is in (ODS code), when linked. */
  counterpartCode: string | null;
  counterpart: string;
  description: string;
}

/**
 * Before the meeting: each member with a current interest in an organisation an item concerns, matched
 * by ODS code, or by name when the item names an organisation without a code.
 */
export function likelyConflicts(
  item: { organisations: readonly { code: string | null; name: string }[] },
  members: readonly { personId: number; name: string }[],
  interests: readonly Interest[],
) {
  const warnings: { personId: number; name: string; interest: string; organisation: string }[] = [];
  for (const m of members)
    for (const i of interests.filter((x) => x.personId === m.personId))
      for (const o of item.organisations) {
        const byCode = o.code !== null && i.counterpartCode === o.code;
        const byName =
          o.code === null && i.counterpart.toLowerCase().includes(o.name.toLowerCase());
        if (byCode || byName)
          warnings.push({
            personId: m.personId,
            name: m.name,
            interest: `${i.counterpart}: ${i.description}`,
            organisation: o.name,
          });
      }
  return warnings;
}
