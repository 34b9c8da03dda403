// HTTP routes for commissioning finance: allocation against target and fair shares; page, API and CSV.
import type { Context, Hono } from 'hono';
import type { GroupAccess } from '../organisations/group-access.js';
import type { Group } from '../organisations/group.service.js';
import type { Db } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import { toCsv } from '../platform/http/csv.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { sendCsv, sendJson } from '../platform/http/json.js';
import type { PageRenderer } from '../platform/http/pages.js';
import { penceAsPounds } from '../platform/money.js';
import { allocationComponents, allocationYears } from '../population/population.repository.js';
import { thousandsOfPounds } from './allocation.js';
import { groupAllocation, type AllocationQuery } from './allocation.service.js';

interface Deps {
  db: Db;
  page: PageRenderer;
}

const source =
  'Practice weighted populations, NHS England allocations (registered and weighted populations by formula component)';
const method =
  'Target = the group’s weighted population × the national amount per weighted head, to the penny. Distance from target = allocation − target (£ and % of target); per-head figures divide by the registered population. Fair shares split the target in proportion to weighted population, in whole pence that add up to it. Method: docs/methods.md, “Allocation”.';

const queryOf = (c: Context<AppEnv>): AllocationQuery => ({
  year: c.req.query('year'),
  component: c.req.query('component'),
  perHead: c.req.query('perHead'),
  allocation: c.req.query('allocation'),
});

export function registerFinanceRoutes(app: Hono<AppEnv>, { db, page }: Deps, access: GroupAccess) {
  const { privateGroup, cachedPage, crumbs } = access;

  const view = (
    group: Group,
    q: AllocationQuery,
    r: Awaited<ReturnType<typeof groupAllocation>> | null,
    years: readonly string[] = r?.years ?? [],
  ) => ({
    title: `${group.name}: allocation and fair shares`,
    group,
    r,
    q,
    yearItems: years.map((y) => ({
      value: y,
      text: y,
      selected: y === (r?.year ?? q.year),
    })),
    componentItems: allocationComponents.map((c) => ({
      value: c.key,
      text: c.label,
      selected: c.key === (r?.component ?? q.component ?? 'core_services'),
    })),
    thousands: r?.result
      ? {
          target: thousandsOfPounds(r.result.targetPence),
          allocation: thousandsOfPounds(r.result.allocationPence),
          distance: thousandsOfPounds(r.result.distancePence),
          distanceAbs: Math.abs(thousandsOfPounds(r.result.distancePence)),
        }
      : null,
    source,
    method,
    breadcrumbs: crumbs(group, [
      { text: 'Finance', href: `/groups/${group.code}/finance/allocation` },
    ]),
  });

  app.get('/groups/:code/finance/allocation', async (c) => {
    const group = await privateGroup(c);
    const q = queryOf(c);
    try {
      return await cachedPage(c, async () => ({
        template: 'finance-allocation.njk',
        data: view(group, q, await groupAllocation(db, group, q)),
      }));
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'invalid_input') throw error;
      // The form again, with what was typed and an NHS error summary.
      const data = {
        ...view(group, q, null, await allocationYears(db)),
        errors: error.problems.map((p) => ({ text: p.message, href: `#${p.field}` })),
        fieldErrors: Object.fromEntries(error.problems.map((p) => [p.field, p.message])),
      };
      return page(c, 'finance-allocation.njk', data, 400);
    }
  });

  app.get('/api/v1/groups/:code/finance/allocation', async (c) => {
    const group = await privateGroup(c);
    const r = await groupAllocation(db, group, queryOf(c));
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      ...r,
      method,
      sources: [source],
    });
  });

  app.get('/groups/:code/finance/allocation.csv', async (c) => {
    const group = await privateGroup(c);
    const r = await groupAllocation(db, group, queryOf(c));
    return sendCsv(
      c,
      `fair-shares-${group.code}-${r.year}-${r.component}.csv`,
      toCsv(
        [
          { header: 'allocation_year', value: () => r.year },
          { header: 'component', value: () => r.component },
          { header: 'pcn_code', value: (p) => p.pcn_code },
          { header: 'pcn_name', value: (p) => p.pcn_name },
          { header: 'practice_code', value: (p) => p.code },
          { header: 'practice_name', value: (p) => p.name },
          { header: 'registered_patients', value: (p) => p.registered_patients },
          { header: 'weighted_population', value: (p) => p.weighted },
          { header: 'fair_share_pounds', value: (p) => penceAsPounds(p.fairSharePence) },
        ],
        r.practices,
      ),
    );
  });
}
