// Builds the web application: middleware, every area's routes, and the one error handler.
import path from 'node:path';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import type { Logger } from 'pino';
import type { Kysely } from 'kysely';
import { createGroupAccess } from '../organisations/group-access.js';
import { registerGroupRoutes } from '../organisations/group.routes.js';
import { registerVariationRoutes } from '../variation/variation.routes.js';
import { registerPrescribingRoutes } from '../prescribing/prescribing.routes.js';
import { registerFinanceRoutes } from '../finance/finance.routes.js';
import { createFinancePages } from '../finance/finance-pages.js';
import { registerLedgerRoutes } from '../finance/ledger.routes.js';
import { registerPlanRoutes } from '../finance/plan.routes.js';
import { registerGovernanceRoutes } from '../governance/governance.routes.js';
import { registerDecisionRoutes } from '../governance/decisions.routes.js';
import { registerPeopleRoutes } from '../governance/people.routes.js';
import { auditRefusedGovernanceAccess } from '../governance/access-audit.js';
import { holdPagesWhileLoading, type BackgroundWork } from '../platform/background.js';
import { cacheGovernancePages } from '../governance/governance-cache.js';
import { registerVoteRoutes } from '../governance/votes.routes.js';
import { registerProcurementRoutes } from '../governance/procurement.routes.js';
import { registerBreachRoutes } from '../governance/breaches.routes.js';
import { registerAuditRoutes } from '../platform/audit/audit.routes.js';
import { registerAuthRoutes } from '../platform/auth/auth.routes.js';
import { createSessionResolver } from '../platform/auth/session.service.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { FactStore } from '../platform/facts/fact-store.js';
import type { Database } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import { createDataCache, ignoringImports } from '../platform/db/data-cache.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { openApiDocument } from '../platform/http/openapi.js';
import { createPageRenderer } from '../platform/http/pages.js';
import {
  csrfProtection,
  guardWrites,
  securityHeaders,
  sessionMiddleware,
} from '../platform/http/security.js';
import { staticFiles } from '../platform/http/static.js';
import { registerImportRoutes } from '../platform/imports/imports.routes.js';
import { createRenderer } from '../web/render.js';
import { projectRoot, type Config } from './config.js';

export interface AppDependencies {
  db: Kysely<Database>;
  facts: FactStore;
  config: Pick<Config, 'demo' | 'secureCookies'> & Partial<Pick<Config, 'trustProxy'>>;
  logger?: Logger;
  clock?: Clock;
  /** How often to check for newly imported data; 0 checks on every request (tests). */
  dataCacheTtlMs?: number;
  /** How long a resolved session is remembered; 0 looks it up on every request (tests). */
  sessionCacheTtlMs?: number;
  /** Work the server is still doing after it started answering (first start's seeding). */
  background?: BackgroundWork;
}

const headings: Record<number, string> = {
  400: 'There is a problem with the request',
  401: 'Sign in to see this page',
  403: 'You do not have access to this page',
  404: 'Page not found',
  409: 'That could not be done',
  413: 'That is too large to send',
  429: 'Too many attempts',
  500: 'Sorry, there is a problem with the service',
};

