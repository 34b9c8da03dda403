// Finding the group in a URL and checking who may see it: shared by every area's group pages.
import type { Context } from 'hono';
import { canReadGroup } from '../platform/auth/principal.js';
import { isoDate, type Clock } from '../platform/clock.js';
import type { DataCache } from '../platform/db/data-cache.js';
import type { Db } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { CachedBody, sendCached } from '../platform/http/cached-body.js';
import { pageCacheKey, type PageRenderer } from '../platform/http/pages.js';
import { groupAncestorIds } from './group.repository.js';
import { requireGroup, type Group } from './group.service.js';

export interface GroupAccessDeps {
  db: Db;
  clock: Clock;
  page: PageRenderer;
  cache: DataCache;
}

export type GroupAccess = ReturnType<typeof createGroupAccess>;

export function createGroupAccess({ db, clock, page, cache }: GroupAccessDeps) {
  const today = () => isoDate(clock());
  // Everything here depends only on imported data (and today's date), so it is cached per data version.
  const groupByCode = (code: string) =>
    cache.memo(`group|${code.toUpperCase()}|${today()}`, () => requireGroup(db, code, today()));
  const ancestors = (g: Group) =>
    cache.memo(`ancestors|${g.id}|${g.as_at}`, () => groupAncestorIds(db, g.id, g.as_at));

  const canRead = async (c: Context<AppEnv>, group: Group) => {
    const principal = c.get('principal');
    return principal ? canReadGroup(principal, group.id, await ancestors(group)) : false;
  };

  return {
    today,
    /** Breadcrumbs from the home page to the group, then any further steps. */
    crumbs: (group: Group, extra: { text: string; href: string }[] = []) => [
      { text: 'Groups', href: '/' },
      { text: group.name, href: `/groups/${group.code}` },
      ...extra,
    ],
    groupByCode,
    /** Loads the group in the URL for a public page (no sign-in needed). */
    publicGroup: (c: Context<AppEnv>) => groupByCode(c.req.param('code') ?? ''),
    ancestors,
    canRead,
    /** Loads the group in the URL and checks the signed-in user may see its private pages. */
    async privateGroup(c: Context<AppEnv>): Promise<Group> {
      const group = await groupByCode(c.req.param('code') ?? '');
      const principal = c.get('principal');
      if (!principal) throw new AppError('unauthenticated', 'Sign in to see this page');
      if (!canReadGroup(principal, group.id, await ancestors(group))) {
        throw new AppError(
          'forbidden',
          `Your account does not give access to ${group.name}'s private pages`,
        );
      }
      return group;
    },
    /** Serves a page from the cache when this user has seen it since the data last changed. */
    async cachedPage(
      c: Context<AppEnv>,
      build: () => Promise<{ template: string; data: Record<string, unknown> }>,
    ) {
      return sendCached(
        c,
        await cache.memo(pageCacheKey(c), async () => {
          const { template, data } = await build();
          return CachedBody.html(page.html(c, template, data));
        }),
      );
    },
    /** Serves a JSON answer from the cache when this user has asked for it since the data last changed. */
    async cachedJson(c: Context<AppEnv>, build: () => Promise<unknown>) {
      return sendCached(
        c,
        await cache.memo(`json|${pageCacheKey(c)}`, async () => CachedBody.json(await build())),
      );
    },
  };
}
