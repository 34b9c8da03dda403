// The procurement decisions register: recording a procurement (route, value, dates, award, notices),
// its key criteria and weights, bidders and their scores, and the decision-makers with their conflicts;
// the full register and the published one. Every change audited. Rules: procurement.ts.
import type { Group } from '../organisations/group.service.js';
import { audit, userActor } from '../platform/audit/audit.service.js';
import type { Principal } from '../platform/auth/principal.js';
import { isoDate, systemClock, type Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, missingFields, type FieldProblem } from '../platform/errors.js';
import { DATE_YEARS_TEXT, isSensibleDate } from '../platform/imports/fields.js';
import { penceAsPounds } from '../platform/money.js';
import { requirePounds } from '../finance/inputs.js';
import { canManageRegister, personOfUser } from './declarations.service.js';
import {
  likelyProcurementConflicts,
  withoutLosingBidders,
  procurementStatus,
  psrInForce,
  rankBidders,
  routeInfo,
  standstillFor,
  weightsProblem,
} from './procurement.js';
import { procurementRoutes, type ProcurementRoute } from './procurement.table.js';
import { registerOfInterests } from './register.service.js';
import { isRowId } from '../platform/db/ids.js';

/** Who records procurements: the register's keepers (administrators, governing body) and contracts officers. */
export function canWriteProcurement(principal: Principal | undefined, group: Group): boolean {
  return (
    canManageRegister(principal, group) ||
    (principal?.grants ?? []).some((g) => g.organisationId === group.id && g.role === 'contracts')
  );
}

const idOf = (text: string | undefined) => {
  const n = Number(text);
  return isRowId(n) ? n : undefined;
};
const invalid = (problems: FieldProblem[]) =>
  new AppError('invalid_input', problems[0]!.message, problems);

/** Bad input on a procurement's criteria, bidders or decision-makers: audited, then the form's problems. */
async function refusedInput(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  procurementId: number,
  action: string,
  problems: FieldProblem[],
  clock: Clock,
) {
  await audit(
    db,
    userActor(principal, clientAddress),
    {
      action,
      entityType: 'gov_procurement',
      entityId: String(procurementId),
      organisationId: group.id,
      after: { reason: problems[0]!.message },
    },
    clock,
  );
  return invalid(problems);
}

async function refused(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  what: string,
  clock: Clock,
) {
  await audit(
    db,
    userActor(principal, clientAddress),
    {
      action: 'gov_procurement.refused',
      entityType: 'gov_procurement',
      organisationId: group.id,
      after: { reason: `not allowed to ${what}` },
    },
    clock,
  );
  return new AppError(
    'forbidden',
    `Only ${group.name}'s administrators, governing body and contracts officers record procurement decisions`,
  );
}

