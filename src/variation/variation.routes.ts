// HTTP routes for variation: groups compared, the group's activity and A&E over time; pages, API and CSV.
import type { Context, Hono } from 'hono';
import type { GroupAccess } from '../organisations/group-access.js';
import type { Group } from '../organisations/group.service.js';
import type { DataCache } from '../platform/db/data-cache.js';
import type { Db } from '../platform/db/schema.js';
import { AppError, requireFields } from '../platform/errors.js';
import type { FactStore } from '../platform/facts/fact-store.js';
import { toCsv } from '../platform/http/csv.js';
import { problemsView } from '../platform/http/forms.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { pageCacheKey, type PageRenderer } from '../platform/http/pages.js';
import type { Clock } from '../platform/clock.js';
import type { FieldProblem } from '../platform/errors.js';
import { sendCsv, sendJson } from '../platform/http/json.js';
import { funnelChartSvg } from '../web/charts/funnel-chart.js';
import { spcChartSvg } from '../web/charts/spc-chart.js';
import { fixedDigits } from '../web/render.js';
import {
  aeChart,
  betweenGroups,
  groupActivityChart,
  groupActivityMeasures,
  type GroupRate,
} from './group-variation.service.js';
import { inSentence, pointsOfDelivery, specialtyName } from './activity.js';
import { needsAttention, type AttentionItem } from './attention.service.js';
import { pairStatuses } from './learning-pair.table.js';
import {
  canRecordPairs,
  followUpPair,
  listGroupPairs,
  pairSuggestions,
  recordPair,
} from './learning-pair.service.js';
import { groupPopulations } from './practice-population.service.js';
import {
  ALL_SPECIALTIES,
  parsePointOfDelivery,
  parseSpecialty,
  practiceActivityChart,
  specialtyFunnel,
  standardisedGrid,
  type IsrRow,
  type StandardisedGrid,
} from './practice-variation.service.js';
import {
  assuranceText,
  chartSignal,
  pointTypeText,
  signalText,
  variationIconText,
} from './signals.js';

interface Deps {
  db: Db;
  facts: FactStore;
  cache: DataCache;
  page: PageRenderer;
  clock: Clock;
}

const number = fixedDigits;

type SpcResult = Awaited<ReturnType<typeof groupActivityChart>>;

/** Rows of an SPC chart for tables, CSV and JSON: one per month. */
function spcRows(months: readonly string[], chart: SpcResult['chart']) {
  return chart.points.map((p, i) => ({
    month: months[i]!,
    value: p.value,
    mean: p.mean,
    lowerProcessLimit: p.lpl,
    upperProcessLimit: p.upl,
    segment: p.segment + 1,
    specialCause: p.specialCauseFlag ? p.specialCauseType : null,
    pointType: p.pointType,
  }));
}

const spcCsv = (rows: ReturnType<typeof spcRows>) =>
  toCsv(
    [
      { header: 'month', value: (r) => r.month },
      { header: 'value', value: (r) => r.value },
      { header: 'mean', value: (r) => r.mean },
      { header: 'lower_process_limit', value: (r) => r.lowerProcessLimit },
      { header: 'upper_process_limit', value: (r) => r.upperProcessLimit },
      { header: 'segment', value: (r) => r.segment },
      { header: 'special_cause', value: (r) => r.specialCause },
      { header: 'point_type', value: (r) => r.pointType },
    ],
    rows,
  );

function spcView(
  id: string,
  title: string,
  months: readonly string[],
  chart: SpcResult['chart'],
  format: (v: number) => string,
  target: number | null = null,
) {
  const rows = spcRows(months, chart);
  return {
    svg: spcChartSvg(
      chart.points.map((p, i) => ({ ...p, label: months[i]! })),
      {
        id,
        title,
        description: `${rows.length} months from ${months[0]} to ${months.at(-1)}; the table below gives every value.`,
        format,
        target,
        labelEvery: 12,
      },
    ),
    rows: rows.map((r) => ({
      ...r,
      pointTypeText: pointTypeText[r.pointType] ?? r.pointType,
    })),
    segments: chart.segments.map((s) => ({ ...s, from: months[s.start], to: months[s.end - 1] })),
  };
}

