// Governance reads served from the data cache while nothing in the group's governance has changed.
// Every governance write is audited against the group, so the number of the group's audit events is a
// version of its records (a count, not the newest id: ids are taken before commit). The minute is in
// the key too, as what is public moves with the clock (a vote's deadline, a meeting's day, an interest
// six months after it ended).
import type { MiddlewareHandler } from 'hono';
import { sql } from 'kysely';
import type { Group } from '../organisations/group.service.js';
import type { Clock } from '../platform/clock.js';
import type { DataCache } from '../platform/db/data-cache.js';
import type { Db } from '../platform/db/schema.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { CachedBody, sendCached } from '../platform/http/cached-body.js';
import { pageCacheKey } from '../platform/http/pages.js';

export type GovernanceCache = ReturnType<typeof createGovernanceCache>;

/** Governance changes made through this process so far (form posts to a group's governance pages). */
let localChanges = 0;
/** Counts being read now, by database and group, with the number of local changes when asked. */
const counting = new WeakMap<Db, Map<number, { changes: number; count: Promise<number> }>>();

/**
 * The version of a group's governance records: the number of audit events about the group. Requests
 * that arrive while the count is being read share that reading (50 at once no longer queue 50
 * queries on the embedded database's one connection), unless a change was posted here since it was
 * asked for: after a change, the next page is always read afresh.
 */
function recordsVersion(db: Db, groupId: number): Promise<number> {
  let byGroup = counting.get(db);
  if (!byGroup) counting.set(db, (byGroup = new Map()));
  const asked = byGroup.get(groupId);
  if (asked && asked.changes === localChanges) return asked.count;
  const entry = {
    changes: localChanges,
    count: sql<{ n: number }>`
      SELECT count(*)::int AS n FROM audit_event WHERE organisation_id = ${groupId}`
      .execute(db)
      .then((r) => r.rows[0]?.n ?? 0)
      .finally(() => {
        if (byGroup.get(groupId) === entry) byGroup.delete(groupId);
      }),
  };
  byGroup.set(groupId, entry);
  return entry.count;
}

const minuteOf = (clock: Clock) => Math.floor(clock().getTime() / 60_000);

export function createGovernanceCache(db: Db, cache: DataCache, clock: Clock) {
  return {
    /** `compute`'s result for this group and `name`, shared until the group's records or the minute change. */
    async memo<T>(group: Group, name: string, compute: () => Promise<T>): Promise<T> {
      return cache.memo(
        `gov|${group.id}|${name}|${minuteOf(clock)}|${await recordsVersion(db, group.id)}`,
        compute,
      );
    },
  };
}

/** Stands for the browser's CSRF token in a kept page, so that one copy serves all of a user's browsers. */
const TOKEN_PLACEHOLDER = '\u0000csrf\u0000';

/**
 * Keeps the HTML of the group's governance pages (GET, answered 200) for each user as they see them,
 * until the group's records, the published data or the minute change: rendering a register or the
 * people page costs 5–10 ms, which under 50 concurrent users queued every request behind it.
 * The key names the user and their roles, so a page is only ever served again to whoever the route
 * let see it. At most `maxEntries` pages are kept, the least recently used going first.
 */
export function cacheGovernancePages(
  db: Db,
  cache: DataCache,
  clock: Clock,
  groupId: (code: string) => Promise<number | null>,
  { maxEntries = 200 } = {},
): MiddlewareHandler<AppEnv> {
  /** A kept page: its HTML, or (with no form token in it) the body as sent, compressed once. */
  const pages = new Map<string, string | CachedBody>();
  /** Pages being rendered now: a burst of requests for one page waits for one rendering. */
  const rendering = new Map<string, Promise<void>>();
  return async (c, next) => {
    if (c.req.method !== 'GET') {
      // A form post may change the records: counts being read from before it are not shared after.
      try {
        return await next();
      } finally {
        localChanges += 1;
      }
    }
    // Only pages are kept: CSV downloads go straight to their route.
    if (c.req.path.endsWith('.csv')) return next();
    const id = await groupId(c.req.param('code') ?? '');
    if (id === null) return next();
    const key = [
      minuteOf(clock),
      await cache.version(),
      await recordsVersion(db, id),
      pageCacheKey(c),
    ].join('|');
    const token = c.get('csrfToken') ?? '';
    await rendering.get(key);
    const kept = pages.get(key);
    if (kept !== undefined) {
      pages.delete(key); // most recently used last
      pages.set(key, kept);
      if (kept instanceof CachedBody) return sendCached(c, kept);
      return c.html(kept.replaceAll(TOKEN_PLACEHOLDER, token));
    }
    let done!: () => void;
    rendering.set(key, new Promise((resolve) => (done = resolve)));
    try {
      await next();
      if (c.res.status !== 200 || !c.res.headers.get('content-type')?.startsWith('text/html'))
        return;
      const html = await c.res.clone().text();
      if (pages.size >= maxEntries) pages.delete(pages.keys().next().value!);
      const kept = token ? html.replaceAll(token, TOKEN_PLACEHOLDER) : html;
      // A page without a form (the public pages) is the same bytes for every browser: kept compressed.
      pages.set(key, kept.includes(TOKEN_PLACEHOLDER) ? kept : CachedBody.html(kept));
    } finally {
      rendering.delete(key);
      done();
    }
  };
}