/** The procurement, checked to be the group's. */
async function procurementOf(db: Db, group: Group, idText: string | undefined) {
  const id = idOf(idText);
  const row = id
    ? await db
        .selectFrom('gov_procurement')
        .selectAll()
        .where('id', '=', id)
        .where('group_id', '=', group.id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('not_found', `No such procurement in ${group.name}`);
  return row;
}

async function bidderNames(db: Db, procurementId: number) {
  return db
    .selectFrom('gov_procurement_bidder')
    .select(['id', 'name', 'organisation_code'])
    .where('procurement_id', '=', procurementId)
    .orderBy('id')
    .execute();
}

export type ProcurementInput = Record<string, string | undefined>;

/** The fields of a procurement's main record, as its form labels them. */
const mainFields = {
  title: 'Title',
  service: 'Service',
  route: 'Route',
  value: 'Contract value',
  contractStartsOn: 'Contract starts',
  contractEndsOn: 'Contract ends',
  awardedTo: 'Awarded to',
  awardedToCode: 'Its ODS code',
  decidedOn: 'Decided on',
  decidedBy: 'Decided by',
  rationale: 'Rationale',
  item: 'Agenda item',
  intentionNoticeOn: 'Notice of intention to award',
  awardNoticeOn: 'Contract award notice',
};

/** Once awarded, the competition (criteria, bidders, scores) is the record of how it was decided. */
const frozenOnceAwarded = (
  p: { awarded_to: string | null },
  what: string,
  field: string,
): FieldProblem[] =>
  p.awarded_to === null
    ? []
    : [
        {
          field,
          message: `The contract has been awarded to ${p.awarded_to}: ${what} can no longer be changed`,
        },
      ];

/** Records a new procurement, or (with `idText`) changes its main record. */
export async function saveProcurement(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  input: ProcurementInput,
  clock: Clock = systemClock,
  idText?: string,
): Promise<number> {
  if (!canWriteProcurement(principal, group))
    throw await refused(db, principal, clientAddress, group, 'record a procurement', clock);
  const existing = idText === undefined ? undefined : await procurementOf(db, group, idText);
  if (existing)
    await refuseIfConflicted(db, principal, clientAddress, group, existing.id, 'change it', clock);
  const today = isoDate(clock());
  // Changing a procurement, the form sends every field: one left out is an error, not "clear it".
  const problems: FieldProblem[] = existing ? missingFields(input, mainFields) : [];
  const text = (field: string, label: string, max: number, required: boolean) => {
    const v = (input[field] ?? '').trim();
    if (required && !v) problems.push({ field, message: `Enter ${label}` });
    else if (v.length > max)
      problems.push({
        field,
        message: `${label[0]!.toUpperCase()}${label.slice(1)} must be at most ${max} characters`,
      });
    return v || null;
  };
  const day = (field: string, label: string) => {
    const v = (input[field] ?? '').trim();
    if (!v) return null;
    if (!isSensibleDate(v)) {
      problems.push({
        field,
        message: `Enter ${label} as a date like 2026-03-14 ${DATE_YEARS_TEXT}`,
      });
      return null;
    }
    return v;
  };
  const title = text('title', 'a title', 200, true);
  const service = text('service', 'the service', 300, true);
  const route = procurementRoutes.includes(input.route as ProcurementRoute)
    ? (input.route as ProcurementRoute)
    : undefined;
  if (!route) problems.push({ field: 'route', message: 'Choose the procurement route' });
  const value = requirePounds(input.value, 'value', 'The contract value', problems);
  const contractStartsOn = day('contractStartsOn', 'the contract start');
  const contractEndsOn = day('contractEndsOn', 'the contract end');
  if (contractStartsOn && contractEndsOn && contractEndsOn < contractStartsOn)
    problems.push({
      field: 'contractEndsOn',
      message: 'The contract cannot end before it starts',
    });
  const awardedTo = text('awardedTo', 'who it was awarded to', 200, false);
  const awardedToCode = (input.awardedToCode ?? '').trim().toUpperCase() || null;
  if (awardedToCode && !/^[A-Z0-9]{3,10}$/.test(awardedToCode))
    problems.push({
      field: 'awardedToCode',
      message: 'The ODS code is 3 to 10 letters and digits, like RYR',
    });
  const decidedOn = day('decidedOn', 'the decision date');
  if (decidedOn && decidedOn > today)
    problems.push({ field: 'decidedOn', message: 'The decision date cannot be in the future' });
  const decidedBy = text('decidedBy', 'who decided', 200, false);
  const rationale = text('rationale', 'the rationale', 2000, false);
  const intentionNoticeOn = day('intentionNoticeOn', 'the notice of intention date');
  const awardNoticeOn = day('awardNoticeOn', 'the contract award notice date');
  if (intentionNoticeOn && intentionNoticeOn > today)
    problems.push({
      field: 'intentionNoticeOn',
      message: 'The notice of intention date cannot be in the future',
    });
  if (awardNoticeOn && awardNoticeOn > today)
    problems.push({
      field: 'awardNoticeOn',
      message: 'The contract award notice date cannot be in the future',
    });
  if (awardNoticeOn && intentionNoticeOn && awardNoticeOn < intentionNoticeOn)
    problems.push({
      field: 'awardNoticeOn',
      message: 'The contract award notice cannot come before the notice of intention to award',
    });
  // The award: who, when, by whom and why, together.
  const awardParts = { awardedTo, decidedOn, decidedBy, rationale };
  const given = Object.entries(awardParts).filter(([, v]) => v !== null);
  if (given.length > 0 && given.length < 4) {
    const labels: Record<string, string> = {
      awardedTo: 'who it was awarded to',
      decidedOn: 'the decision date',
      decidedBy: 'who decided (the committee or delegated officer)',
      rationale: 'the rationale',
    };
    for (const [k, v] of Object.entries(awardParts))
      if (v === null && !problems.some((p) => p.field === k))
        problems.push({ field: k, message: `Enter ${labels[k]}, to record the award` });
  }
  // A recorded award is the published decision (and freezes its decision-makers): it can be
  // corrected, not taken away.
  if (existing?.awarded_to && input.awardedTo !== undefined && !awardedTo)
    problems.push({
      field: 'awardedTo',
      message: `The contract has been awarded to ${existing.awarded_to}: the award can be corrected but not removed`,
    });
  if (
    (intentionNoticeOn || awardNoticeOn) &&
    !awardedTo &&
    !problems.some((p) => p.field === 'awardedTo')
  )
    problems.push({
      field: 'awardedTo',
      message: 'Record the award decision before the notices of it',
    });
  if (decidedOn && intentionNoticeOn && intentionNoticeOn < decidedOn)
    problems.push({
      field: 'intentionNoticeOn',
      message: 'The notice of intention cannot come before the decision',
    });
  if (route && routeInfo[route].psrOnly && decidedOn && decidedOn < psrInForce)
    problems.push({
      field: 'route',
      message: `${routeInfo[route].label} exists only under the Provider Selection Regime, from 1 January 2024`,
    });
  if (route && awardNoticeOn && intentionNoticeOn) {
    const s = standstillFor(route, intentionNoticeOn);
    if (s.applies && s.endsOn && awardNoticeOn <= s.endsOn)
      problems.push({
        field: 'awardNoticeOn',
        message: `The contract may not be awarded during the standstill, which ends on ${s.endsOn}`,
      });
  }
  // The agenda item where it was decided, if any: one of the group's.
  let itemId: number | null = null;
  if ((input.item ?? '').trim()) {
    const id = idOf(input.item);
    const item = id
      ? await db
          .selectFrom('gov_agenda_item')
          .innerJoin('gov_meeting', 'gov_meeting.id', 'gov_agenda_item.meeting_id')
          .innerJoin('gov_committee', 'gov_committee.id', 'gov_meeting.committee_id')
          .select(['gov_agenda_item.id', 'gov_meeting.held_on'])
          .where('gov_agenda_item.id', '=', id)
          .where('gov_committee.group_id', '=', group.id)
          .executeTakeFirst()
      : undefined;
    if (!item) problems.push({ field: 'item', message: 'Choose an agenda item of this group' });
    else itemId = item.id;
  }
  // The awardee must be one of the bidders, when bidders are recorded.
  if (existing && awardedTo) {
    const bidders = await bidderNames(db, existing.id);
    if (
      bidders.length &&
      !bidders.some(
        (b) =>
          b.name.toLowerCase() === awardedTo.toLowerCase() ||
          (awardedToCode !== null && b.organisation_code === awardedToCode),
      )
    )
      problems.push({
        field: 'awardedTo',
        message: `The award must go to one of the bidders: ${bidders.map((b) => b.name).join(', ')}`,
      });
  }
  if (problems.length) throw invalid(problems);
  const values = {
    title: title!,
    service: service!,
    route: route!,
    value_pence: value!,
    contract_starts_on: contractStartsOn,
    contract_ends_on: contractEndsOn,
    awarded_to: awardedTo,
    awarded_to_code: awardedTo ? awardedToCode : null,
    decided_on: decidedOn,
    decided_by: decidedBy,
    rationale,
    item_id: itemId,
    intention_notice_on: intentionNoticeOn,
    award_notice_on: awardNoticeOn,
  };
  const shown = (v: typeof values) => ({
    ...v,
    value_pence: undefined,
    value: penceAsPounds(v.value_pence),
  });
  return db.transaction().execute(async (tx) => {
    let id: number;
    if (existing) {
      await tx.updateTable('gov_procurement').set(values).where('id', '=', existing.id).execute();
      id = existing.id;
    } else {
      id = (
        await tx
          .insertInto('gov_procurement')
          .values({
            ...values,
            group_id: group.id,
            recorded_by: principal.email,
            recorded_at: clock(),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: existing ? 'gov_procurement.changed' : 'gov_procurement.recorded',
        entityType: 'gov_procurement',
        entityId: String(id),
        organisationId: group.id,
        before: existing
          ? shown({
              title: existing.title,
              service: existing.service,
              route: existing.route,
              value_pence: BigInt(existing.value_pence),
              contract_starts_on: existing.contract_starts_on,
              contract_ends_on: existing.contract_ends_on,
              awarded_to: existing.awarded_to,
              awarded_to_code: existing.awarded_to_code,
              decided_on: existing.decided_on,
              decided_by: existing.decided_by,
              rationale: existing.rationale,
              item_id: existing.item_id,
              intention_notice_on: existing.intention_notice_on,
              award_notice_on: existing.award_notice_on,
            })
          : undefined,
        after: shown(values),
      },
      clock,
    );
    return id;
  });
}

/**
 * The procurement a writer is about to change: refused (and audited) for anyone who may not write the
 * register, or who declared an interest in one of its providers. `what` words each refusal.
 */
async function procurementToChange(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  idText: string,
  clock: Clock,
  what: [register: string, procurement: string],
) {
  if (!canWriteProcurement(principal, group))
    throw await refused(db, principal, clientAddress, group, what[0], clock);
  const p = await procurementOf(db, group, idText);
  await refuseIfConflicted(db, principal, clientAddress, group, p.id, what[1], clock);
  return p;
}

/** Replaces the key criteria and their weights (fields name_N and weight_N, N = 1…). */
export async function saveCriteria(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  idText: string,
  input: ProcurementInput,
  clock: Clock = systemClock,
) {
  const p = await procurementToChange(db, principal, clientAddress, group, idText, clock, [
    'set criteria',
    'set its criteria',
  ]);
  const problems: FieldProblem[] = [
    ...frozenOnceAwarded(p, 'its criteria', 'name_1'),
    ...missingFields(
      input,
      Object.fromEntries(
        Array.from({ length: criteriaRows }, (_, i) => [
          [`name_${i + 1}`, `Name of criterion ${i + 1}`],
          [`weight_${i + 1}`, `Weight of criterion ${i + 1}`],
        ]).flat(),
      ),
    ),
  ];
  const rows: { name: string; weight: number }[] = [];
  for (let n = 1; n <= criteriaRows; n++) {
    const name = (input[`name_${n}`] ?? '').trim();
    const weightText = (input[`weight_${n}`] ?? '').trim();
    if (!name && !weightText) continue;
    if (!name) problems.push({ field: `name_${n}`, message: `Enter the name of criterion ${n}` });
    else if (name.length > 200)
      problems.push({ field: `name_${n}`, message: `Criterion ${n}: at most 200 characters` });
    const weight = /^\d{1,3}$/.test(weightText) ? Number(weightText) : NaN;
    if (!(weight >= 1 && weight <= 100))
      problems.push({
        field: `weight_${n}`,
        message: `Enter the weight of criterion ${n} as a whole per cent from 1 to 100`,
      });
    rows.push({ name, weight });
  }
  if (!problems.length) {
    const problem = weightsProblem(rows.map((r) => r.weight));
    if (problem) problems.push({ field: 'weight_1', message: problem });
  }
  const before = await db
    .selectFrom('gov_procurement_criterion')
    .select(['position', 'name', 'weight'])
    .where('procurement_id', '=', p.id)
    .orderBy('position')
    .execute();
  const scored = await db
    .selectFrom('gov_procurement_score')
    .innerJoin(
      'gov_procurement_bidder',
      'gov_procurement_bidder.id',
      'gov_procurement_score.bidder_id',
    )
    .select('gov_procurement_score.bidder_id')
    .where('gov_procurement_bidder.procurement_id', '=', p.id)
    .executeTakeFirst();
  if (!problems.length && scored && rows.length !== before.length)
    problems.push({
      field: 'name_1',
      message: `Bidders are scored against ${before.length} criteria; keep ${before.length} (you may rename and re-weight them)`,
    });
  if (problems.length)
    throw await refusedInput(
      db,
      principal,
      clientAddress,
      group,
      p.id,
      'gov_procurement.criteria_refused',
      problems,
      clock,
    );
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('gov_procurement_criterion').where('procurement_id', '=', p.id).execute();
    await tx
      .insertInto('gov_procurement_criterion')
      .values(rows.map((r, i) => ({ procurement_id: p.id, position: i + 1, ...r })))
      .execute();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_procurement.criteria_set',
        entityType: 'gov_procurement',
        entityId: String(p.id),
        organisationId: group.id,
        before,
        after: rows,
      },
      clock,
    );
  });
}

