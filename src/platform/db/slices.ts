// Reading many rows of the embedded database without holding up the pages.
import { sql } from 'kysely';
import type { Db } from './schema.js';

/** How many ids one slice reads. */
const SLICE = 500;

/**
 * `read` over `ids` a slice at a time, letting the server answer requests between slices: on the
 * embedded database each query runs on the server's own thread, and one query over the whole
 * register of practices held every page up for a quarter of a second. Results keep the slices' order.
 */
export async function readInSlices<T>(
  ids: readonly number[],
  read: (slice: readonly number[]) => Promise<readonly T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (let from = 0; from < ids.length; from += SLICE) {
    if (from > 0) await new Promise((resolve) => setImmediate(resolve));
    out.push(...(await read(ids.slice(from, from + SLICE))));
  }
  return out;
}

/** Every practice's id in the organisation register, in order (to read them in slices). */
export const practiceIds = async (db: Db): Promise<number[]> =>
  (
    await sql<{
      id: number;
    }>`SELECT id FROM organisation WHERE type = 'practice' ORDER BY id`.execute(db)
  ).rows.map((r) => r.id);
