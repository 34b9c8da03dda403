// SQL for learning pairs.
import { sql } from 'kysely';
import type { Db } from '../platform/db/schema.js';
import type { PairStatus } from './learning-pair.table.js';

export interface PairRow {
  id: number;
  point_of_delivery: string;
  treatment_function: string;
  high_code: string;
  high_name: string;
  low_code: string;
  low_name: string;
  period: string;
  high_ratio: string;
  low_ratio: string;
  status: PairStatus;
  follow_up_on: string | null;
  notes: string | null;
  created_by_name: string;
  created_at: Date;
  updated_at: Date;
}

export async function listPairs(db: Db, groupId: number): Promise<PairRow[]> {
  const result = await sql<PairRow>`
    SELECT lp.id, lp.point_of_delivery, lp.treatment_function, h.code AS high_code, h.name AS high_name,
           l.code AS low_code, l.name AS low_name, lp.period, lp.high_ratio::text AS high_ratio,
           lp.low_ratio::text AS low_ratio, lp.status, lp.follow_up_on::text AS follow_up_on, lp.notes,
           u.display_name AS created_by_name, lp.created_at, lp.updated_at
    FROM learning_pair lp
    JOIN organisation h ON h.id = lp.high_practice_id
    JOIN organisation l ON l.id = lp.low_practice_id
    JOIN app_user u ON u.id = lp.created_by
    WHERE lp.group_id = ${groupId}
    ORDER BY lp.updated_at DESC, lp.id DESC`.execute(db);
  return result.rows;
}

export function findPair(db: Db, groupId: number, id: number) {
  return db
    .selectFrom('learning_pair')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface NewPair {
  group_id: number;
  point_of_delivery: string;
  treatment_function: string;
  high_practice_id: number;
  low_practice_id: number;
  period: string;
  high_ratio: string;
  low_ratio: string;
  follow_up_on: string | null;
  notes: string | null;
  created_by: number;
  at: Date;
}

export async function insertPair(db: Db, pair: NewPair) {
  const { at, ...values } = pair;
  return db
    .insertInto('learning_pair')
    .values({ ...values, status: 'proposed', created_at: at, updated_at: at })
    .onConflict((oc) =>
      oc
        .columns([
          'group_id',
          'point_of_delivery',
          'treatment_function',
          'high_practice_id',
          'low_practice_id',
        ])
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
}

export async function updatePair(
  db: Db,
  id: number,
  change: { status: PairStatus; follow_up_on: string | null; notes: string | null; at: Date },
) {
  await db
    .updateTable('learning_pair')
    .set({
      status: change.status,
      follow_up_on: change.follow_up_on,
      notes: change.notes,
      updated_at: change.at,
    })
    .where('id', '=', id)
    .execute();
}