export function createApp({
  db,
  facts,
  config,
  logger,
  clock = systemClock,
  dataCacheTtlMs = 1000,
  sessionCacheTtlMs = 2000,
  background,
}: AppDependencies): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const page = createPageRenderer(createRenderer(), { demo: config.demo });
  const isApi = (p: string) => p.startsWith('/api/');
  // Pages, JSON and CSV are sent compressed to clients that ask (the dashboard: 286 kB → 45 kB).
  app.use('*', compress());

  app.get(
    '/assets/nhsuk/images/*',
    staticFiles(
      '/assets/nhsuk/images/',
      path.join(projectRoot, 'node_modules/nhsuk-frontend/dist/nhsuk/assets/images'),
    ),
  );
  app.get(
    '/assets/nhsuk/*',
    staticFiles('/assets/nhsuk/', path.join(projectRoot, 'node_modules/nhsuk-frontend/dist/nhsuk')),
  );
  app.get('/assets/app.css', staticFiles('/assets/', path.join(projectRoot, 'src/web/assets')));

  app.use('*', securityHeaders());
  const sessions = createSessionResolver(db, clock, sessionCacheTtlMs);
  app.use('*', sessionMiddleware(sessions, { trustProxy: config.trustProxy ?? false }));
  app.use('/api/*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      return c.json(
        {
          error: {
            code: 'method_not_allowed',
            message: `${c.req.method} is not supported on this endpoint`,
          },
        },
        405,
      );
    }
    await next();
  });
  app.use('*', guardWrites({ uploadPaths: [/^\/groups\/[^/]+\/finance\/ledger\/upload$/] }));
  app.use('*', csrfProtection(config.secureCookies));
  if (background) app.use('*', holdPagesWhileLoading(background, page));

  app.get('/api/openapi.json', (c) => c.json(openApiDocument));
  app.get('/healthz', (c) => c.text('ok'));
  registerAuthRoutes(app, { db, clock, page, sessions, secureCookies: config.secureCookies });
  const cache = createDataCache(db, { clock, ttlMs: dataCacheTtlMs });
  const access = createGroupAccess({ db, clock, page, cache });
  // Organisations, variation and governance never read prescribing: importing a month of it (twelve
  // while the demo loads) leaves their cached pages as they are.
  const noPrescribing = ignoringImports(cache, ['prescribing']);
  const noPrescribingAccess = createGroupAccess({ db, clock, page, cache: noPrescribing });
  registerGroupRoutes(app, { db, clock, page, cache: noPrescribing }, noPrescribingAccess);
  registerVariationRoutes(
    app,
    { db, facts, cache: noPrescribing, page, clock },
    noPrescribingAccess,
  );
  registerPrescribingRoutes(app, { db, facts, cache }, access);
  registerFinanceRoutes(app, { db, facts, page, cache }, access);
  const financePages = createFinancePages({ db, cache, page }, access);
  registerPlanRoutes(app, { db, facts, page, cache, clock }, financePages);
  registerLedgerRoutes(app, { db, facts, page, cache, clock }, financePages);
  const governanceGroupId = async (code: string) =>
    (await noPrescribingAccess.groupByCode(code).catch(() => null))?.id ?? null;
  const refusedGovernance = auditRefusedGovernanceAccess(db, governanceGroupId, clock);
  app.use('/groups/:code/governance/*', refusedGovernance);
  app.use('/api/v1/groups/:code/governance/*', refusedGovernance);
  const governancePages = cacheGovernancePages(db, noPrescribing, clock, governanceGroupId);
  app.use('/groups/:code/governance/*', governancePages);
  app.use('/groups/:code/public/*', governancePages);
  registerGovernanceRoutes(app, { db, page, cache: noPrescribing, clock }, noPrescribingAccess);
  registerDecisionRoutes(app, { db, page, cache: noPrescribing, clock }, noPrescribingAccess);
  registerPeopleRoutes(app, { db, page, cache: noPrescribing, clock }, noPrescribingAccess);
  registerVoteRoutes(app, { db, page, cache: noPrescribing, clock }, noPrescribingAccess);
  registerProcurementRoutes(app, { db, page, cache: noPrescribing, clock }, noPrescribingAccess);
  registerBreachRoutes(app, { db, page, cache: noPrescribing, clock }, noPrescribingAccess);
  registerImportRoutes(app, { db, page, background });
  registerAuditRoutes(app, { db, page });

  app.notFound((c) => {
    if (isApi(c.req.path))
      return c.json({ error: { code: 'not_found', message: `No endpoint ${c.req.path}` } }, 404);
    return page(
      c,
      'error.njk',
      {
        title: headings[404],
        heading: headings[404],
        message: 'If you typed the web address, check it is correct.',
        status: 404,
      },
      404,
    );
  });

  app.onError((error, c) => {
    if (error instanceof AppError) {
      if (isApi(c.req.path)) {
        return c.json(
          {
            error: {
              code: error.code,
              message: error.message,
              ...(error.problems.length ? { problems: error.problems } : {}),
            },
          },
          error.status as 400,
        );
      }
      if (error.code === 'unauthenticated' && c.req.method === 'GET') {
        return c.redirect(
          `/sign-in?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}`,
          303,
        );
      }
      const status = error.status as 400 | 401 | 403 | 404 | 409 | 429;
      return page(
        c,
        'error.njk',
        {
          title: headings[status] ?? 'Error',
          heading: headings[status] ?? 'Error',
          message: error.message,
          status,
        },
        status,
      );
    }
    logger?.error({ err: error, path: c.req.path }, 'unhandled error');
    if (isApi(c.req.path))
      return c.json({ error: { code: 'internal', message: 'Sorry, something went wrong' } }, 500);
    return page(
      c,
      'error.njk',
      { title: headings[500], heading: headings[500], message: 'Try again later.', status: 500 },
      500,
    );
  });
  return app;
}
