// What every finance page shares: who may see it, the cached plan and budget, the forms' error
// handling, and the label saying where the figures come from.
import type { Context } from 'hono';
import { sql } from 'kysely';
import type { GroupAccess } from '../organisations/group-access.js';
import type { Group } from '../organisations/group.service.js';
import type { DataCache } from '../platform/db/data-cache.js';
import type { Db } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import { formValues, postForm, problemsView } from '../platform/http/forms.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { pageCacheKey, type PageRenderer } from '../platform/http/pages.js';
import { budgetVsActual } from './ledger.service.js';
import type { PlanRow } from './plan.repository.js';
import { canReadPlan, planSummary, requirePlan, type Editor } from './plan.service.js';

export const planSource = (plan: PlanRow) =>
  plan.illustrative
    ? `Illustrative plan and ledger, generated for the demo from NHS England practice weighted populations with stated £-per-head assumptions: not real figures. ${plan.basis ?? ''}`.trim()
    : `The group’s financial plan for ${plan.financial_year}, entered by its finance officers (last changed by ${plan.updated_by}); actuals imported from the finance ledger.`;

/** The signed-in user making a change (routes that write are behind sign-in and CSRF checks). */
export const editorOf = (c: Context<AppEnv>): Editor => ({
  principal: c.get('principal')!,
  clientAddress: c.get('clientAddress'),
});

export type FinancePages = ReturnType<typeof createFinancePages>;

export function createFinancePages(
  { db, cache, page }: { db: Db; cache: DataCache; page: PageRenderer },
  access: GroupAccess,
) {
  const { privateGroup, crumbs, ancestors } = access;

  /** The group, checked for this page's audience: the plan pages are not for member practices. */
  const financeGroup = async (c: Context<AppEnv>, audience: 'officers' | 'members') => {
    const group = await privateGroup(c);
    if (audience === 'officers' && !canReadPlan(c.get('principal'), group, await ancestors(group)))
      throw new AppError(
        'forbidden',
        `The plan, ledger and QIPP of ${group.name} are for its officers, governing body and lay members; member practices see practice budgets and running costs`,
      );
    return group;
  };

  /**
   * Versions the cached plan and budget: every change to them, ledger imports included, adds an audit
   * event against the group, so the number of those events moves on with each committed change (a
   * count, not the newest id: ids are taken before commit, so a later id can commit first).
   */
  const financeVersion = async (group: Group) => {
    const r = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM audit_event WHERE organisation_id = ${group.id}`.execute(db);
    return String(r.rows[0]?.n ?? 0);
  };

  /** The version once per request: a page asks for it more than once. */
  const perRequest = new WeakMap<Request, Promise<string>>();
  const versionFor = (c: Context<AppEnv>, group: Group) => {
    let v = perRequest.get(c.req.raw);
    if (!v) perRequest.set(c.req.raw, (v = financeVersion(group)));
    return v;
  };

  /** The plan for the year asked (or the latest), read once per version of the group's finance. */
  const loadPlan = async (c: Context<AppEnv>, group: Group) => {
    const year = c.req.query('year') ?? '';
    const version = await versionFor(c, group);
    return cache.memo(`plan-row|${group.id}|${year}|${version}`, () =>
      requirePlan(db, group, year || undefined),
    );
  };

  /**
   * A page without forms that write, served from the cache while the group's finance is unchanged
   * (per user, as the page depends on who is signed in).
   */
  const cachedFinancePage = async (
    c: Context<AppEnv>,
    group: Group,
    build: () => Promise<{ template: string; data: Record<string, unknown> }>,
  ) => {
    const version = await versionFor(c, group);
    return c.html(
      await cache.memo(`${pageCacheKey(c)}|finance@${version}`, async () => {
        const { template, data } = await build();
        return page.html(c, template, data);
      }),
    );
  };

  const summaryOf = async (group: Group, plan: PlanRow) =>
    cache.memo(`plan|${group.id}|${plan.id}|${await financeVersion(group)}`, () =>
      planSummary(db, group, plan),
    );
  const budgetOf = async (group: Group, plan: PlanRow) =>
    cache.memo(`budget|${group.id}|${plan.id}|${await financeVersion(group)}`, () =>
      budgetVsActual(db, group, plan),
    );

  const financeCrumbs = (group: Group) =>
    crumbs(group, [{ text: 'Finance', href: `/groups/${group.code}/finance/plan` }]);

  const yearItems = (years: readonly string[], current: string) =>
    years.map((y) => ({ value: y, text: y, selected: y === current }));

  return {
    financeGroup,
    loadPlan,
    cachedFinancePage,
    summaryOf,
    budgetOf,
    financeCrumbs,
    problemsView,
    postForm,
    formValues,
    yearItems,
  };
}
