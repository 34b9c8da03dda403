// Governance reads served from the data cache while nothing in the group's governance has changed.
// Every governance write is audited against the group, so the number of the group's audit events is a
// version of its records (a count, not the newest id: ids are taken before commit). The minute is in
// the key too, as what is public moves with the clock (a vote's deadline, a meeting's day, an interest
// six months after it ended).
import { sql } from 'kysely';
import type { Group } from '../organisations/group.service.js';
import type { Clock } from '../platform/clock.js';
import type { DataCache } from '../platform/db/data-cache.js';
import type { Db } from '../platform/db/schema.js';

export type GovernanceCache = ReturnType<typeof createGovernanceCache>;

export function createGovernanceCache(db: Db, cache: DataCache, clock: Clock) {
  const version = async (group: Group) =>
    (
      await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM audit_event WHERE organisation_id = ${group.id}`.execute(db)
    ).rows[0]?.n ?? 0;
  return {
    /** `compute`'s result for this group and `name`, shared until the group's records or the minute change. */
    async memo<T>(group: Group, name: string, compute: () => Promise<T>): Promise<T> {
      const minute = Math.floor(clock().getTime() / 60_000);
      return cache.memo(`gov|${group.id}|${name}|${minute}|${await version(group)}`, compute);
    },
  };
}
