// HTTP routes for the breaches register and decisions by delegated officers: pages, JSON API and CSV.
import type { Hono } from 'hono';
import type { GroupAccess } from '../organisations/group-access.js';
import type { DataCache } from '../platform/db/data-cache.js';
import type { Db } from '../platform/db/schema.js';
import type { AppEnv } from '../platform/http/http.types.js';
import type { PageRenderer } from '../platform/http/pages.js';
import type { Clock } from '../platform/clock.js';

export function registerBreachRoutes(
  _app: Hono<AppEnv>,
  _deps: { db: Db; page: PageRenderer; cache: DataCache; clock: Clock },
  _access: GroupAccess,
) {
  // Not yet written.
}