export const criteriaRows = 8;

/** Adds a bidder, or changes one, with a score 0–100 against each criterion (score_N). */
export async function saveBidder(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  idText: string,
  input: ProcurementInput,
  clock: Clock = systemClock,
) {
  const p = await procurementToChange(db, principal, clientAddress, group, idText, clock, [
    'score bidders',
    'record or score its bidders',
  ]);
  const criteria = await db
    .selectFrom('gov_procurement_criterion')
    .select(['position', 'name'])
    .where('procurement_id', '=', p.id)
    .orderBy('position')
    .execute();
  const problems: FieldProblem[] = [
    ...frozenOnceAwarded(p, 'its bidders and their scores', 'bidder'),
    ...missingFields(input, {
      bidder: 'Bidder',
      bidderName: 'Name',
      bidderCode: 'ODS code',
      ...Object.fromEntries(criteria.map((c) => [`score_${c.position}`, `Score for ${c.name}`])),
    }),
  ];
  const bidders = await bidderNames(db, p.id);
  const chosen = (input.bidder ?? 'new').trim();
  const bidder = chosen === 'new' ? undefined : bidders.find((b) => String(b.id) === chosen);
  if (chosen !== 'new' && !bidder)
    problems.push({
      field: 'bidder',
      message: 'Choose a bidder of this procurement, or a new one',
    });
  const name = (input.bidderName ?? '').trim();
  if (!name || name.length > 200)
    problems.push({
      field: 'bidderName',
      message: 'Enter the bidder’s name (up to 200 characters)',
    });
  else if (bidders.some((b) => b.name.toLowerCase() === name.toLowerCase() && b.id !== bidder?.id))
    problems.push({ field: 'bidderName', message: `${name} is already a bidder` });
  // For a bidder already recorded, an empty code or empty scores keep what is recorded: the form
  // cannot show them until the bidder is chosen, so empty there means "not changing", not "none".
  const code = (input.bidderCode ?? '').trim().toUpperCase() || (bidder?.organisation_code ?? null);
  if (code && !/^[A-Z0-9]{3,10}$/.test(code))
    problems.push({
      field: 'bidderCode',
      message: 'The ODS code is 3 to 10 letters and digits, like RYR',
    });
  const scores: { position: number; score: number }[] = [];
  const blank = criteria.every((c) => !(input[`score_${c.position}`] ?? '').trim());
  if (!blank)
    for (const c of criteria) {
      const t = (input[`score_${c.position}`] ?? '').trim();
      const s = /^\d{1,3}$/.test(t) ? Number(t) : NaN;
      if (!(s >= 0 && s <= 100))
        problems.push({
          field: `score_${c.position}`,
          message: `Score for ${c.name}: a whole number from 0 to 100`,
        });
      else scores.push({ position: c.position, score: s });
    }
  if (problems.length)
    throw await refusedInput(
      db,
      principal,
      clientAddress,
      group,
      p.id,
      'gov_procurement.bidder_refused',
      problems,
      clock,
    );
  await db.transaction().execute(async (tx) => {
    let bidderId: number;
    if (bidder) {
      await tx
        .updateTable('gov_procurement_bidder')
        .set({ name, organisation_code: code })
        .where('id', '=', bidder.id)
        .execute();
      bidderId = bidder.id;
    } else
      bidderId = (
        await tx
          .insertInto('gov_procurement_bidder')
          .values({ procurement_id: p.id, name, organisation_code: code })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    if (scores.length) {
      await tx.deleteFrom('gov_procurement_score').where('bidder_id', '=', bidderId).execute();
      await tx
        .insertInto('gov_procurement_score')
        .values(scores.map((s) => ({ bidder_id: bidderId, ...s })))
        .execute();
    }
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: bidder ? 'gov_procurement.bidder_changed' : 'gov_procurement.bidder_added',
        entityType: 'gov_procurement',
        entityId: String(p.id),
        organisationId: group.id,
        before: bidder ? { name: bidder.name, code: bidder.organisation_code } : undefined,
        after: { bidder: name, code, scores },
      },
      clock,
    );
  });
}

