// A cache of computed results that lasts until the published data changes (a new import is logged).
import { sql } from 'kysely';
import { systemClock, type Clock } from '../clock.js';
import type { Db } from './schema.js';

/** Which imports a cached result depends on: by default every one; `ignoring` names kinds it never reads. */
export interface CacheScope {
  /** Kinds of import (the imports log's `kind`) whose data the result never reads. */
  ignoring?: readonly string[];
}

export interface DataCache {
  /**
   * The result of `compute` for `key`, computed once per data version within `scope` (concurrent
   * callers share it).
   */
  memo<T>(key: string, compute: () => Promise<T>, scope?: CacheScope): Promise<T>;
  /** The data version within `scope` (the number of complete imports of the kinds it reads). */
  version(scope?: CacheScope): Promise<number>;
}

/**
 * Imports are the only writers of the data behind group and practice pages, and each completes one
 * row of the never-emptied imports log when its data becomes visible, so the number of complete rows
 * (of the kinds a result reads) is a version number for it (the newest id would not be: ids are
 * taken when an import starts, not when it commits). The counts are re-read at most every `ttlMs`
 * (other instances' imports show within that time). A result is kept with the version it was
 * computed at, so an import of prescribing (twelve of them while the demo loads) leaves the pages
 * that never read prescribing as they are.
 */
export function createDataCache(
  db: Db,
  {
    ttlMs = 1000,
    maxEntries = 5000,
    clock = systemClock,
  }: { ttlMs?: number; maxEntries?: number; clock?: Clock } = {},
): DataCache {
  let counts: ReadonlyMap<string, number> | undefined;
  let checkedAt = -Infinity;
  let checking: Promise<ReadonlyMap<string, number>> | undefined;
  const entries = new Map<
    string,
    { version: number; scope: CacheScope; value: Promise<unknown> }
  >();

  const versionIn = (all: ReadonlyMap<string, number>, scope: CacheScope) => {
    let total = 0;
    for (const [kind, n] of all) if (!scope.ignoring?.includes(kind)) total += n;
    return total;
  };

  async function currentCounts(): Promise<ReadonlyMap<string, number>> {
    const now = clock().getTime();
    if (counts !== undefined && now - checkedAt < ttlMs) return counts;
    checking ??= sql<{ kind: string; n: number }>`
      SELECT kind, count(*)::int AS n FROM import_log WHERE state = 'complete' GROUP BY kind`
      .execute(db)
      .then((r) => new Map(r.rows.map((row) => [row.kind, row.n])))
      .finally(() => (checking = undefined));
    const latest = await checking;
    // Results of an older version are let go at once, not when next asked for.
    if (counts && [...latest].some(([kind, n]) => counts!.get(kind) !== n))
      for (const [key, entry] of entries)
        if (versionIn(latest, entry.scope) !== entry.version) entries.delete(key);
    counts = latest;
    checkedAt = now;
    return latest;
  }

  const version = async (scope: CacheScope = {}) => versionIn(await currentCounts(), scope);

  return {
    version,
    async memo<T>(key: string, compute: () => Promise<T>, scope: CacheScope = {}): Promise<T> {
      const now = await version(scope);
      const found = entries.get(key);
      if (found?.version === now) return found.value as Promise<T>;
      if (entries.size >= maxEntries) entries.clear();
      const value = compute().catch((error: unknown) => {
        if (entries.get(key)?.value === value) entries.delete(key); // errors are not cached
        throw error;
      });
      entries.set(key, { version: now, scope, value });
      return value;
    },
  };
}

/**
 * The same cache for results that never read the named kinds of import: imports of those kinds leave
 * them cached (e.g. the twelve months of demo prescribing, loaded while the site is in use).
 */
export function ignoringImports(cache: DataCache, kinds: readonly string[]): DataCache {
  const scope: CacheScope = { ignoring: kinds };
  return {
    memo: (key, compute, s) => cache.memo(key, compute, s ?? scope),
    version: (s) => cache.version(s ?? scope),
  };
}