export function registerVariationRoutes(
  app: Hono<AppEnv>,
  { db, facts, cache, page, clock }: Deps,
  access: GroupAccess,
) {
  const { privateGroup, cachedPage, cachedJson, crumbs } = access;
  const variationCrumbs = (group: Group) =>
    crumbs(group, [{ text: 'Variation', href: `/groups/${group.code}/variation` }]);

  // ---- hub --------------------------------------------------------------------------------------
  app.get('/groups/:code/variation', async (c) => {
    const group = await privateGroup(c);
    return cachedPage(c, async () => ({
      template: 'variation.njk',
      data: {
        title: `${group.name}: variation`,
        group,
        practiceLinks: [
          {
            href: `/groups/${group.code}/variation/attention`,
            text: 'Needs attention: what stands out, and why',
            note: '',
          },
          {
            href: `/groups/${group.code}/variation/practices`,
            text: 'Referrals, outpatients and admissions by practice and specialty (standardised ratios)',
            note: '(synthetic data for the demo group)',
          },
          {
            href: `/groups/${group.code}/variation/practices/funnel`,
            text: 'Funnel plots of practices by specialty',
            note: '(synthetic data for the demo group)',
          },
          {
            href: `/groups/${group.code}/variation/pairs`,
            text: 'Learning pairs: practices that refer a lot paired with similar ones that refer less',
            note: '',
          },
        ],
        activityMeasures: Object.entries(groupActivityMeasures).map(([key, m]) => ({
          key,
          title: m!.title,
        })),
        breadcrumbs: crumbs(group),
      },
    }));
  });

  // ---- between groups -------------------------------------------------------------------------
  const yearQuery = (c: Context<AppEnv>) => {
    const year = c.req.query('year');
    if (year !== undefined && !/^\d{4}-\d{2}$/.test(year)) {
      throw new AppError('invalid_input', 'year must be a financial year such as 2018-19');
    }
    return year;
  };
  const betweenOf = (group: Group, year: string | undefined) =>
    cache.memo(`between|${group.code}|${year ?? ''}`, () => betweenGroups(db, facts, group, year));

  app.get('/groups/:code/variation/between-groups', async (c) => {
    const group = await privateGroup(c);
    return cachedPage(c, async () => {
      const result = await betweenOf(group, yearQuery(c));
      // Rows are highest first: label the three highest and three lowest, and this group.
      const extremes = new Set(
        [...result.rows.slice(0, 3), ...result.rows.slice(-3)].map((r) => r.code),
      );
      const svg = funnelChartSvg(
        result.rows.map((r) => ({
          labelled: extremes.has(r.code),
          label: r.name,
          shortLabel: r.code,
          x: r.patients,
          y: r.ratePer1000,
          signal: chartSignal(r.signal),
          highlight: r.isThisGroup,
          details: `${r.code} ${r.name}: ${number(1)(r.ratePer1000)} per 1,000 (${number(0)(r.referrals)} referrals, ${number(0)(r.patients)} patients)`,
        })),
        result.funnel,
        result.averagePer1000,
        {
          id: 'between-groups',
          title: `GP referrals per 1,000 registered patients, every group in England, ${result.year}`,
          description: `Funnel plot of ${result.rows.length} groups; ${group.name} is the larger blue point. The table below lists every group.`,
          xLabel: 'Registered patients',
          yLabel: 'GP referrals per 1,000 patients',
          formatX: (v) => (v >= 1000 ? `${number(0)(v / 1000)}k` : number(0)(v)),
          formatY: number(0),
        },
      );
      return {
        template: 'variation-between-groups.njk',
        data: {
          title: `${group.name}: GP referrals compared with every group`,
          group,
          ...result,
          svg,
          signalText,
          yearItems: result.years.map((y) => ({ value: y, text: y, selected: y === result.year })),
          breadcrumbs: variationCrumbs(group),
        },
      };
    });
  });

  const betweenCsv = (rows: GroupRate[]) =>
    toCsv(
      [
        { header: 'group_code', value: (r) => r.code },
        { header: 'group_name', value: (r) => r.name },
        { header: 'gp_referrals_made', value: (r) => r.referrals },
        { header: 'registered_patients', value: (r) => r.patients },
        { header: 'member_practices', value: (r) => r.practices },
        { header: 'rate_per_1000', value: (r) => r.ratePer1000 },
        { header: 'lower_95', value: (r) => r.lower95 },
        { header: 'upper_95', value: (r) => r.upper95 },
        { header: 'lower_99_8', value: (r) => r.lower998 },
        { header: 'upper_99_8', value: (r) => r.upper998 },
        { header: 'funnel_signal', value: (r) => r.signal },
      ],
      rows,
    );
  app.get('/groups/:code/variation/between-groups.csv', async (c) => {
    const group = await privateGroup(c);
    const result = await betweenOf(group, yearQuery(c));
    return sendCsv(c, `gp-referrals-per-1000-by-group-${result.year}.csv`, betweenCsv(result.rows));
  });
  app.get('/api/v1/groups/:code/variation/between-groups', async (c) => {
    const group = await privateGroup(c);
    return cachedJson(c, async () => {
      const { funnel, ...result } = await betweenOf(group, yearQuery(c));
      return { group: { code: group.code, name: group.name }, ...result, funnelLimits: funnel };
    });
  });

  // ---- the group's activity over time ------------------------------------------------------
  const activityOf = (group: Group, measure: string, rebase: string | undefined) =>
    cache.memo(`activity-spc|${group.code}|${measure}|${rebase ?? ''}`, () =>
      groupActivityChart(facts, group, measure, rebase),
    );
  const rebaseQuery = (c: Context<AppEnv>) => c.req.query('rebase') || undefined;

  app.get('/groups/:code/variation/activity/:measure', async (c) => {
    const group = await privateGroup(c);
    return cachedPage(c, async () => {
      const result = await activityOf(group, c.req.param('measure'), rebaseQuery(c));
      return {
        template: 'variation-spc.njk',
        data: {
          ...result,
          title: `${group.name}: ${result.title}`,
          heading: result.title,
          group,
          ...spcView(
            'activity-spc',
            `${result.title}, ${group.name}, by month`,
            result.months,
            result.chart,
            number(0),
          ),
          valueLabel: 'Count',
          format: 'int',
          iconText: variationIconText[result.icon],
          assuranceText: null,
          rebase: rebaseQuery(c) ?? '',
          formAction: `/groups/${group.code}/variation/activity/${result.measure}`,
          csvHref: `/groups/${group.code}/variation/activity/${result.measure}/data.csv${rebaseQuery(c) ? `?rebase=${encodeURIComponent(rebaseQuery(c)!)}` : ''}`,
          breadcrumbs: variationCrumbs(group),
        },
      };
    });
  });
  app.get('/groups/:code/variation/activity/:measure/data.csv', async (c) => {
    const group = await privateGroup(c);
    const result = await activityOf(group, c.req.param('measure'), rebaseQuery(c));
    return sendCsv(
      c,
      `${group.code}-${result.measure}-spc.csv`,
      spcCsv(spcRows(result.months, result.chart)),
    );
  });
  app.get('/api/v1/groups/:code/variation/activity/:measure', async (c) => {
    const group = await privateGroup(c);
    const { chart, months, ...result } = await activityOf(
      group,
      c.req.param('measure'),
      rebaseQuery(c),
    );
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      ...result,
      segments: chart.segments.map((s) => ({ ...s, from: months[s.start], to: months[s.end - 1] })),
      points: spcRows(months, chart),
    });
  });

  // ---- A&E four-hour performance -------------------------------------------------------------
  const providerQuery = (c: Context<AppEnv>) => {
    const provider = c.req.query('provider');
    if (provider !== undefined && !/^[A-Za-z0-9]{3,9}$/.test(provider)) {
      throw new AppError('invalid_input', 'provider must be an organisation code such as RYR');
    }
    return provider;
  };
  const aeOf = (group: Group, provider: string | undefined, rebase: string | undefined) =>
    cache.memo(`ae|${group.code}|${provider ?? ''}|${rebase ?? ''}`, () =>
      aeChart(db, facts, group, provider, rebase),
    );

  app.get('/groups/:code/variation/ae', async (c) => {
    const group = await privateGroup(c);
    return cachedPage(c, async () => {
      const result = await aeOf(group, providerQuery(c), rebaseQuery(c));
      const title = `A&E: patients seen within 4 hours, ${result.provider.name}`;
      return {
        template: 'variation-spc.njk',
        data: {
          title: `${group.name}: ${title}`,
          heading: 'A&E: patients seen within 4 hours',
          subheading: `${result.provider.name} (${result.provider.code})`,
          group,
          ...result,
          ...spcView(
            'ae-spc',
            `${title}, by month`,
            result.months,
            result.chart,
            (v) => `${number(1)(v)}%`,
            result.target,
          ),
          valueLabel: 'Seen within 4 hours (%)',
          format: 'pct',
          iconText: variationIconText[result.icon],
          assuranceText: result.chart.assurance ? assuranceText[result.chart.assurance] : null,
          mainProvidersText: result.mainProviders.length
            ? `Main acute trusts for ${group.name}: ${result.mainProviders.map((p) => `${p.name} (${p.code})`).join('; ')}`
            : `No main acute trusts are recorded for ${group.name}`,
          providerItems: result.providers.map((p) => ({
            value: p.code,
            text: `${p.name} (${p.code})`,
            selected: p.code === result.provider.code,
          })),
          rebase: rebaseQuery(c) ?? '',
          formAction: `/groups/${group.code}/variation/ae`,
          csvHref: `/groups/${group.code}/variation/ae.csv?provider=${result.provider.code}${rebaseQuery(c) ? `&rebase=${encodeURIComponent(rebaseQuery(c)!)}` : ''}`,
          breadcrumbs: variationCrumbs(group),
        },
      };
    });
  });
  app.get('/groups/:code/variation/ae.csv', async (c) => {
    const group = await privateGroup(c);
    const result = await aeOf(group, providerQuery(c), rebaseQuery(c));
    const rows = spcRows(result.months, result.chart).map((r, i) => ({
      ...r,
      ...result.series[i]!,
    }));
    return sendCsv(
      c,
      `ae-four-hour-${result.provider.code}.csv`,
      toCsv(
        [
          { header: 'provider_code', value: () => result.provider.code },
          { header: 'month', value: (r) => r.month },
          { header: 'attendances', value: (r) => r.attendances },
          { header: 'over_4_hours', value: (r) => r.breaches },
          { header: 'percent_within_4_hours', value: (r) => r.performance },
          { header: 'mean', value: (r) => r.mean },
          { header: 'lower_process_limit', value: (r) => r.lowerProcessLimit },
          { header: 'upper_process_limit', value: (r) => r.upperProcessLimit },
          { header: 'special_cause', value: (r) => r.specialCause },
          { header: 'point_type', value: (r) => r.pointType },
        ],
        rows,
      ),
    );
  });
  app.get('/api/v1/groups/:code/variation/ae', async (c) => {
    const group = await privateGroup(c);
    const { chart, months, ...result } = await aeOf(group, providerQuery(c), rebaseQuery(c));
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      ...result,
      assurance: chart.assurance,
      segments: chart.segments.map((s) => ({ ...s, from: months[s.start], to: months[s.end - 1] })),
      points: spcRows(months, chart),
    });
  });

  // ---- between the group's practices ----------------------------------------------------------
  const populationsOf = (group: Group) =>
    cache.memo(`populations|${group.code}|${group.as_at}`, () => groupPopulations(db, group));
  const monthQuery = (c: Context<AppEnv>) => {
    const to = c.req.query('to') || undefined;
    if (to !== undefined && !/^\d{4}-\d{2}$/.test(to)) {
      throw new AppError('invalid_input', 'to must be a month as YYYY-MM');
    }
    return to;
  };
  const gridOf = async (group: Group, c: Context<AppEnv>) => {
    const pod = parsePointOfDelivery(c.req.query('pod'));
    const to = monthQuery(c);
    return cache.memo(`isr-grid|${group.code}|${pod}|${to ?? ''}`, async () =>
      standardisedGrid(db, facts, group, pod, to, await populationsOf(group)),
    );
  };
  const podItems = (grid: StandardisedGrid) =>
    grid.pointsHeld.map((code) => ({
      value: code,
      text: pointsOfDelivery[code],
      selected: code === grid.pointOfDelivery,
    }));
  const query = (params: Record<string, string | undefined>) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
    const text = search.toString();
    return text ? `?${text}` : '';
  };

  const sortRows = (grid: StandardisedGrid, sort: string, descending: boolean): IsrRow[] => {
    const rows = [...grid.rows];
    const valid =
      sort === 'name' ||
      sort === 'list' ||
      sort === ALL_SPECIALTIES ||
      grid.specialties.some((s) => s.code === sort);
    if (!valid) {
      throw new AppError(
        'invalid_input',
        'sort must be name, list, all or a specialty code shown in the grid',
      );
    }
    const key = (row: IsrRow): number | string =>
      sort === 'name' ? row.name : sort === 'list' ? row.listSize : (row.cells[sort]?.ratio ?? -1);
    rows.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      const order = typeof x === 'string' ? x.localeCompare(String(y)) : x - Number(y);
      return descending ? -order : order;
    });
    return rows;
  };

  app.get('/groups/:code/variation/practices', async (c) => {
    const group = await privateGroup(c);
    return cachedPage(c, async () => {
      const grid = await gridOf(group, c);
      const sort = c.req.query('sort') ?? ALL_SPECIALTIES;
      const descending = (c.req.query('order') ?? (sort === 'name' ? 'asc' : 'desc')) === 'desc';
      const rows = sortRows(grid, sort, descending);
      const base = { pod: grid.pointOfDelivery, to: c.req.query('to') };
      const sortHref = (key: string) =>
        `/groups/${group.code}/variation/practices${query({ ...base, sort: key, order: sort === key && descending ? 'asc' : 'desc' })}`;
      const columns = [{ code: ALL_SPECIALTIES, name: 'All specialties' }, ...grid.specialties].map(
        (s) => ({
          ...s,
          sortHref: sortHref(s.code),
          sorted: sort === s.code ? (descending ? 'descending' : 'ascending') : 'none',
          funnelHref: `/groups/${group.code}/variation/practices/funnel${query({ ...base, specialty: s.code })}`,
        }),
      );
      return {
        template: 'variation-practices.njk',
        data: {
          ...grid,
          title: `${group.name}: ${inSentence(grid.pointOfDeliveryName)} by practice and specialty`,
          group,
          rows,
          columns,
          signalText,
          nameSort: {
            href: sortHref('name'),
            sorted: sort === 'name' ? (descending ? 'descending' : 'ascending') : 'none',
          },
          listSort: {
            href: sortHref('list'),
            sorted: sort === 'list' ? (descending ? 'descending' : 'ascending') : 'none',
          },
          podItems: podItems(grid),
          monthItems: [...grid.months]
            .reverse()
            .map((m) => ({ value: m, text: m, selected: m === grid.to })),
          // Cells link to each practice's chart; the default point of delivery is left out of the
          // link to keep the page light (it has a cell for every practice and specialty).
          spcHref: (practice: string, specialty: string) =>
            `/groups/${group.code}/practices/${practice}/activity${query({ pod: grid.pointOfDelivery === 'gp-referral' ? undefined : grid.pointOfDelivery, specialty })}`,
          signalMarks: {
            'high-99.8': '▲▲',
            'high-95': '▲',
            'low-95': '▼',
            'low-99.8': '▼▼',
          },
          csvHref: `/groups/${group.code}/variation/practices.csv${query(base)}`,
          breadcrumbs: variationCrumbs(group),
        },
      };
    });
  });

  const gridCsv = (grid: StandardisedGrid) =>
    toCsv(
      [
        { header: 'practice_code', value: (r) => r.row.code },
        { header: 'practice_name', value: (r) => r.row.name },
        { header: 'point_of_delivery', value: () => grid.pointOfDelivery },
        { header: 'from_month', value: () => grid.from },
        { header: 'to_month', value: () => grid.to },
        { header: 'treatment_function', value: (r) => r.cell.specialty },
        { header: 'observed', value: (r) => r.cell.observed },
        { header: 'expected', value: (r) => r.cell.expected },
        { header: 'standardised_ratio', value: (r) => r.cell.ratio },
        { header: 'lower_95', value: (r) => r.cell.lower95 },
        { header: 'upper_95', value: (r) => r.cell.upper95 },
        { header: 'lower_99_8', value: (r) => r.cell.lower998 },
        { header: 'upper_99_8', value: (r) => r.cell.upper998 },
        { header: 'funnel_signal', value: (r) => r.cell.signal },
        { header: 'data', value: () => grid.dataStatus },
      ],
      grid.rows.flatMap((row) => Object.values(row.cells).map((cell) => ({ row, cell }))),
    );
  app.get('/groups/:code/variation/practices.csv', async (c) => {
    const group = await privateGroup(c);
    const grid = await gridOf(group, c);
    return sendCsv(
      c,
      `${group.code}-${grid.pointOfDelivery}-standardised-ratios-${grid.to}.csv`,
      gridCsv(grid),
    );
  });
  app.get('/api/v1/groups/:code/variation/practices', async (c) => {
    const group = await privateGroup(c);
    return cachedJson(c, async () => ({
      group: { code: group.code, name: group.name },
      ...(await gridOf(group, c)),
    }));
  });

  // ---- funnel per specialty --------------------------------------------------------------------
  const funnelOf = async (group: Group, c: Context<AppEnv>) => {
    const grid = await gridOf(group, c);
    const specialty = parseSpecialty(c.req.query('specialty'), grid);
    return { grid, funnel: specialtyFunnel(grid, specialty) };
  };
  app.get('/groups/:code/variation/practices/funnel', async (c) => {
    const group = await privateGroup(c);
    return cachedPage(c, async () => {
      const { grid, funnel } = await funnelOf(group, c);
      const points = [...funnel.points].sort((a, b) => (b.ratio ?? 0) - (a.ratio ?? 0));
      const svg = funnelChartSvg(
        points.map((p) => ({
          label: p.name,
          shortLabel: p.code,
          x: p.expected,
          y: p.ratio ?? 0,
          signal: chartSignal(p.signal),
          labelled: p.signal === 'high-99.8' || p.signal === 'low-99.8',
          details: `${p.code} ${p.name}: ratio ${number(0)(p.ratio ?? 0)} (${p.observed} seen, ${number(1)(p.expected)} expected)`,
        })),
        funnel.curves,
        100,
        {
          id: 'practice-funnel',
          title: `${grid.pointOfDeliveryName}, ${funnel.specialtyName}: standardised ratio by practice, ${grid.period}`,
          description: `Funnel plot of ${points.length} practices in ${group.name}; 100 is the group average. The table below lists every practice.`,
          xLabel: 'Expected (for the practice’s age and sex mix)',
          yLabel: 'Standardised ratio (group = 100)',
          formatX: number(0),
          formatY: number(0),
        },
      );
      const base = { pod: grid.pointOfDelivery, to: c.req.query('to') };
      return {
        template: 'variation-funnel.njk',
        data: {
          ...grid,
          title: `${group.name}: ${inSentence(grid.pointOfDeliveryName)}, ${inSentence(funnel.specialtyName)}, funnel plot`,
          group,
          funnel,
          points,
          svg,
          signalText,
          podItems: podItems(grid),
          specialtyItems: [
            { code: ALL_SPECIALTIES, name: 'All specialties' },
            ...grid.specialties,
          ].map((s) => ({
            value: s.code,
            text: s.name,
            selected: s.code === funnel.specialty,
          })),
          gridHref: `/groups/${group.code}/variation/practices${query(base)}`,
          csvHref: `/groups/${group.code}/variation/practices/funnel.csv${query({ ...base, specialty: funnel.specialty })}`,
          spcHref: (practice: string) =>
            `/groups/${group.code}/practices/${practice}/activity${query({ pod: grid.pointOfDelivery, specialty: funnel.specialty })}`,
          breadcrumbs: variationCrumbs(group),
        },
      };
    });
  });
  app.get('/groups/:code/variation/practices/funnel.csv', async (c) => {
    const group = await privateGroup(c);
    const { grid, funnel } = await funnelOf(group, c);
    return sendCsv(
      c,
      `${group.code}-${grid.pointOfDelivery}-${funnel.specialty}-funnel-${grid.to}.csv`,
      toCsv(
        [
          { header: 'practice_code', value: (p) => p.code },
          { header: 'practice_name', value: (p) => p.name },
          { header: 'observed', value: (p) => p.observed },
          { header: 'expected', value: (p) => p.expected },
          { header: 'standardised_ratio', value: (p) => p.ratio },
          { header: 'lower_95', value: (p) => p.lower95 },
          { header: 'upper_95', value: (p) => p.upper95 },
          { header: 'lower_99_8', value: (p) => p.lower998 },
          { header: 'upper_99_8', value: (p) => p.upper998 },
          { header: 'funnel_signal', value: (p) => p.signal },
          { header: 'data', value: () => grid.dataStatus },
        ],
        funnel.points,
      ),
    );
  });
  app.get('/api/v1/groups/:code/variation/practices/funnel', async (c) => {
    const group = await privateGroup(c);
    const { grid, funnel } = await funnelOf(group, c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      pointOfDelivery: grid.pointOfDelivery,
      period: grid.period,
      dataStatus: grid.dataStatus,
      sources: grid.sources,
      method: grid.method,
      specialty: funnel.specialty,
      specialtyName: funnel.specialtyName,
      baseline: 100,
      practices: funnel.points,
      funnelLimits: funnel.curves,
    });
  });

  // ---- a practice over time -------------------------------------------------------------------
  const practiceChartOf = async (group: Group, c: Context<AppEnv>) => {
    const code = (c.req.param('practice') ?? '').toUpperCase();
    const populations = await populationsOf(group);
    const practice = populations.practices.find((p) => p.code === code);
    if (!practice) {
      throw new AppError('not_found', `${code} is not a member practice of ${group.name}`);
    }
    const pod = parsePointOfDelivery(c.req.query('pod'));
    const specialty = c.req.query('specialty') || ALL_SPECIALTIES;
    if (specialty !== ALL_SPECIALTIES && !/^\d{3}$/.test(specialty)) {
      throw new AppError(
        'invalid_input',
        'specialty must be "all" or a 3-digit treatment function code',
      );
    }
    const rebase = rebaseQuery(c);
    return cache.memo(
      `practice-spc|${group.code}|${code}|${pod}|${specialty}|${rebase ?? ''}`,
      () => practiceActivityChart(facts, group, practice, pod, specialty, rebase),
    );
  };
  app.get('/groups/:code/practices/:practice/activity', async (c) => {
    const group = await privateGroup(c);
    return cachedPage(c, async () => {
      const result = await practiceChartOf(group, c);
      const heading = `${result.pointOfDeliveryName}: ${result.specialtyName}`;
      const params = { pod: result.pointOfDelivery, specialty: result.specialty };
      return {
        template: 'variation-spc.njk',
        data: {
          ...result,
          title: `${result.practice.name}: ${heading.toLowerCase()}`,
          heading,
          subheading: `${result.practice.name} (${result.practice.code})`,
          group,
          ...spcView(
            'practice-spc',
            `${heading}, ${result.practice.name}, by month`,
            result.months,
            result.chart,
            number(0),
          ),
          valueLabel: 'Count',
          format: 'int',
          iconText: variationIconText[result.icon],
          assuranceText: null,
          rebase: rebaseQuery(c) ?? '',
          hidden: params,
          formAction: `/groups/${group.code}/practices/${result.practice.code}/activity`,
          csvHref: `/groups/${group.code}/practices/${result.practice.code}/activity.csv${query({ ...params, rebase: rebaseQuery(c) })}`,
          breadcrumbs: crumbs(group, [
            { text: 'Practices', href: `/groups/${group.code}/practices` },
            {
              text: result.practice.name,
              href: `/groups/${group.code}/practices/${result.practice.code}`,
            },
          ]),
        },
      };
    });
  });
  app.get('/groups/:code/practices/:practice/activity.csv', async (c) => {
    const group = await privateGroup(c);
    const result = await practiceChartOf(group, c);
    return sendCsv(
      c,
      `${result.practice.code}-${result.pointOfDelivery}-${result.specialty}-spc.csv`,
      spcCsv(spcRows(result.months, result.chart)),
    );
  });
  app.get('/api/v1/groups/:code/practices/:practice/activity', async (c) => {
    const group = await privateGroup(c);
    const { chart, months, ...result } = await practiceChartOf(group, c);
    return sendJson(c, {
      ...result,
      segments: chart.segments.map((s) => ({ ...s, from: months[s.start], to: months[s.end - 1] })),
      points: spcRows(months, chart),
    });
  });

  // ---- needs attention --------------------------------------------------------------------------
  const attentionOf = (group: Group) =>
    cache.memo(`attention|${group.code}|${group.as_at}`, () => needsAttention(db, facts, group));
  const kindText: Record<AttentionItem['kind'], string> = {
    'funnel-outlier': 'Funnel outlier (99.8%)',
    'special-cause': 'Special cause (last 6 months)',
    assurance: 'Assurance failure',
  };
  app.get('/groups/:code/variation/attention', async (c) => {
    const group = await privateGroup(c);
    return cachedPage(c, async () => {
      const result = await attentionOf(group);
      return {
        template: 'variation-attention.njk',
        data: {
          ...result,
          title: `${group.name}: needs attention`,
          group,
          kindText,
          breadcrumbs: variationCrumbs(group),
        },
      };
    });
  });
  app.get('/groups/:code/variation/attention.csv', async (c) => {
    const group = await privateGroup(c);
    const result = await attentionOf(group);
    return sendCsv(
      c,
      `${group.code}-needs-attention.csv`,
      toCsv(
        [
          { header: 'kind', value: (i) => i.kind },
          { header: 'subject', value: (i) => i.subject },
          { header: 'what', value: (i) => i.what },
          { header: 'why', value: (i) => i.why },
          { header: 'chart', value: (i) => i.href },
          { header: 'data', value: (i) => i.dataStatus },
        ],
        result.items,
      ),
    );
  });
  app.get('/api/v1/groups/:code/variation/attention', async (c) => {
    const group = await privateGroup(c);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      ...(await attentionOf(group)),
    });
  });

  // ---- learning pairs ---------------------------------------------------------------------------
  const suggestionsOf = async (group: Group, c: Context<AppEnv>) => {
    const grid = await gridOf(group, c);
    return {
      grid,
      suggestions: await cache.memo(
        `pair-suggestions|${group.code}|${grid.pointOfDelivery}|${grid.to}`,
        () => pairSuggestions(db, grid),
      ),
    };
  };
  const pairsPage = async (
    c: Context<AppEnv>,
    group: Group,
    problems: FieldProblem[] = [],
    status: 200 | 400 | 409 = 200,
    values: Record<string, string | number> = {},
  ) => {
    const { grid, suggestions } = await suggestionsOf(group, c);
    const pairs = await listGroupPairs(db, group);
    const data = {
      title: `${group.name}: learning pairs`,
      group,
      grid,
      suggestions,
      pairs: pairs.map((p) => ({
        ...p,
        specialtyName: specialtyLabel(p.treatment_function),
        pointOfDeliveryName:
          pointsOfDelivery[p.point_of_delivery as keyof typeof pointsOfDelivery] ??
          p.point_of_delivery,
      })),
      canRecord: canRecordPairs(c.get('principal'), group),
      statusItems: (current: string) =>
        pairStatuses.map((s) => ({ value: s, text: s, selected: s === current })),
      podItems: podItems(grid),
      ...problemsView(problems),
      values,
      breadcrumbs: variationCrumbs(group),
    };
    if (problems.length) return page(c, 'variation-pairs.njk', data, status);
    // The page carries this browser's CSRF token in its forms, so a rendering is kept per browser,
    // and only until a pairing is recorded or changed.
    const version = pairs.map((p) => `${p.id}@${new Date(p.updated_at).getTime()}`).join(',');
    return c.html(
      await cache.memo(`${pageCacheKey(c)}|${c.get('csrfToken')}|${version}`, async () =>
        page.html(c, 'variation-pairs.njk', data),
      ),
    );
  };
  const specialtyLabel = (code: string) =>
    code === ALL_SPECIALTIES ? 'All specialties' : specialtyName(code);

  app.get('/groups/:code/variation/pairs', async (c) => {
    const group = await privateGroup(c);
    return pairsPage(c, group);
  });
  const formText = (form: Record<string, unknown>, key: string) =>
    typeof form[key] === 'string' ? (form[key] as string).trim() : '';
  app.post('/groups/:code/variation/pairs', async (c) => {
    const group = await privateGroup(c);
    const form = await c.req.parseBody();
    const { grid } = await suggestionsOf(group, c);
    const input = {
      high: formText(form, 'high').toUpperCase(),
      low: formText(form, 'low').toUpperCase(),
      specialty: formText(form, 'specialty'),
      followUpOn: formText(form, 'followUpOn'),
      notes: formText(form, 'notes'),
    };
    try {
      const id = await recordPair(
        db,
        c.get('principal')!,
        c.get('clientAddress'),
        group,
        grid,
        input,
        clock,
      );
      return c.redirect(
        `/groups/${group.code}/variation/pairs?pod=${grid.pointOfDelivery}#pair-${id}`,
        303,
      );
    } catch (error) {
      if (
        error instanceof AppError &&
        (error.code === 'invalid_input' || error.code === 'conflict')
      ) {
        // The pairing forms have only hidden fields: every problem points at the suggestions.
        const problems = (
          error.problems.length
            ? error.problems
            : [{ field: 'suggestions', message: error.message }]
        ).map((p) => ({ ...p, field: 'suggestions' }));
        return pairsPage(c, group, problems, error.code === 'conflict' ? 409 : 400, input);
      }
      throw error;
    }
  });
  app.post('/groups/:code/variation/pairs/:id', async (c) => {
    const group = await privateGroup(c);
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id) || id <= 0)
      throw new AppError('not_found', 'No such learning pair');
    const form = await c.req.parseBody();
    const input = {
      status: formText(form, 'status'),
      followUpOn: formText(form, 'followUpOn'),
      notes: formText(form, 'notes'),
    };
    try {
      requireFields(form, {
        status: 'Status',
        followUpOn: 'Follow up on',
        notes: 'Notes',
      });
      await followUpPair(db, c.get('principal')!, c.get('clientAddress'), group, id, input, clock);
      return c.redirect(`/groups/${group.code}/variation/pairs#pair-${id}`, 303);
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid_input') {
        return pairsPage(
          c,
          group,
          error.problems.map((p) => ({ ...p, field: `${p.field}-${id}` })),
          400,
          { id, ...input },
        );
      }
      throw error;
    }
  });
  app.get('/groups/:code/variation/pairs.csv', async (c) => {
    const group = await privateGroup(c);
    const pairs = await listGroupPairs(db, group);
    return sendCsv(
      c,
      `${group.code}-learning-pairs.csv`,
      toCsv(
        [
          { header: 'id', value: (p) => p.id },
          { header: 'point_of_delivery', value: (p) => p.point_of_delivery },
          { header: 'treatment_function', value: (p) => p.treatment_function },
          { header: 'high_practice_code', value: (p) => p.high_code },
          { header: 'high_practice_name', value: (p) => p.high_name },
          { header: 'high_ratio', value: (p) => p.high_ratio },
          { header: 'low_practice_code', value: (p) => p.low_code },
          { header: 'low_practice_name', value: (p) => p.low_name },
          { header: 'low_ratio', value: (p) => p.low_ratio },
          { header: 'period', value: (p) => p.period },
          { header: 'status', value: (p) => p.status },
          { header: 'follow_up_on', value: (p) => p.follow_up_on },
          { header: 'notes', value: (p) => p.notes },
          { header: 'recorded_by', value: (p) => p.created_by_name },
          { header: 'updated_at', value: (p) => p.updated_at.toISOString() },
        ],
        pairs,
      ),
    );
  });
  app.get('/api/v1/groups/:code/variation/pairs', async (c) => {
    const group = await privateGroup(c);
    const { grid, suggestions } = await suggestionsOf(group, c);
    const pairs = await listGroupPairs(db, group);
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      pointOfDelivery: grid.pointOfDelivery,
      period: grid.period,
      dataStatus: grid.dataStatus,
      method:
        'For each practice beyond the 99.8% funnel limit on the high side in a specialty: up to three practices below the group average (ratio < 100) in it, ordered by |ln(list size ratio)| + |IMD 2019 decile difference| ÷ 5.',
      suggestions,
      pairs,
    });
  });
}