/**
 * Replaces the decision-makers: for each person of the group, dm_<id> = 'yes' when involved, with the
 * conflict they declared (conflict_<id>) and how it was managed (managed_<id>). A declared conflict with
 * nothing recorded about its management is refused.
 */
export async function saveDecisionMakers(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  idText: string,
  input: ProcurementInput,
  clock: Clock = systemClock,
) {
  const p = await procurementToChange(db, principal, clientAddress, group, idText, clock, [
    'record decision-makers',
    'record its decision-makers',
  ]);
  const people = await db
    .selectFrom('gov_person')
    .select(['id', 'name'])
    .where('group_id', '=', group.id)
    .orderBy('name')
    .execute();
  const problems: FieldProblem[] = [];
  const rows: {
    person_id: number;
    name: string;
    conflict: string | null;
    managed: string | null;
  }[] = [];
  for (const person of people) {
    if (input[`dm_${person.id}`] !== 'yes') continue;
    problems.push(
      ...missingFields(input, {
        [`conflict_${person.id}`]: `${person.name}'s conflict`,
        [`managed_${person.id}`]: `How ${person.name}'s conflict was managed`,
      }),
    );
    const conflict = (input[`conflict_${person.id}`] ?? '').trim() || null;
    const managed = (input[`managed_${person.id}`] ?? '').trim() || null;
    if (conflict && conflict.length > 500)
      problems.push({
        field: `conflict_${person.id}`,
        message: `${person.name}: conflict up to 500 characters`,
      });
    if (managed && managed.length > 500)
      problems.push({
        field: `managed_${person.id}`,
        message: `${person.name}: up to 500 characters`,
      });
    if (conflict && !managed)
      problems.push({
        field: `managed_${person.id}`,
        message: `${person.name} declared a conflict: record how it was managed (for example, left the room and took no part)`,
      });
    rows.push({ person_id: person.id, name: person.name, conflict, managed });
  }
  const known = new Set(people.map((x) => String(x.id)));
  for (const key of Object.keys(input))
    if (key.startsWith('dm_') && !known.has(key.slice(3)))
      problems.push({ field: 'decisionMakers', message: 'Choose people of this group only' });
  // An empty form must not clear the record: someone always takes a procurement decision.
  if (!rows.length && !problems.length)
    problems.push({
      field: 'decisionMakers',
      message: 'Choose at least one person who takes part in the decision',
    });
  // Once the contract is awarded, who decided is part of the published record: recorded once, then
  // it stays as it is.
  const recorded = await db
    .selectFrom('gov_procurement_decision_maker')
    .select('person_id')
    .where('procurement_id', '=', p.id)
    .executeTakeFirst();
  if (p.awarded_to !== null && recorded)
    problems.push({
      field: 'decisionMakers',
      message:
        'The contract has been awarded and its decision-makers recorded: they can no longer be changed',
    });
  if (problems.length)
    throw await refusedInput(
      db,
      principal,
      clientAddress,
      group,
      p.id,
      'gov_procurement.decision_makers_refused',
      problems,
      clock,
    );
  await db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('gov_procurement_decision_maker')
      .innerJoin('gov_person', 'gov_person.id', 'gov_procurement_decision_maker.person_id')
      .select(['gov_person.name', 'conflict', 'managed'])
      .where('procurement_id', '=', p.id)
      .execute();
    await tx
      .deleteFrom('gov_procurement_decision_maker')
      .where('procurement_id', '=', p.id)
      .execute();
    if (rows.length)
      await tx
        .insertInto('gov_procurement_decision_maker')
        .values(
          rows.map((r) => ({
            procurement_id: p.id,
            person_id: r.person_id,
            conflict: r.conflict,
            managed: r.managed,
          })),
        )
        .execute();
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'gov_procurement.decision_makers_set',
        entityType: 'gov_procurement',
        entityId: String(p.id),
        organisationId: group.id,
        before,
        after: rows.map((r) => ({ name: r.name, conflict: r.conflict, managed: r.managed })),
      },
      clock,
    );
  });
}

