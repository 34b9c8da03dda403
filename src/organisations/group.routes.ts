// HTTP routes for groups and practices: public group pages, private overview, practices and profiles; API and CSV.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import { toCsv } from '../platform/http/csv.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { sendCsv, sendJson } from '../platform/http/json.js';
import type { PageRenderer } from '../platform/http/pages.js';
import type { DataCache } from '../platform/db/data-cache.js';
import { intervalChartSvg } from '../web/charts/interval-chart.js';
import { lineChartSvg } from '../web/charts/line-chart.js';
import { pyramidSvg } from '../web/charts/pyramid.js';
import { formatPence, penceAsPounds } from '../platform/money.js';
import type { GroupAccess } from './group-access.js';
import { findSuccessor } from './group.repository.js';
import {
  groupHome,
  groupOverview,
  listGroups,
  practiceSortKeys,
  practicesTable,
  type Group,
  type PracticeSortKey,
} from './group.service.js';
import { practiceProfile } from './practice-profile.service.js';

interface Deps {
  db: Db;
  clock: Clock;
  page: PageRenderer;
  cache: DataCache;
}

const sortLabels: Record<PracticeSortKey, string> = {
  code: 'ODS code',
  name: 'practice name',
  pcn: 'PCN',
  registeredPatients: 'registered patients',
  weightedPopulation: 'weighted population',
  imdDecile: 'IMD 2019 decile',
  HYP: 'hypertension prevalence',
  DM: 'diabetes prevalence',
  AST: 'asthma prevalence',
  COPD: 'COPD prevalence',
  CHD: 'coronary heart disease prevalence',
  DEP: 'depression prevalence',
};

const sortQuery = z.object({
  sort: z.enum(practiceSortKeys).default('name'),
  order: z.enum(['asc', 'desc']).optional(),
});

function parseSort(c: Context<AppEnv>) {
  const parsed = sortQuery.safeParse({
    sort: c.req.query('sort') ?? undefined,
    order: c.req.query('order') ?? undefined,
  });
  if (!parsed.success) {
    throw new AppError(
      'invalid_input',
      `sort must be one of ${practiceSortKeys.join(', ')} and order asc or desc`,
    );
  }
  return { key: parsed.data.sort, descending: parsed.data.order === 'desc' };
}

