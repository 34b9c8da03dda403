// Learning pairs: suggest similar low-referring practices for each high outlier, and record the pairing.
import type { Group } from '../organisations/group.service.js';
import { audit, userActor } from '../platform/audit/audit.service.js';
import type { Principal } from '../platform/auth/principal.js';
import { isRealDate } from '../platform/imports/fields.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, type FieldProblem } from '../platform/errors.js';
import { deprivationFor } from '../population/population.repository.js';
import { specialtyName } from './activity.js';
import { pairStatuses, type PairStatus } from './learning-pair.table.js';
import { findPair, insertPair, listPairs, updatePair } from './learning-pair.repository.js';
import type { IsrCell, StandardisedGrid } from './practice-variation.service.js';

export const MAX_SUGGESTIONS = 3;

export interface PairCandidate {
  code: string;
  name: string;
  listSize: number;
  imdDecile: number | null;
  ratio: number;
  signal: IsrCell['signal'];
  /** Smaller is more alike: |ln(list size ratio)| + |IMD decile difference| ÷ 5. */
  distance: number;
}

export interface PairSuggestion {
  specialty: string;
  specialtyName: string;
  high: { code: string; name: string; listSize: number; imdDecile: number | null; cell: IsrCell };
  candidates: PairCandidate[];
}

/** May this user record and follow up pairings for the group? Clinical leads and admins of it. */
export function canRecordPairs(principal: Principal | undefined, group: Group): boolean {
  return (principal?.grants ?? []).some(
    (g) => g.organisationId === group.id && (g.role === 'clinical_lead' || g.role === 'admin'),
  );
}

/**
 * For every practice beyond the 99.8% funnel limit on the high side in a specialty: up to three
 * practices referring below the group average in that specialty, most alike in list size and
 * deprivation first (significantly low ones first among equals).
 */
export async function pairSuggestions(db: Db, grid: StandardisedGrid): Promise<PairSuggestion[]> {
  const ids = await practiceIds(db, grid);
  const deprivation = new Map(
    (await deprivationFor(db, [...ids.values()], 2019)).map((d) => [
      d.practice_id,
      d.national_decile,
    ]),
  );
  const decileOf = (code: string) => deprivation.get(ids.get(code) ?? -1) ?? null;
  const suggestions: PairSuggestion[] = [];
  for (const specialty of grid.specialties) {
    for (const row of grid.rows) {
      const cell = row.cells[specialty.code];
      if (!cell || cell.signal !== 'high-99.8') continue;
      const highDecile = decileOf(row.code);
      const candidates = grid.rows
        .filter((other) => other.code !== row.code)
        .map((other) => ({ other, cell: other.cells[specialty.code] }))
        .filter(({ cell: c }) => c && c.ratio !== null && c.ratio < 100)
        .map(({ other, cell: c }) => {
          const decile = decileOf(other.code);
          const deprivationGap =
            decile === null || highDecile === null ? 0.5 : Math.abs(decile - highDecile) / 5;
          return {
            code: other.code,
            name: other.name,
            listSize: other.listSize,
            imdDecile: decile,
            ratio: c!.ratio!,
            signal: c!.signal,
            distance: Math.abs(Math.log(other.listSize / row.listSize)) + deprivationGap,
          };
        })
        .sort(
          (a, b) =>
            a.distance - b.distance ||
            Number(b.signal.startsWith('low')) - Number(a.signal.startsWith('low')) ||
            a.ratio - b.ratio,
        )
        .slice(0, MAX_SUGGESTIONS);
      suggestions.push({
        specialty: specialty.code,
        specialtyName: specialty.name,
        high: {
          code: row.code,
          name: row.name,
          listSize: row.listSize,
          imdDecile: highDecile,
          cell,
        },
        candidates,
      });
    }
  }
  return suggestions.sort((a, b) => (b.high.cell.ratio ?? 0) - (a.high.cell.ratio ?? 0));
}

async function practiceIds(db: Db, grid: StandardisedGrid) {
  const rows = await db
    .selectFrom('organisation')
    .select(['id', 'code'])
    .where('type', '=', 'practice')
    .where(
      'code',
      'in',
      grid.rows.map((r) => r.code),
    )
    .execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}

export const listGroupPairs = (db: Db, group: Group) => listPairs(db, group.id);

export interface PairInput {
  high: string;
  low: string;
  specialty: string;
  followUpOn: string;
  notes: string;
}

