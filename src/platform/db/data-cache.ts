// A cache of computed results that lasts until the published data changes (a new import is logged).
import { sql } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import type { Db } from './schema.js';

export interface DataCache {
  /** The result of `compute` for `key`, computed once per data version (concurrent callers share it). */
  memo<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** The data version the cached results belong to (the number of complete imports). */
  version(): Promise<number>;
}

/**
 * Imports are the only writers of the data behind group and practice pages, and each completes one
 * row of the never-emptied imports log when its data becomes visible, so the number of complete rows
 * is a version number for all of it (the newest id would not be: ids are taken when an import
 * starts, not when it commits). The version is re-read at most every `ttlMs` (other instances'
 * imports show within that time); a change empties the cache.
 */
export function createDataCache(
  db: Db,
  {
    ttlMs = 1000,
    maxEntries = 5000,
    clock = systemClock,
  }: { ttlMs?: number; maxEntries?: number; clock?: Clock } = {},
): DataCache {
  let version: number | undefined;
  let checkedAt = -Infinity;
  let checking: Promise<number> | undefined;
  const entries = new Map<string, Promise<unknown>>();

  async function currentVersion(): Promise<number> {
    const now = clock().getTime();
    if (version !== undefined && now - checkedAt < ttlMs) return version;
    checking ??= sql<{
      v: number;
    }>`SELECT count(*)::int AS v FROM import_log WHERE state = 'complete'`
      .execute(db)
      .then((r) => r.rows[0]!.v)
      .finally(() => (checking = undefined));
    const latest = await checking;
    if (latest !== version) entries.clear();
    version = latest;
    checkedAt = now;
    return latest;
  }

  return {
    version: currentVersion,
    async memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
      await currentVersion();
      const found = entries.get(key);
      if (found) return found as Promise<T>;
      if (entries.size >= maxEntries) entries.clear();
      const pending = compute().catch((error: unknown) => {
        entries.delete(key); // errors are not cached
        throw error;
      });
      entries.set(key, pending);
      return pending;
    },
  };
}