export function registerGroupRoutes(app: Hono<AppEnv>, { db, cache }: Deps, access: GroupAccess) {
  const { today, groupByCode, privateGroup, canRead, cachedPage } = access;
  const homeOf = (g: Group) => cache.memo(`home|${g.id}|${g.as_at}`, () => groupHome(db, g));
  const successorOf = (g: Group) =>
    g.is_current
      ? Promise.resolve(null)
      : cache.memo(
          `successor|${g.id}`,
          async () => (await findSuccessor(db, g.id, g.as_at)) ?? null,
        );
  const overviewOf = (g: Group, year: string | undefined) =>
    cache.memo(`overview|${g.id}|${g.as_at}|${year ?? ''}`, () => groupOverview(db, g, year));
  const tableOf = (g: Group, sort: { key: PracticeSortKey; descending: boolean }) =>
    cache.memo(`practices|${g.id}|${g.as_at}|${sort.key}|${sort.descending}`, () =>
      practicesTable(db, g, sort),
    );
  const profileOf = (g: Group, code: string) =>
    cache.memo(`profile|${g.id}|${g.as_at}|${code.toUpperCase()}`, () =>
      practiceProfile(db, g, code),
    );
  const allGroups = () => cache.memo(`groups|${today()}`, () => listGroups(db, today()));

  // ---- public ------------------------------------------------------------------------------
  app.get('/', async (c) => {
    return cachedPage(c, async () => {
      const groups = await allGroups();
      const demoGroup = groups.find((g) => g.code === '09G');
      const principal = c.get('principal');
      return {
        template: 'home.njk',
        data: {
          title: 'Commissioning groups',
          groups,
          demoGroup,
          myGroups: (principal?.grants ?? []).filter((g) => g.organisationType === 'group'),
        },
      };
    });
  });

  const groupsCsv = (groups: Awaited<ReturnType<typeof listGroups>>) =>
    toCsv(
      [
        { header: 'code', value: (g) => g.code },
        { header: 'name', value: (g) => g.name },
        { header: 'member_practices', value: (g) => g.members },
        { header: 'membership_on', value: (g) => g.as_at },
        { header: 'still_exists', value: (g) => g.is_current },
      ],
      groups,
    );
  app.get('/groups.csv', async (c) => sendCsv(c, 'groups.csv', groupsCsv(await allGroups())));
  app.get('/api/v1/groups', async (c) => {
    const groups = await allGroups();
    return sendJson(c, {
      groups: groups.map((g) => ({
        code: g.code,
        name: g.name,
        memberPractices: g.members,
        membershipOn: g.as_at,
        stillExists: g.is_current,
      })),
      sources: ['NHS Digital practice mapping files, ODS epraccur, QOF 2020-21 geography mapping'],
    });
  });

  app.get('/groups/:code', async (c) => {
    const group = await groupByCode(c.req.param('code'));
    if (c.req.param('code') !== group.code) return c.redirect(`/groups/${group.code}`, 301);
    return cachedPage(c, async () => {
      const home = await homeOf(group);
      return {
        template: 'group.njk',
        data: {
          title: group.name,
          ...home,
          canReadPrivate: await canRead(c, group),
          breadcrumbs: [{ text: 'Groups', href: '/' }],
        },
      };
    });
  });

  const membersCsv = (home: Awaited<ReturnType<typeof groupHome>>) =>
    toCsv(
      [
        { header: 'practice_code', value: (p) => p.code },
        { header: 'practice_name', value: (p) => p.name },
        { header: 'pcn', value: (p) => p.pcn },
        { header: 'postcode', value: (p) => p.postcode },
        { header: 'registered_patients', value: (p) => p.registeredPatients },
        { header: 'registered_patients_period', value: (p) => p.registeredPatientsPeriod },
      ],
      home.practices,
    );
  app.get('/groups/:code/members.csv', async (c) => {
    const group = await groupByCode(c.req.param('code'));
    return sendCsv(c, `${group.code}-members-${group.as_at}.csv`, membersCsv(await homeOf(group)));
  });
  app.get('/api/v1/groups/:code', async (c) => {
    const group = await groupByCode(c.req.param('code'));
    const home = await homeOf(group);
    return sendJson(c, {
      group: {
        code: group.code,
        name: group.name,
        membershipOn: group.as_at,
        stillExists: group.is_current,
      },
      successor: home.successor,
      totalRegisteredPatients: home.totalRegisteredPatients,
      practices: home.practices,
      sources: home.listSizeSources,
    });
  });

  // ---- private: overview ----------------------------------------------------------------------
  const yearParam = (c: Context<AppEnv>) => {
    const year = c.req.query('year');
    if (year !== undefined && !/^\d{4}\/\d{2}$/.test(year))
      throw new AppError('invalid_input', 'year must look like 2022/23');
    return year;
  };

  app.get('/groups/:code/overview', async (c) => {
    const group = await privateGroup(c);
    return cachedPage(c, async () => {
      const overview = await overviewOf(group, yearParam(c));
      const successor = await successorOf(group);
      return {
        template: 'overview.njk',
        data: {
          title: `${group.name}: overview`,
          ...overview,
          successor,
          yearItems: overview.years.map((y) => ({
            value: y,
            text: y,
            selected: y === overview.year,
          })),
          breadcrumbs: [
            { text: 'Groups', href: '/' },
            { text: group.name, href: `/groups/${group.code}` },
          ],
        },
      };
    });
  });
  app.get('/groups/:code/overview.csv', async (c) => {
    const group = await privateGroup(c);
    const overview = await overviewOf(group, yearParam(c));
    const components = overview.allocation?.components ?? [];
    return sendCsv(
      c,
      `${group.code}-weighted-population-${(overview.year ?? '').replace('/', '-')}.csv`,
      toCsv(
        [
          { header: 'allocation_year', value: () => overview.year },
          { header: 'component', value: (r) => r.label },
          { header: 'group_weighted_population', value: (r) => r.group },
          { header: 'need_index', value: (r) => r.needIndex },
          { header: 'icb_code', value: () => overview.allocation?.icb?.code },
          { header: 'icb_weighted_population', value: (r) => r.icb },
          { header: 'share_of_icb_percent', value: (r) => r.shareOfIcb },
          { header: 'region_code', value: () => overview.allocation?.region?.code },
          { header: 'region_weighted_population', value: (r) => r.region },
          { header: 'share_of_region_percent', value: (r) => r.shareOfRegion },
          { header: 'england_weighted_population', value: (r) => r.england },
          { header: 'share_of_england_percent', value: (r) => r.shareOfEngland },
        ],
        components,
      ),
    );
  });
  app.get('/api/v1/groups/:code/overview', async (c) => {
    const group = await privateGroup(c);
    const overview = await overviewOf(group, yearParam(c));
    return sendJson(c, {
      group: { code: group.code, name: group.name, membershipOn: group.as_at },
      memberPractices: overview.practices,
      registeredPatients: overview.registeredPatients,
      allocationYears: overview.years,
      allocation: overview.allocation,
      sources: {
        registeredPatients: overview.listSizeSources,
        weightedPopulation: overview.year
          ? `NHS England practice weighted populations ${overview.year}`
          : null,
        method:
          'Group = sum over member practices on membershipOn; ICB and region totals use the allocation file geography; share = group ÷ area × 100.',
      },
    });
  });

  // ---- private: practices table ---------------------------------------------------------------
  app.get('/groups/:code/practices', async (c) => {
    const group = await privateGroup(c);
    return cachedPage(c, async () => {
      const sort = parseSort(c);
      const table = await tableOf(group, sort);
      const successor = await successorOf(group);
      return {
        template: 'practices.njk',
        data: {
          title: `${group.name}: practices`,
          ...table,
          successor,
          sort,
          sortLabel: sortLabels[sort.key],
          breadcrumbs: [
            { text: 'Groups', href: '/' },
            { text: group.name, href: `/groups/${group.code}` },
          ],
        },
      };
    });
  });
  app.get('/groups/:code/practices.csv', async (c) => {
    const group = await privateGroup(c);
    const table = await tableOf(group, parseSort(c));
    return sendCsv(
      c,
      `${group.code}-practices-${group.as_at}.csv`,
      toCsv(
        [
          { header: 'practice_code', value: (r) => r.code },
          { header: 'practice_name', value: (r) => r.name },
          { header: 'pcn_code', value: (r) => r.pcnCode },
          { header: 'pcn_name', value: (r) => r.pcn },
          { header: 'closed_on', value: (r) => r.closeDate },
          { header: 'registered_patients', value: (r) => r.registeredPatients },
          { header: 'registered_patients_period', value: (r) => r.registeredPatientsPeriod },
          { header: 'weighted_population_core', value: (r) => r.weightedPopulation },
          { header: 'weighted_population_year', value: (r) => r.weightedPopulationYear },
          { header: 'imd_2019_score', value: (r) => r.imdScore },
          { header: 'imd_2019_national_decile', value: (r) => r.imdDecile },
          ...table.registers.map((reg) => ({
            header: `prevalence_${reg.code.toLowerCase()}_percent_${table.qofYear ?? ''}`,
            value: (r: (typeof table.rows)[number]) => r.prevalence[reg.code],
          })),
        ],
        table.rows,
      ),
    );
  });
  app.get('/api/v1/groups/:code/practices', async (c) => {
    const group = await privateGroup(c);
    const table = await tableOf(group, parseSort(c));
    return sendJson(c, {
      group: { code: group.code, name: group.name, membershipOn: group.as_at },
      qofYear: table.qofYear,
      registers: table.registers,
      practices: table.rows,
      sources: {
        registeredPatients: table.listSizeSources,
        weightedPopulation: `NHS England practice weighted populations (Final WP), ${table.weightedPopulationYears.join(', ')}`,
        deprivation:
          'OHID Fingertips 93553, IMD 2019; decile among all practices scored (1 = most deprived)',
        prevalence: `NHS Digital QOF ${table.qofYear} PREVALENCE: register ÷ list size for the register's patient group`,
      },
    });
  });

  // ---- private: practice profile --------------------------------------------------------------
  const profileFor = async (c: Context<AppEnv>) => {
    const group = await privateGroup(c);
    return profileOf(group, c.req.param('practice') ?? '');
  };

  app.get('/groups/:code/practices/:practice', async (c) => {
    const profile = await profileFor(c);
    return cachedPage(c, async () => {
      const { group, practice, pyramid, prevalence, payments } = profile;
      // (profileFor checked access; the rendered page is cached for this user below)
      const pyramidChart = pyramid
        ? pyramidSvg(pyramid.bands, {
            title: `Population pyramid of ${practice.name}, ${pyramid.extractDate}`,
            description: `Percentage of registered patients in each 5-year age band by sex, compared with ${group.name} and England. The table below gives the figures.`,
            practice: `${practice.name.slice(0, 30)}`,
            group: group.name.replace(/^NHS /, '').slice(0, 28),
            england: `England (ONS mid-${pyramid.englandPeriod ?? ''})`,
          })
        : '';
      const prevalenceChart = prevalence
        ? intervalChartSvg(
            prevalence.rows.map((r) => ({
              label: r.name,
              value: r.practice.value,
              lower: r.practice.lower,
              upper: r.practice.upper,
              comparators: [
                { kind: 'group' as const, value: r.group?.value ?? null },
                { kind: 'england' as const, value: r.england?.value ?? null },
              ],
            })),
            {
              id: 'prevalence',
              title: `Recorded disease prevalence, ${practice.name}, QOF ${prevalence.year}`,
              description:
                'Each register as a percentage of the list it counts, with 95% intervals, against the group and England. The table below gives the figures.',
              unit: '%',
            },
          )
        : '';
      const paymentsChart = payments.length
        ? lineChartSvg(
            payments.map((p) => p.year),
            [
              {
                name: 'Practice',
                kind: 'practice',
                values: payments.map((p) =>
                  p.perRegisteredPence === null ? null : Number(p.perRegisteredPence) / 100,
                ),
              },
              {
                name: 'Group',
                kind: 'group',
                values: payments.map((p) =>
                  p.groupPerRegisteredPence === null
                    ? null
                    : Number(p.groupPerRegisteredPence) / 100,
                ),
              },
              {
                name: 'England',
                kind: 'england',
                values: payments.map((p) =>
                  p.englandPerRegisteredPence === null
                    ? null
                    : Number(p.englandPerRegisteredPence) / 100,
                ),
              },
            ],
            {
              id: 'payments',
              title: `NHS payments per registered patient, ${practice.name}`,
              description:
                'Payments per registered patient by financial year for the practice, its group and England. The table below gives the figures.',
              format: (v) => formatPence(BigInt(Math.round(v * 100)), { wholePounds: true }),
            },
          )
        : '';
      return {
        template: 'practice.njk',
        data: {
          title: `${practice.name} (${practice.code})`,
          ...profile,
          pyramidSvg: pyramidChart,
          prevalenceSvg: prevalenceChart,
          paymentsSvg: paymentsChart,
          breadcrumbs: [
            { text: 'Groups', href: '/' },
            { text: group.name, href: `/groups/${group.code}` },
            { text: 'Practices', href: `/groups/${group.code}/practices` },
          ],
        },
      };
    });
  });

  app.get('/api/v1/groups/:code/practices/:practice', async (c) => {
    const profile = await profileFor(c);
    return sendJson(c, {
      ...profile,
      group: {
        code: profile.group.code,
        name: profile.group.name,
        membershipOn: profile.group.as_at,
      },
      sources: {
        population:
          'NHS Digital patients registered at a GP practice (5-year bands); England: ONS mid-year estimates',
        prevalence:
          'NHS Digital QOF PREVALENCE; 95% Wilson score intervals (PHEindicatormethods method)',
        payments:
          'NHS Digital NHS Payments to General Practice; per head = total ÷ patients, rounded to the penny',
      },
    });
  });

  const csvRoute = (
    suffix: string,
    csvOf: (p: Awaited<ReturnType<typeof practiceProfile>>) => string,
  ) =>
    app.get(`/groups/:code/practices/:practice/${suffix}.csv`, async (c) => {
      const profile = await profileFor(c);
      return sendCsv(c, `${profile.practice.code}-${suffix}.csv`, csvOf(profile));
    });

  csvRoute('memberships', (p) =>
    toCsv(
      [
        { header: 'organisation_type', value: (m) => m.kind },
        { header: 'code', value: (m) => m.code },
        { header: 'name', value: (m) => m.name },
        { header: 'from', value: (m) => m.from },
        { header: 'to_last_day', value: (m) => m.to },
      ],
      p.memberships,
    ),
  );
  csvRoute('population', (p) =>
    toCsv(
      [
        { header: 'extract_date', value: () => p.pyramid?.extractDate },
        { header: 'age_band', value: (b) => b.band },
        { header: 'male', value: (b) => b.male },
        { header: 'female', value: (b) => b.female },
        { header: 'male_percent', value: (b) => b.malePct },
        { header: 'female_percent', value: (b) => b.femalePct },
        { header: 'group_male_percent', value: (b) => b.groupMalePct },
        { header: 'group_female_percent', value: (b) => b.groupFemalePct },
        { header: 'england_male_percent', value: (b) => b.englandMalePct },
        { header: 'england_female_percent', value: (b) => b.englandFemalePct },
      ],
      p.pyramid?.bands ?? [],
    ),
  );
  csvRoute('prevalence', (p) =>
    toCsv(
      [
        { header: 'qof_year', value: () => p.prevalence?.year },
        { header: 'register_code', value: (r) => r.code },
        { header: 'register', value: (r) => r.name },
        { header: 'patients_counted', value: (r) => r.listType },
        { header: 'on_register', value: (r) => r.register },
        { header: 'list_size', value: (r) => r.listSize },
        { header: 'prevalence_percent', value: (r) => r.practice.value },
        { header: 'lower_95_percent', value: (r) => r.practice.lower },
        { header: 'upper_95_percent', value: (r) => r.practice.upper },
        { header: 'no_value_reason', value: (r) => r.practice.reason },
        { header: 'group_percent', value: (r) => r.group?.value },
        { header: 'england_percent', value: (r) => r.england?.value },
        { header: 'compared_with_england', value: (r) => r.comparedWithEngland },
      ],
      p.prevalence?.rows ?? [],
    ),
  );
  csvRoute('payments', (p) =>
    toCsv(
      [
        { header: 'financial_year', value: (r) => r.year },
        { header: 'contract_type', value: (r) => r.contractType },
        { header: 'dispensing', value: (r) => r.dispensing },
        { header: 'total_payments_gbp', value: (r) => penceAsPounds(r.totalPence) },
        { header: 'registered_patients', value: (r) => r.registeredPatients },
        { header: 'weighted_patients', value: (r) => r.weightedPatients },
        { header: 'per_registered_patient_gbp', value: (r) => penceAsPounds(r.perRegisteredPence) },
        { header: 'per_weighted_patient_gbp', value: (r) => penceAsPounds(r.perWeightedPence) },
        {
          header: 'group_per_registered_patient_gbp',
          value: (r) => penceAsPounds(r.groupPerRegisteredPence),
        },
        {
          header: 'group_per_weighted_patient_gbp',
          value: (r) => penceAsPounds(r.groupPerWeightedPence),
        },
        {
          header: 'england_per_registered_patient_gbp',
          value: (r) => penceAsPounds(r.englandPerRegisteredPence),
        },
        {
          header: 'england_per_weighted_patient_gbp',
          value: (r) => penceAsPounds(r.englandPerWeightedPence),
        },
      ],
      p.payments,
    ),
  );
}