function checkFollowUp(followUpOn: string, notes: string, problems: FieldProblem[]) {
  if (followUpOn && !(/^\d{4}-\d{2}-\d{2}$/.test(followUpOn) && isRealDate(followUpOn))) {
    problems.push({
      field: 'followUpOn',
      message: 'Enter the follow-up date as a real date, for example 2020-06-30',
    });
  }
  if (notes.length > 2000) {
    problems.push({ field: 'notes', message: 'Notes must be 2,000 characters or fewer' });
  }
}

/** Records a pairing from a suggestion; the high practice must still be a high outlier. */
export async function recordPair(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  grid: StandardisedGrid,
  input: PairInput,
  clock: Clock = systemClock,
) {
  if (!canRecordPairs(principal, group)) {
    throw new AppError(
      'forbidden',
      `Only clinical leads of ${group.name} can record learning pairs`,
    );
  }
  const problems: FieldProblem[] = [];
  const high = grid.rows.find((r) => r.code === input.high);
  const low = grid.rows.find((r) => r.code === input.low);
  const highCell = high?.cells[input.specialty];
  const lowCell = low?.cells[input.specialty];
  if (!grid.specialties.some((s) => s.code === input.specialty)) {
    problems.push({ field: 'specialty', message: 'Choose a specialty shown on this page' });
  } else if (!high || !highCell || highCell.signal !== 'high-99.8') {
    problems.push({
      field: 'high',
      message: `${input.high || 'That practice'} is not a high outlier in ${specialtyName(input.specialty)}`,
    });
  } else if (!low || !lowCell || lowCell.ratio === null || lowCell.ratio >= 100) {
    problems.push({
      field: 'low',
      message: `${input.low || 'That practice'} does not refer below the group average in ${specialtyName(input.specialty)}`,
    });
  }
  checkFollowUp(input.followUpOn, input.notes, problems);
  if (problems.length)
    throw new AppError('invalid_input', 'The pairing could not be recorded', problems);
  const ids = await practiceIds(db, grid);
  const at = clock();
  return db.transaction().execute(async (tx) => {
    const created = await insertPair(tx, {
      group_id: group.id,
      point_of_delivery: grid.pointOfDelivery,
      treatment_function: input.specialty,
      high_practice_id: ids.get(input.high)!,
      low_practice_id: ids.get(input.low)!,
      period: grid.period,
      high_ratio: highCell!.ratio!.toFixed(1),
      low_ratio: lowCell!.ratio!.toFixed(1),
      follow_up_on: input.followUpOn || null,
      notes: input.notes || null,
      created_by: principal.userId,
      at,
    });
    if (!created) {
      throw new AppError(
        'conflict',
        `${high!.name} and ${low!.name} are already paired for ${specialtyName(input.specialty)}`,
      );
    }
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'learning_pair.created',
        entityType: 'learning_pair',
        entityId: String(created.id),
        organisationId: group.id,
        after: {
          ...input,
          pointOfDelivery: grid.pointOfDelivery,
          period: grid.period,
          highRatio: highCell!.ratio,
          lowRatio: lowCell!.ratio,
        },
      },
      clock,
    );
    return created.id;
  });
}

export interface FollowUpInput {
  status: string;
  followUpOn: string;
  notes: string;
}

/** Records how a pairing is going: its status, next follow-up date and notes (audited, before and after). */
export async function followUpPair(
  db: Db,
  principal: Principal,
  clientAddress: string | null,
  group: Group,
  id: number,
  input: FollowUpInput,
  clock: Clock = systemClock,
) {
  if (!canRecordPairs(principal, group)) {
    throw new AppError(
      'forbidden',
      `Only clinical leads of ${group.name} can follow up learning pairs`,
    );
  }
  const problems: FieldProblem[] = [];
  if (!(pairStatuses as readonly string[]).includes(input.status)) {
    problems.push({ field: 'status', message: `Choose a status: ${pairStatuses.join(', ')}` });
  }
  checkFollowUp(input.followUpOn, input.notes, problems);
  if (problems.length)
    throw new AppError('invalid_input', 'The follow-up could not be saved', problems);
  await db.transaction().execute(async (tx) => {
    const before = await findPair(tx, group.id, id);
    if (!before)
      throw new AppError('not_found', `There is no learning pair ${id} in ${group.name}`);
    const change = {
      status: input.status as PairStatus,
      follow_up_on: input.followUpOn || null,
      notes: input.notes || null,
      at: clock(),
    };
    await updatePair(tx, id, change);
    await audit(
      tx,
      userActor(principal, clientAddress),
      {
        action: 'learning_pair.updated',
        entityType: 'learning_pair',
        entityId: String(id),
        organisationId: group.id,
        before: { status: before.status, followUpOn: before.follow_up_on, notes: before.notes },
        after: { status: change.status, followUpOn: change.follow_up_on, notes: change.notes },
      },
      clock,
    );
  });
}
