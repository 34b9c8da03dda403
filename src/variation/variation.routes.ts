// HTTP routes for variation: groups compared, the group's activity and A&E over time; pages, API and CSV.
import type { Context, Hono } from 'hono';
import type { GroupAccess } from '../organisations/group-access.js';
import type { Group } from '../organisations/group.service.js';
import type { DataCache } from '../platform/db/data-cache.js';
import type { Db } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { FactStore } from '../platform/facts/fact-store.js';
import { toCsv } from '../platform/http/csv.js';
import type { AppEnv } from '../platform/http/http.types.js';
import { sendCsv, sendJson } from '../platform/http/json.js';
import { funnelChartSvg } from '../web/charts/funnel-chart.js';
import { spcChartSvg } from '../web/charts/spc-chart.js';
import {
  aeChart,
  betweenGroups,
  groupActivityChart,
  groupActivityMeasures,
  type GroupRate,
} from './group-variation.service.js';
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
}

const number = (digits: number) => (v: number) =>
  v.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

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
  { db, facts, cache }: Deps,
  access: GroupAccess,
) {
  const { privateGroup, cachedPage } = access;
  const crumbs = (group: Group, extra: { text: string; href: string }[] = []) => [
    { text: 'Groups', href: '/' },
    { text: group.name, href: `/groups/${group.code}` },
    ...extra,
  ];
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
          details: `${r.code} ${r.name}: ${number(1)(r.ratePer1000)} per 1,000 (${r.referrals.toLocaleString('en-GB')} referrals, ${r.patients.toLocaleString('en-GB')} patients)`,
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
    const { funnel, ...result } = await betweenOf(group, yearQuery(c));
    return sendJson(c, {
      group: { code: group.code, name: group.name },
      ...result,
      funnelLimits: funnel,
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
}