// ---- reading ---------------------------------------------------------------------------------

/** Every procurement of the group with its status on `today`, newest decision first. */
export async function procurementRegister(db: Db, group: Group, today: string) {
  const rows = await db
    .selectFrom('gov_procurement')
    .selectAll()
    .where('group_id', '=', group.id)
    .orderBy('decided_on', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return {
    procurements: rows.map((r) => summaryOf(r, today)),
    illustrative: rows.some((r) => r.illustrative),
  };
}

type Row = Awaited<ReturnType<typeof procurementOf>>;

const summaryOf = (r: Row, today: string) => {
  const route = r.route;
  const s = standstillFor(route, r.intention_notice_on);
  return {
    id: r.id,
    title: r.title,
    service: r.service,
    route,
    routeLabel: routeInfo[route].label,
    valuePence: BigInt(r.value_pence),
    contractStartsOn: r.contract_starts_on,
    contractEndsOn: r.contract_ends_on,
    awardedTo: r.awarded_to,
    awardedToCode: r.awarded_to_code,
    decidedOn: r.decided_on,
    decidedBy: r.decided_by,
    rationale: r.rationale,
    itemId: r.item_id,
    intentionNoticeOn: r.intention_notice_on,
    awardNoticeOn: r.award_notice_on,
    standstill: s,
    status: procurementStatus(
      {
        route,
        awardedTo: r.awarded_to,
        decidedOn: r.decided_on,
        intentionNoticeOn: r.intention_notice_on,
        awardNoticeOn: r.award_notice_on,
      },
      today,
    ),
    illustrative: r.illustrative,
    recordedBy: r.recorded_by,
  };
};

/** One procurement in full: criteria, bidders ranked by weighted score, decision-makers, standstill. */
export async function procurementView(db: Db, group: Group, idText: string, today: string) {
  const r = await procurementOf(db, group, idText);
  const criteria = await db
    .selectFrom('gov_procurement_criterion')
    .select(['position', 'name', 'weight'])
    .where('procurement_id', '=', r.id)
    .orderBy('position')
    .execute();
  const bidderRows = await bidderNames(db, r.id);
  const scoreRows = bidderRows.length
    ? await db
        .selectFrom('gov_procurement_score')
        .select(['bidder_id', 'position', 'score'])
        .where(
          'bidder_id',
          'in',
          bidderRows.map((b) => b.id),
        )
        .execute()
    : [];
  const bidders = bidderRows.map((b) => ({
    id: b.id,
    name: b.name,
    code: b.organisation_code,
    scores: criteria.map(
      (c) =>
        scoreRows.find((s) => s.bidder_id === b.id && s.position === c.position)?.score ?? null,
    ),
  }));
  const ranked = rankBidders(
    criteria.map((c) => c.weight),
    bidders,
  ).map((x) => ({
    ...x.bidder,
    total: x.total,
    rank: x.rank,
    awardee:
      r.awarded_to !== null &&
      (x.bidder.name.toLowerCase() === r.awarded_to.toLowerCase() ||
        (r.awarded_to_code !== null && x.bidder.code === r.awarded_to_code)),
  }));
  const decisionMakers = await db
    .selectFrom('gov_procurement_decision_maker')
    .innerJoin('gov_person', 'gov_person.id', 'gov_procurement_decision_maker.person_id')
    .select([
      'gov_person.id as personId',
      'gov_person.name',
      'gov_procurement_decision_maker.conflict',
      'gov_procurement_decision_maker.managed',
    ])
    .where('procurement_id', '=', r.id)
    .orderBy('gov_person.name')
    .execute();
  const item = r.item_id
    ? await db
        .selectFrom('gov_agenda_item')
        .innerJoin('gov_meeting', 'gov_meeting.id', 'gov_agenda_item.meeting_id')
        .innerJoin('gov_committee', 'gov_committee.id', 'gov_meeting.committee_id')
        .select([
          'gov_agenda_item.title as item',
          'gov_meeting.id as meetingId',
          'gov_meeting.title as meeting',
          'gov_meeting.held_on as heldOn',
          'gov_committee.name as committee',
        ])
        .where('gov_agenda_item.id', '=', r.item_id)
        .executeTakeFirst()
    : undefined;
  return {
    ...summaryOf(r, today),
    criteria,
    weightsTotal: criteria.reduce((a, c) => a + c.weight, 0),
    bidders: ranked,
    decisionMakers,
    item: item ?? null,
    routeInfo: routeInfo[r.route],
    /** Set when bidders' names and scores are withheld from the user reading it (see withheldFrom). */
    scoresWithheld: null as ScoresWithheld | null,
  };
}

export interface ScoresWithheld {
  reason: string;
  providersEvaluated: number;
}

export type ProcurementView = Awaited<ReturnType<typeof procurementView>>;

/**
 * Likely conflicts for the decision-makers form: each person's interests current on the decision day
 * (or today) whose counterpart is a bidder or the awardee, by ODS code or name.
 */
export async function likelyConflictsFor(db: Db, group: Group, v: ProcurementView, today: string) {
  const register = await registerOfInterests(db, group, today);
  const onDay = v.decidedOn ?? today;
  const interests = register.interests
    .filter((i) => i.aroseOn <= onDay && (i.endedOn === null || i.endedOn >= onDay))
    .map((i) => ({
      personId: i.personId,
      counterpart: i.counterpart,
      counterpartCode: i.counterpartCode,
      description: i.description,
    }));
  return {
    people: register.people.map((p) => ({ id: p.id, name: p.name })),
    conflicts: likelyProcurementConflicts(partiesOf(v), interests),
  };
}

/** The bidders and the awardee of a procurement, the awardee marked. */
const partiesOf = (v: ProcurementView) => [
  ...v.bidders.map((b) => ({ name: b.name, code: b.code, awardee: b.awardee })),
  ...(v.awardedTo ? [{ name: v.awardedTo, code: v.awardedToCode, awardee: true }] : []),
];

/** A text with every bidder not awarded named only as "another provider evaluated". */
const unnamed = (v: ProcurementView, text: string | null) =>
  text === null
    ? null
    : withoutLosingBidders(
        text,
        v.bidders,
        v.awardedTo ? { name: v.awardedTo, code: v.awardedToCode } : null,
      );

export const scoresWithheldReason =
  'The bidders’ names, scores, totals and ranking are withheld because you declared an interest in a provider evaluated in this procurement (a current interest in the register of interests). Another officer keeps this part of the record.';

/**
 * For the signed-in user: a function telling, for a procurement, the declared interests of the user's
 * own person in the register (if any) in one of its bidders or its awardee, held at any time from the
 * decision (or today, if not decided) to today. Such a user may not see the bids.
 */
export async function conflictsOfUser(
  db: Db,
  group: Group,
  principal: Principal | undefined,
  today: string,
): Promise<(v: ProcurementView) => string[]> {
  const me = principal ? await personOfUser(db, group, principal.userId) : undefined;
  if (!me) return () => [];
  const register = await registerOfInterests(db, group, today);
  const mine = register.interests.filter((i) => i.personId === me.id && i.aroseOn <= today);
  if (!mine.length) return () => [];
  return (v) => {
    const from = v.decidedOn && v.decidedOn < today ? v.decidedOn : today;
    const held = mine
      .filter((i) => i.endedOn === null || i.endedOn >= from)
      .map((i) => ({
        personId: i.personId,
        counterpart: i.counterpart,
        counterpartCode: i.counterpartCode,
        description: i.description,
      }));
    return likelyProcurementConflicts(partiesOf(v), held).get(me.id) ?? [];
  };
}

/**
 * The procurement as a conflicted user may see it: no bidders (names, scores, totals, ranking) and no
 * name of a bidder not awarded in the rationale or the decision-makers' conflicts, as published.
 */
export const withheldView = (v: ProcurementView): ProcurementView => ({
  ...v,
  rationale: unnamed(v, v.rationale),
  bidders: [],
  decisionMakers: v.decisionMakers.map((d) => ({
    ...d,
    conflict: unnamed(v, d.conflict),
    managed: unnamed(v, d.managed),
  })),
  scoresWithheld: { reason: scoresWithheldReason, providersEvaluated: v.bidders.length },
});

async function auditWithheld(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  ids: number[],
  clock: Clock,
) {
  await audit(
    db,
    userActor(principal, clientAddress),
    {
      action: 'gov_procurement.scores_withheld',
      entityType: 'gov_procurement',
      entityId: ids.length === 1 ? String(ids[0]) : undefined,
      organisationId: group.id,
      after: {
        procurements: ids,
        reason: 'declared an interest in a provider evaluated',
      },
    },
    clock,
  );
}

/**
 * One procurement in full for the signed-in user: with the bids withheld (and that audited) when the
 * user declared an interest in one of its bidders or its awardee.
 */
export async function procurementForUser(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  idText: string,
  today: string,
  clock: Clock = systemClock,
): Promise<ProcurementView> {
  const v = await procurementView(db, group, idText, today);
  const conflicts = (await conflictsOfUser(db, group, principal, today))(v);
  if (!conflicts.length) return v;
  await auditWithheld(db, principal, clientAddress, group, [v.id], clock);
  return withheldView(v);
}

/** Refuses (403, audited) a change to a procurement by someone who declared an interest in it. */
async function refuseIfConflicted(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  id: number,
  what: string,
  clock: Clock,
) {
  const today = isoDate(clock());
  const v = await procurementView(db, group, String(id), today);
  const conflicts = (await conflictsOfUser(db, group, principal, today))(v);
  if (!conflicts.length) return;
  await audit(
    db,
    userActor(principal, clientAddress),
    {
      action: 'gov_procurement.conflict_refused',
      entityType: 'gov_procurement',
      entityId: String(id),
      organisationId: group.id,
      after: { reason: `declared an interest in a provider evaluated; tried to ${what}` },
    },
    clock,
  );
  throw new AppError(
    'forbidden',
    `You declared an interest in a provider evaluated in this procurement, so you may not ${what}: the bids are withheld from you. Another of ${group.name}'s administrators, governing body or contracts officers must record it.`,
  );
}

/** What the regulations require published: never bidders' scores, losing bidders or contact details. */
export const publicProcurement = (v: ProcurementView) => {
  const awardee = v.bidders.find((b) => b.awardee);
  return {
    id: v.id,
    title: v.title,
    service: v.service,
    route: v.route,
    routeLabel: v.routeLabel,
    valuePence: v.valuePence,
    contractStartsOn: v.contractStartsOn,
    contractEndsOn: v.contractEndsOn,
    status: v.status.text,
    awardedTo: v.awardedTo,
    awardedToCode: v.awardedToCode,
    decidedOn: v.decidedOn,
    decidedBy: unnamed(v, v.decidedBy),
    rationale: unnamed(v, v.rationale),
    decidedAt: v.item
      ? { meeting: v.item.meeting, heldOn: v.item.heldOn, item: v.item.item }
      : null,
    intentionNoticeOn: v.intentionNoticeOn,
    awardNoticeOn: v.awardNoticeOn,
    standstill: v.standstill,
    criteria: v.criteria.map((c) => ({ name: c.name, weight: c.weight })),
    providersEvaluated: v.bidders.length,
    awardeeWeightedScore: awardee?.total ?? null,
    decisionMakers: v.decisionMakers.map((d) => ({
      name: d.name,
      conflict: unnamed(v, d.conflict),
      managed: unnamed(v, d.managed),
    })),
    illustrative: v.illustrative,
  };
};

/** The published register: every procurement as the public may see it. */
export async function publishedProcurements(db: Db, group: Group, today: string) {
  const r = await procurementRegister(db, group, today);
  const views = [];
  for (const p of r.procurements)
    views.push(publicProcurement(await procurementView(db, group, String(p.id), today)));
  return { procurements: views, illustrative: r.illustrative };
}

/**
 * The full register with criteria, ranked scores and decision-makers (for the officers' API and CSV),
 * with the bids withheld from the signed-in user where they declared an interest (audited once).
 */
export async function fullProcurements(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  today: string,
  clock: Clock = systemClock,
) {
  const r = await procurementRegister(db, group, today);
  const conflictsIn = await conflictsOfUser(db, group, principal, today);
  const views = [];
  const withheld: number[] = [];
  for (const p of r.procurements) {
    const v = await procurementView(db, group, String(p.id), today);
    if (conflictsIn(v).length) {
      withheld.push(v.id);
      views.push(withheldView(v));
    } else views.push(v);
  }
  if (withheld.length) await auditWithheld(db, principal, clientAddress, group, withheld, clock);
  return { procurements: views, illustrative: r.illustrative };
}

/** The group's agenda items that could record a procurement decision, newest meeting first. */
export const decisionItems = (db: Db, group: Group) =>
  db
    .selectFrom('gov_agenda_item')
    .innerJoin('gov_meeting', 'gov_meeting.id', 'gov_agenda_item.meeting_id')
    .innerJoin('gov_committee', 'gov_committee.id', 'gov_meeting.committee_id')
    .select([
      'gov_agenda_item.id',
      'gov_agenda_item.title',
      'gov_meeting.held_on',
      'gov_committee.name as committee',
    ])
    .where('gov_committee.group_id', '=', group.id)
    .where('gov_agenda_item.for_decision', '=', true)
    .orderBy('gov_meeting.held_on', 'desc')
    .orderBy('gov_agenda_item.position')
    .execute();
